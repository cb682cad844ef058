package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

const (
	defaultProject = "demo-supportcenter"
	localAPIKey    = "local-sendgrid-key"
	host           = "127.0.0.1"
)

// ports are the stack's listening ports on 127.0.0.1.
type ports struct {
	Firestore, PubSub, GCS, Auth, Mail, Gateway, Functions int
	// AuthHub and AuthLogging are ports firebase-tools reserves beside the
	// Auth emulator (its "hub" and "logging" servers).
	AuthHub, AuthLogging int
}

// portVar pairs a port with the env var that overrides it and a label.
type portVar struct {
	env, label string
	def        int
	ptr        *int
}

func (p *ports) vars() []portVar {
	return []portVar{
		{"FIRESTORE_PORT", "Firestore emulator", 8080, &p.Firestore},
		{"PUBSUB_PORT", "Pub/Sub emulator", 8085, &p.PubSub},
		{"GCS_PORT", "fake-gcs-server", 4443, &p.GCS},
		{"AUTH_PORT", "Firebase Auth emulator", 9099, &p.Auth},
		{"MAIL_PORT", "mail capture", 8025, &p.Mail},
		{"GATEWAY_PORT", "API gateway", 8000, &p.Gateway},
		{"FUNCTIONS_PORT", "functions", 8090, &p.Functions},
		{"AUTH_HUB_PORT", "firebase-tools emulator hub", 4400, &p.AuthHub},
		{"AUTH_LOGGING_PORT", "firebase-tools logging server", 4500, &p.AuthLogging},
	}
}

// defaultPorts are the documented ports (README.md), each overridable by its env var.
func defaultPorts() (ports, error) {
	var p ports
	var errs []error
	for _, v := range p.vars() {
		*v.ptr = v.def
		if s := os.Getenv(v.env); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 65535 {
				errs = append(errs, fmt.Errorf("%s=%q is not a port", v.env, s))
				continue
			}
			*v.ptr = n
		}
	}
	return p, errors.Join(errs...)
}

// freePorts picks distinct free ports, so a test stack never collides with
// `make dev` or another test run.
func freePorts() (ports, error) {
	var p ports
	var open []net.Listener
	defer func() {
		for _, l := range open {
			l.Close()
		}
	}()
	for _, v := range p.vars() {
		l, err := net.Listen("tcp", host+":0")
		if err != nil {
			return p, err
		}
		open = append(open, l)
		*v.ptr = l.Addr().(*net.TCPAddr).Port
	}
	return p, nil
}

// checkFree fails fast, naming every port that is already taken.
func (p *ports) checkFree() error {
	var taken []string
	for _, v := range p.vars() {
		l, err := net.Listen("tcp", fmt.Sprintf("%s:%d", host, *v.ptr))
		if err != nil {
			taken = append(taken, fmt.Sprintf("%d (%s; set %s to move it)", *v.ptr, v.label, v.env))
			continue
		}
		l.Close()
	}
	if len(taken) > 0 {
		return fmt.Errorf("port already in use: %s — is another stack running?", strings.Join(taken, ", "))
	}
	return nil
}

func addr(port int) string { return fmt.Sprintf("%s:%d", host, port) }

// kv is one exported environment variable.
type kv struct{ Key, Value string }

// stackEnv is what the runner, go test and `job` see: emulator hosts in the
// form each client library expects, and the stack's URLs.
func stackEnv(project string, p ports, m *manifest.Manifest) []kv {
	env := []kv{
		{"GOOGLE_CLOUD_PROJECT", project},
		{"FIRESTORE_EMULATOR_HOST", addr(p.Firestore)},
		{"PUBSUB_EMULATOR_HOST", addr(p.PubSub)},
		{"STORAGE_EMULATOR_HOST", "http://" + addr(p.GCS)},
		{"FIREBASE_AUTH_EMULATOR_HOST", addr(p.Auth)},
		{"SENDGRID_HOST", "http://" + addr(p.Mail)},
		{"SENDGRID_API_KEY", localAPIKey},
		{"UNSUBSCRIBE_KEYS", unsubscribe.LocalKeys},
		{"PORTAL_URL", "http://" + addr(p.Gateway)},
		{"GATEWAY_URL", "http://" + addr(p.Gateway)},
		{"MAIL_URL", "http://" + addr(p.Mail)},
		{"FUNCTIONS_URL", "http://" + addr(p.Functions)},
	}
	for _, b := range m.Buckets {
		env = append(env, kv{manifest.BucketEnvVar(b.Name), manifest.BucketName(project, b.Name)})
	}
	return env
}

func lookup(env []kv, key string) string {
	for _, e := range env {
		if e.Key == key {
			return e.Value
		}
	}
	return ""
}

// environ is os.Environ() with env applied on top.
func environ(env []kv, extra ...kv) []string {
	out := os.Environ()
	for _, e := range append(env, extra...) {
		out = append(out, e.Key+"="+e.Value)
	}
	return out
}

// setenv applies env to this process, for the client libraries it uses.
func setenv(env []kv) error {
	for _, e := range env {
		if err := os.Setenv(e.Key, e.Value); err != nil {
			return err
		}
	}
	return nil
}

// writeEnvFile writes KEY=VALUE lines for other commands and tests.
func writeEnvFile(path string, env []kv) error {
	var b strings.Builder
	b.WriteString("# Written by emulator/stack; removed when the stack stops.\n")
	for _, e := range env {
		fmt.Fprintf(&b, "%s=%s\n", e.Key, e.Value)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// readEnvFile reads what writeEnvFile wrote.
func readEnvFile(path string) ([]kv, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var env []kv
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		env = append(env, kv{k, v})
	}
	return env, sc.Err()
}

// repoRoot finds the module root (the directory holding go.mod) from the
// working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found: run from the repository")
		}
		dir = parent
	}
}

// testProject is a fresh demo project id, so parallel runs never share data.
func testProject() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "demo-test-" + hex.EncodeToString(b[:])
}
