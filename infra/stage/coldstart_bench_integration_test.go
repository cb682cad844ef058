//go:build integration

package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// helloFunction is the floor: an HTTP function that answers "hello",
// staged and built like ours.
const helloFunction = `package hello

import (
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
)

func init() {
	functions.HTTP("hello", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) })
}
`

// coldProbe is the request whose first 200 ends a cold start: an
// authenticated GET for an API function (the demo data's acme admin), the
// shell for the portal, a Pub/Sub push for an event or scheduled function
// (its acknowledgement: any answer below 500).
type coldProbe struct {
	method, path, token string
	body                func() io.Reader
	anyBelow500         bool
}

// BenchmarkColdStart stages every function (infra/stage), builds it as
// Google's Go buildpack does (the declarative main, go mod tidy, go build
// with the manifest's build_env; see TestStagedFunctionsBuildAndServe)
// and reports, per function
// and for a hello-world function staged and built the same way (the
// floor): the binary's size (MB, and × the floor) and the cold start, from
// exec to the first answered probe (p50 of the samples, in ms, and × the
// floor). The probe of an API function is an authenticated GET answered
// 200 (its own lazy set-up, the token check and the first Firestore reads
// included). Each sample also sends the probe once more to the started
// process (warm-ms, p50): what the request itself costs on the emulators,
// so that a cold start made long by the request's own work (the Firestore
// emulator scans a whole collection per query, and the benchmarks before
// this one fill the cases collection) is told apart from start-up cost.
// Runs under the stack (make bench).
func BenchmarkColdStart(b *testing.B) {
	if os.Getenv("SUPPORTCENTER_STACK") == "" {
		b.Fatal("run under the emulator stack: make bench")
	}
	env := testenv.Get(b)
	m, err := manifest.Load()
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	if err := run("../..", out); err != nil {
		b.Fatal(err)
	}
	module, err := modulePath("../../go.mod")
	if err != nil {
		b.Fatal(err)
	}
	hello := filepath.Join(out, "hello-world")
	if err := os.MkdirAll(hello, 0o755); err != nil {
		b.Fatal(err)
	}
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		b.Fatal(err)
	}
	gosum, err := os.ReadFile("../../go.sum")
	if err != nil {
		b.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"go.mod":   []byte(strings.Replace(string(gomod), "module "+module, "module example.com/hello", 1)),
		"go.sum":   gosum,
		"hello.go": []byte(helloFunction),
	} {
		if err := os.WriteFile(filepath.Join(hello, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}

	// Build everything first, two at a time (each build links alone).
	type target struct {
		name, bin, entry string
		env              []string
		probe            coldProbe
	}
	plan := manifest.Derive(m, os.Getenv("GOOGLE_CLOUD_PROJECT"))
	admin := env.Token(b, "admin@acme.example")
	lead := env.Token(b, "lead@support.example") // the catalogue is the support admins'
	caseID := demoCase(b, env, admin)
	targets := []*target{{name: "hello-world", entry: "hello", probe: coldProbe{method: "GET", path: "/"}}}
	for _, f := range m.Functions {
		fp := plan.Functions[f.Name]
		t := &target{name: f.Name, entry: fp.EntryPoint}
		for k, v := range fp.Env {
			t.env = append(t.env, k+"="+v)
		}
		t.env = append(t.env, localSecrets(f)...)
		switch {
		case f.Kind != manifest.KindHTTP:
			path := plan.Subscriptions[f.Name].PushPath
			t.probe = coldProbe{method: "POST", path: path, anyBelow500: true, body: func() io.Reader { return pushEnvelope(b, f) }}
		case f.Name == "portal":
			t.probe = coldProbe{method: "GET", path: "/"}
		case f.Name == "catalog":
			t.probe = coldProbe{method: "GET", path: "/v2/packages", token: lead}
		default:
			t.probe = coldProbe{method: "GET", path: authenticatedPath(f, caseID), token: admin}
		}
		targets = append(targets, t)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, t := range targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			src, pkg := hello, "example.com/hello"
			mod := "example.com/hello"
			if t.name != "hello-world" {
				src = filepath.Join(out, t.name)
				mod = module
				pkg = buildpackPackage(b, src, module)
			}
			t.bin = buildApp(b, src, mod, pkg, plan.BuildEnv)
		})
	}
	wg.Wait()

	var floorSize, floorStart float64
	for _, t := range targets {
		b.Run(t.name, func(b *testing.B) {
			st, err := os.Stat(t.bin)
			if err != nil {
				b.Fatal(err)
			}
			size := float64(st.Size()) / 1e6
			fnEnv := append(os.Environ(), "FUNCTION_TARGET="+t.entry, "VENDOR_ORG_ID=support", "LOG_LEVEL=error")
			fnEnv = append(fnEnv, t.env...)
			coldStart(b, t.bin, fnEnv, t.probe) // once untimed: the fresh binary into the page cache
			var samples, warm []time.Duration
			sample := func() {
				cold, w := coldStart(b, t.bin, fnEnv, t.probe)
				samples, warm = append(samples, cold), append(warm, w)
			}
			for b.Loop() {
				sample()
			}
			for len(samples) < minColdSamples { // a slow start must not make the p50 one sample
				sample()
			}
			startMS, warmMS := p50ms(samples), p50ms(warm)
			if t.name == "hello-world" {
				floorSize, floorStart = size, startMS
			}
			b.ReportMetric(size, "MB")
			b.ReportMetric(size/floorSize, "size-x-floor")
			b.ReportMetric(startMS, "start-ms")
			b.ReportMetric(startMS/floorStart, "start-x-floor")
			b.ReportMetric(warmMS, "warm-ms")
			if t.probe.token != "" {
				b.ReportMetric(1, "authenticated")
			}
		})
	}
}

// authenticatedPath is a GET the acme admin is answered 200 on, under one
// of f's routes.
func authenticatedPath(f manifest.Function, caseID string) string {
	switch f.Name {
	case "me":
		return "/v2/me"
	case "orgs":
		return "/v2/organizations/acme"
	case "cases":
		return "/v2/organizations/acme/cases"
	case "users":
		return "/v2/organizations/acme/users"
	case "attachments":
		return "/v2/organizations/acme/cases/" + caseID + "/attachments"
	}
	// A new API function: its first route, with acme for every segment.
	return strings.ReplaceAll(strings.ReplaceAll(f.Routes[0], "**", "acme"), "*", "acme")
}

// demoCase files a case of acme through the stack's gateway.
func demoCase(b *testing.B, env *testenv.Env, token string) string {
	b.Helper()
	r := env.Do(b, "POST", "/v2/organizations/acme/cases", token, map[string]any{"displayName": "cold start", "description": "bench",
		"classification": map[string]any{"id": "clouddb-connectivity"}, "priority": "P3"})
	if r.Status != http.StatusOK {
		b.Fatalf("create case: %d %s", r.Status, r.Body)
	}
	var c struct {
		Name string `json:"name"`
	}
	r.JSON(b, &c)
	return c.Name[strings.LastIndex(c.Name, "/")+1:]
}

// p50ms is the median of samples, in milliseconds (samples get sorted).
func p50ms(samples []time.Duration) float64 {
	slices.Sort(samples)
	return float64(samples[len(samples)/2].Microseconds()) / 1000
}

// minColdSamples is the fewest cold starts a p50 is taken of.
const minColdSamples = 5

// coldClient opens a new connection per request: every probe goes to a
// new process.
var coldClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}

// coldStart execs bin and probes it until it answers; it returns the time
// from exec to that answer and the time the started process then takes to
// answer the probe again (warm), and stops the process.
func coldStart(b *testing.B, bin string, env []string, p coldProbe) (cold, warm time.Duration) {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	url := "http://127.0.0.1:" + strconv.Itoa(port) + p.path
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(env, "PORT="+strconv.Itoa(port))
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	for {
		status, msg, err := p.send(url)
		if err == nil {
			cold = time.Since(begin)
			if !p.ok(status) {
				b.Fatalf("%s %s answered %d: %s", p.method, p.path, status, msg)
			}
			break
		}
		if time.Since(begin) > 30*time.Second {
			b.Fatalf("%s did not answer within 30 s: %v", bin, err)
		}
		time.Sleep(time.Millisecond)
	}
	again := time.Now()
	status, msg, err := p.send(url)
	if err != nil || !p.ok(status) {
		b.Fatalf("%s %s again: %d %s %v", p.method, p.path, status, msg, err)
	}
	return cold, time.Since(again)
}

// send sends the probe to url on a new connection.
func (p coldProbe) send(url string) (int, []byte, error) {
	var body io.Reader
	if p.body != nil {
		body = p.body()
	}
	req, err := http.NewRequest(p.method, url, body)
	if err != nil {
		return 0, nil, err
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := coldClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, msg, nil
}

// ok reports whether status answers the probe.
func (p coldProbe) ok(status int) bool {
	return status == http.StatusOK || (p.anyBelow500 && status < 500)
}
