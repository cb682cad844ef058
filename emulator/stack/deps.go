package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// tools are the programs the stack runs that Go does not build.
type tools struct {
	Java         string // java binary
	FirestoreJar string // the gcloud component cloud-firestore-emulator
	PubSub       string // the gcloud component pubsub-emulator's start script
	Firebase     string // firebase-tools' CLI, pinned by emulator/firebase/package-lock.json
}

// Debian packages providing each missing piece (gcloud's come from Google's
// apt repository, packages.cloud.google.com/apt, suite cloud-sdk).
const (
	pkgJava      = "openjdk-17-jre-headless"
	pkgGcloud    = "google-cloud-cli"
	pkgFirestore = "google-cloud-cli-firestore-emulator"
	pkgPubSub    = "google-cloud-cli-pubsub-emulator"
	pkgNode      = "nodejs npm"
)

// findTools locates every external program, reporting everything missing in
// one error that says how to install it.
func findTools(root string) (tools, error) {
	var t tools
	var missing, pkgs []string
	need := func(what, pkg string) {
		missing = append(missing, what)
		pkgs = append(pkgs, pkg)
	}
	var err error
	if t.Java, err = exec.LookPath("java"); err != nil {
		need("java (Java 17+)", pkgJava)
	}
	if _, err := exec.LookPath("node"); err != nil {
		need("node (Node.js 20+)", pkgNode)
	} else if _, err := exec.LookPath("npm"); err != nil {
		need("npm", "npm")
	}
	sdk, err := gcloudRoot()
	if err != nil {
		need("gcloud (Google Cloud CLI)", pkgGcloud+" "+pkgFirestore+" "+pkgPubSub)
	} else {
		t.FirestoreJar = filepath.Join(sdk, "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar")
		t.PubSub = filepath.Join(sdk, "platform/pubsub-emulator/bin/cloud-pubsub-emulator")
		if !exists(t.FirestoreJar) {
			need("cloud-firestore-emulator (the gcloud component; looked for "+t.FirestoreJar+")", pkgFirestore)
		}
		if !exists(t.PubSub) {
			need("pubsub-emulator (the gcloud component; looked for "+t.PubSub+")", pkgPubSub)
		}
	}
	t.Firebase = filepath.Join(root, "emulator/firebase/node_modules/.bin/firebase")
	if len(missing) > 0 {
		return t, fmt.Errorf("missing: %s.\nInstall with: apt-get install %s\n"+
			"(google-cloud-cli* come from Google's apt repository; without apt, `gcloud components install cloud-firestore-emulator pubsub-emulator` adds the emulators)",
			strings.Join(missing, ", "), strings.Join(pkgs, " "))
	}
	return t, nil
}

// gcloudRoot is the Cloud SDK root: $CLOUDSDK_ROOT, else found from the
// gcloud binary (the cheap way), else `gcloud info` (slow: starts python).
func gcloudRoot() (string, error) {
	if r := os.Getenv("CLOUDSDK_ROOT"); r != "" {
		return r, nil
	}
	bin, err := exec.LookPath("gcloud")
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(bin); err == nil {
		root := filepath.Dir(filepath.Dir(resolved)) // <root>/bin/gcloud
		if exists(filepath.Join(root, "platform")) {
			return root, nil
		}
	}
	out, err := exec.Command(bin, "info", "--format=value(installation.sdk_root)").Output()
	if err != nil {
		return "", fmt.Errorf("gcloud info: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// npmPackages are the npm trees `make deps` installs with `npm ci`, each
// pinned by its package-lock.json: firebase-tools (the Auth emulator) and
// the portal's build and browser-test tools.
var npmPackages = []struct{ dir, bin, what string }{
	{"emulator/firebase", "node_modules/.bin/firebase", "firebase-tools (about 90 s)"},
	{"functions/portal/web", "node_modules/.bin/esbuild", "the portal's esbuild, Preact, Firebase JS SDK, playwright-core, axe-core"},
}

// ensureFirebaseTools installs firebase-tools, which every stack start needs.
func ensureFirebaseTools(ctx context.Context, root string) error {
	p := npmPackages[0]
	return ensureNpm(ctx, root, p.dir, p.bin, p.what)
}

// ensureNpm runs `npm ci` in dir when node_modules is missing or older than
// package-lock.json.
func ensureNpm(ctx context.Context, root, dir, bin, what string) error {
	dir = filepath.Join(root, dir)
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	// npm writes node_modules/.package-lock.json on every install.
	installed, err := os.Stat(filepath.Join(dir, "node_modules/.package-lock.json"))
	if err == nil && !installed.ModTime().Before(lock.ModTime()) && exists(filepath.Join(dir, bin)) {
		return nil
	}
	logf("installing %s (npm ci in %s)", what, dir)
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s: %w", dir, err)
	}
	return nil
}

// pkgChromium is Debian's Chromium, the browser of the portal's browser
// tests (driven by playwright-core; test tools never download a browser).
const pkgChromium = "chromium"

// ensureChromium installs Debian's chromium when it is missing and this
// process may (root with apt-get); otherwise it says how. Only the browser
// tests need it, so `make dev` goes on without it.
func ensureChromium(ctx context.Context) {
	if _, err := exec.LookPath("chromium"); err == nil {
		return
	}
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		logf("chromium is missing; the portal's browser tests need it: apt-get install %s", pkgChromium)
		return
	}
	logf("installing %s (Debian) for the portal's browser tests", pkgChromium)
	cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "-qq", "--no-install-recommends", pkgChromium)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		logf("apt-get install %s failed (%v); the portal's browser tests will say so", pkgChromium, err)
	}
}

// goBinaries are built once into the bin dir before anything starts.
var goBinaries = []string{
	"./emulator/runner",
	"./emulator/mailcapture/cmd/mailcapture",
	"github.com/fsouza/fake-gcs-server", // pinned by go.mod's tool directive
}

// buildBinaries builds goBinaries into binDir. go build skips binaries that
// are up to date; a file lock keeps parallel test runs from writing the same
// file at once.
func buildBinaries(ctx context.Context, root, binDir string) error {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(filepath.Join(binDir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()

	start := time.Now()
	args := append([]string{"build", "-o", binDir + string(filepath.Separator)}, goBinaries...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	logf("built runner, mailcapture and fake-gcs-server in %s", time.Since(start).Round(100*time.Millisecond))
	return nil
}

// deps checks and installs what the stack needs (`make deps`).
func deps(ctx context.Context) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if _, err := findTools(root); err != nil {
		return err
	}
	for _, p := range npmPackages {
		if err := ensureNpm(ctx, root, p.dir, p.bin, p.what); err != nil {
			return err
		}
	}
	ensureChromium(ctx)
	logf("deps ok: java, gcloud emulators, node, firebase-tools and the portal's npm packages are installed")
	return nil
}
