package portal

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/config"
)

var localCfg = Config{ProjectID: "demo-supportcenter", AuthEmulatorHost: "127.0.0.1:9099", StorageEmulatorHost: "http://127.0.0.1:4443"}

func newHandler(t *testing.T, cfg Config) *Handler {
	t.Helper()
	h, err := New(cfg, Bundle())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// The embedded bundle is complete: index.html references a script and a
// stylesheet that are both in it, and it carries no inline script or style
// (the CSP would block them).
func TestBundleIsSelfContained(t *testing.T) {
	t.Parallel()
	index, err := fs.ReadFile(Bundle(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) != 2 {
		t.Fatalf("index.html references %d assets, want the script and the stylesheet: %s", len(refs), index)
	}
	for _, ref := range refs {
		if _, err := fs.Stat(Bundle(), strings.TrimPrefix(ref[1], "/")); err != nil {
			t.Errorf("index.html references %s, which is not in dist: %v", ref[1], err)
		}
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=`).Match(index) {
		t.Errorf("index.html has inline script, style or event handlers:\n%s", index)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	h := newHandler(t, localCfg)
	for _, path := range []string{"/", "/organizations/acme/cases/123", "/config.json", "/assets/nope.js", "/v2/unknown", "/signin"} {
		w := get(h, "GET", path)
		hd := w.Header()
		csp := hd.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
			"connect-src 'self' http://127.0.0.1:9099 http://127.0.0.1:4443"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline script or eval: %q", path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if hd.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, hd.Get(k), v)
			}
		}
	}
}

func TestProductionCSPAllowsGoogleEndpointsOnly(t *testing.T) {
	t.Parallel()
	h := newHandler(t, Config{ProjectID: "p", APIKey: "k"})
	csp := get(h, "GET", "/").Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' https://identitytoolkit.googleapis.com https://securetoken.googleapis.com https://storage.googleapis.com;") {
		t.Errorf("CSP = %q", csp)
	}
	if strings.Contains(csp, "127.0.0.1") {
		t.Errorf("production CSP names a local emulator: %q", csp)
	}
	if w := get(h, "GET", "/", "X-Forwarded-Proto", "https"); w.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over HTTPS")
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	h := newHandler(t, localCfg)
	index, _ := fs.ReadFile(Bundle(), "index.html")
	var script string
	if m := regexp.MustCompile(`src="(/assets/[^"]+)"`).FindSubmatch(index); m != nil {
		script = string(m[1])
	}
	tests := []struct {
		name, method, path string
		status             int
		ctype, cache, body string
	}{
		{"root is the app", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", "<div id=\"app\">"},
		{"deep link from e-mails", "GET", "/organizations/acme/cases/4711", 200, "text/html; charset=utf-8", "no-cache", "<div id=\"app\">"},
		{"any other page", "GET", "/settings", 200, "text/html; charset=utf-8", "no-cache", "<div id=\"app\">"},
		{"HEAD", "HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"hashed asset", "GET", script, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"missing asset is 404, not the app", "GET", "/assets/main-OLD.js", 404, "application/json", "no-store", `"status":"NOT_FOUND"`},
		{"unknown API path keeps the API's error shape", "GET", "/v2/organizations/acme/nothing", 404, "application/json", "", `"status":"NOT_FOUND"`},
		{"unknown upload path", "POST", "/upload/v2/x", 404, "application/json", "", `"status":"NOT_FOUND"`},
		{"POST to a page", "POST", "/", 405, "application/json", "", `"status":"`},
		{"config", "GET", "/config.json", 200, "application/json", "no-store", `"authEmulatorUrl":"http://127.0.0.1:9099"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := get(h, tc.method, tc.path)
			if w.Code != tc.status {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, tc.ctype) {
				t.Errorf("Content-Type = %q, want %q", got, tc.ctype)
			}
			if tc.cache != "" && w.Header().Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", w.Header().Get("Cache-Control"), tc.cache)
			}
			if !strings.Contains(w.Body.String(), tc.body) {
				t.Errorf("body lacks %q: %.300s", tc.body, w.Body)
			}
			if tc.method == "HEAD" && w.Body.Len() != 0 {
				t.Error("HEAD has a body")
			}
		})
	}
}

func TestGzipIsTheSameBytes(t *testing.T) {
	t.Parallel()
	h := newHandler(t, localCfg)
	plain := get(h, "GET", "/")
	zipped := get(h, "GET", "/", "Accept-Encoding", "br, gzip;q=0.8")
	if zipped.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("headers %v", zipped.Header())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, plain.Body.Bytes()) {
		t.Error("gzip body differs from the plain one")
	}
	if w := get(h, "GET", "/", "Accept-Encoding", "gzip;q=0"); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
}

func TestClientConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want ClientConfig
	}{
		{"local", localCfg, ClientConfig{ProjectID: "demo-supportcenter", APIKey: "local-emulator-key", AuthDomain: "demo-supportcenter.firebaseapp.com", AuthEmulatorURL: "http://127.0.0.1:9099"}},
		{"production", Config{ProjectID: "p", APIKey: "AIza", AuthDomain: "login.example.com"}, ClientConfig{ProjectID: "p", APIKey: "AIza", AuthDomain: "login.example.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got ClientConfig
			if err := json.Unmarshal(get(newHandler(t, tc.cfg), "GET", "/config.json").Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("config = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestConfigNeedsAnAPIKeyOutsideTheEmulator(t *testing.T) {
	t.Parallel()
	var cfg Config
	if err := config.Load(&cfg, config.MapLookuper(map[string]string{"GOOGLE_CLOUD_PROJECT": "p"})); err == nil || !strings.Contains(err.Error(), "FIREBASE_API_KEY") {
		t.Errorf("err = %v, want FIREBASE_API_KEY named", err)
	}
	if err := config.Load(&cfg, config.MapLookuper(map[string]string{"GOOGLE_CLOUD_PROJECT": "demo-p", "FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"})); err != nil {
		t.Errorf("local config refused: %v", err)
	}
}

// Build refuses emulator hosts outside demo-* projects: a real project's
// portal must never send people's passwords to an emulator.
func TestBuildRefusesEmulatorsInARealProject(t *testing.T) {
	t.Setenv("GOOGLE_CLOUD_PROJECT", "prod")
	t.Setenv("FIREBASE_API_KEY", "k")
	t.Setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
	if _, err := Build(t.Context()); err == nil || !strings.Contains(err.Error(), "demo-") {
		t.Errorf("err = %v, want the emulator refused", err)
	}
	t.Setenv("GOOGLE_CLOUD_PROJECT", "demo-p")
	if _, err := Build(t.Context()); err != nil {
		t.Errorf("local config refused: %v", err)
	}
}
