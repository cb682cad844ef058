//go:build integration

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

// declarativeMain is the main Google's Go buildpack (functions_framework,
// template_declarative.go) writes when the source root imports the
// framework's functions package: blank-import the function's package,
// serve with funcframework.Start on $PORT.
var declarativeMain = template.Must(template.New("main").Parse(`package main

import (
	"log"
	"net/http"
	"os"

	_ "{{.}}"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
)

func main() {
	http.HandleFunc("/robots.txt", http.NotFound)
	http.HandleFunc("/favicon.ico", http.NotFound)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if err := funcframework.Start(port); err != nil {
		log.Fatalf("Function failed to start: %v\n", err)
	}
}
`))

// TestStagedFunctionsBuildAndServe builds every staged function the way
// Cloud Functions' Go buildpack does and calls it: it reads the source
// root's package and imports as the buildpack does (and fails where the
// buildpack would fall back to its userfunction.<target> main), creates the
// app module functions.local/app requiring the function's module through a
// replace, writes the declarative main, runs go mod tidy and go build with
// the local Go, starts the binary with FUNCTION_TARGET and PORT, and sends
// an HTTP function an anonymous request and an event function a Pub/Sub
// push envelope. It runs against the stack's emulators (make test), builds
// every function's binary, two at a time (about 2–3 minutes on two busy cores).
func TestStagedFunctionsBuildAndServe(t *testing.T) {
	if os.Getenv("SUPPORTCENTER_STACK") == "" {
		t.Fatal("run under the emulator stack: make test, or .stack/bin/stack test -- -tags integration ./infra/stage")
	}
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := run("../..", out); err != nil {
		t.Fatal(err)
	}
	module, err := modulePath("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	project := os.Getenv("GOOGLE_CLOUD_PROJECT")
	plan := manifest.Derive(m, project)
	for _, f := range m.Functions {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			src, err := filepath.Abs(filepath.Join(out, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			pkg := buildpackPackage(t, src, module)
			bin := buildApp(t, src, module, pkg, plan.BuildEnv)
			fp := plan.Functions[f.Name]
			env := append(os.Environ(), "FUNCTION_TARGET="+fp.EntryPoint, "VENDOR_ORG_ID=support", "LOG_LEVEL=error")
			env = append(env, localSecrets(f)...)
			for k, v := range fp.Env {
				env = append(env, k+"="+v)
			}
			url := start(t, bin, env)
			var resp *http.Response
			if f.Kind == manifest.KindHTTP {
				resp, err = http.Get(url + strings.ReplaceAll(f.Routes[0], "*", "x"))
			} else {
				resp, err = http.Post(url+plan.Subscriptions[f.Name].PushPath, "application/json", pushEnvelope(t, f))
			}
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			t.Logf("%s answered %d", f.Name, resp.StatusCode)
			if resp.StatusCode >= 500 {
				t.Errorf("answered %d: %s", resp.StatusCode, body)
			}
			// An HTTP function's own refusal (401 for anonymous, or its
			// 404 for ids that do not exist) is a google.rpc.Status; the
			// framework's "no such function" is not. (The portal's shell
			// answers 200.)
			var status struct {
				Error *struct{ Code int } `json:"error"`
			}
			if f.Kind == manifest.KindHTTP && resp.StatusCode >= 400 &&
				(json.Unmarshal(body, &status) != nil || status.Error == nil || status.Error.Code != resp.StatusCode) {
				t.Errorf("answered %d with %q, not the function's error body", resp.StatusCode, body)
			}
		})
	}
}

// buildpackPackage reads the source root as the buildpack's get_package
// converter does (package name and imports of its non-test files) and
// decides as it does: the declarative main needs the framework's
// functions package among the imports. It returns the package path the
// main imports (the module path: the root package is not in a
// subdirectory named after itself).
func buildpackPackage(t testing.TB, dir, module string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	imports := map[string]bool{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		if name != "" && f.Name.Name != name {
			t.Fatalf("source root holds packages %s and %s", name, f.Name.Name)
		}
		name = f.Name.Name
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			imports[path] = true
		}
	}
	if name == "" {
		t.Fatal("source root has no Go package")
	}
	if !imports[FrameworkFunctions] {
		t.Fatalf("source root does not import %s: the buildpack would generate register(userfunction.<target>) and the build would fail", FrameworkFunctions)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		return module + "/" + name
	}
	return module
}

// buildApp builds the app module around the staged source as the
// buildpack does, with the manifest's build environment (buildEnv: its
// GOOGLE_GOLDFLAGS become -ldflags), and returns the binary.
func buildApp(t testing.TB, src, module, pkg string, buildEnv map[string]string) string {
	t.Helper()
	app := t.TempDir()
	var main bytes.Buffer
	if err := declarativeMain.Execute(&main, pkg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), main.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(app, "serverless_function_app")
	for _, args := range [][]string{
		{"mod", "init", "functions.local/app"},
		{"mod", "edit", "-require", module + "@v0.0.0"},
		{"mod", "edit", "-replace", module + "@v0.0.0=" + src},
		{"mod", "tidy"},
		append([]string{"build", "-o", bin}, append(buildpackFlags(buildEnv), ".")...),
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = app
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
	return bin
}

// localSecrets are the local stack's values of f's secrets the test's
// environment lacks (in production Secret Manager sets them).
func localSecrets(f manifest.Function) []string {
	local := map[string]string{"UNSUBSCRIBE_KEYS": unsubscribe.LocalKeys}
	var env []string
	for name := range f.Secrets {
		if v, ok := local[name]; ok && os.Getenv(name) == "" {
			env = append(env, name+"="+v)
		}
	}
	return env
}

// buildpackFlags are the go build flags the buildpack adds for env.
func buildpackFlags(env map[string]string) []string {
	var flags []string
	if v := env["GOOGLE_GOGCFLAGS"]; v != "" {
		flags = append(flags, "-gcflags", v)
	}
	if v := env["GOOGLE_GOLDFLAGS"]; v != "" {
		flags = append(flags, "-ldflags", v)
	}
	return flags
}

// start runs the binary on a free port and waits until it answers.
func start(t testing.TB, bin string, env []string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(env, "PORT="+strconv.Itoa(port))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("function output:\n%s", logs.String())
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for {
		select {
		case err := <-exited:
			t.Fatalf("function exited: %v\n%s", err, logs.String())
		default:
		}
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return url
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pushEnvelope is a Pub/Sub push request carrying an event for an
// unknown case or membership (a scheduled function gets its job message).
func pushEnvelope(t testing.TB, f manifest.Function) io.Reader {
	t.Helper()
	// A scheduled job's tick is narrowed to an organisation that does not
	// exist: the function starts and answers without sweeping whatever
	// other tests and benchmarks left in the shared stack.
	data := `{"job":"` + f.Name + `","orgId":"nobody"}`
	if f.Kind == manifest.KindEvent {
		data = `{"id":"build-test-` + f.Name + `","type":"case.created","version":1,"time":"2026-01-01T00:00:00Z","orgId":"nobody","caseId":"1"}`
	}
	b, err := json.Marshal(map[string]any{
		"subscription": "projects/" + os.Getenv("GOOGLE_CLOUD_PROJECT") + "/subscriptions/" + f.SubscriptionName(),
		"message": map[string]any{
			"data":        base64.StdEncoding.EncodeToString([]byte(data)),
			"messageId":   "1",
			"publishTime": "2026-01-01T00:00:00Z",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}
