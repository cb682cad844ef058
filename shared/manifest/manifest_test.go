package manifest

import (
	"strings"
	"testing"
)

func TestEmbeddedManifestIsValid(t *testing.T) {
	t.Parallel()
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
}

func TestRouteCollisionsAreRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, a, b string
		collide    bool
	}{
		{"same", "/v2/me", "/v2/me", true},
		{"wildcard vs literal", "/v2/organizations/*/cases", "/v2/organizations/acme/cases", true},
		{"rest wildcard", "/v2/organizations/**", "/v2/organizations/*/cases/*", true},
		{"different lengths", "/v2/organizations/*", "/v2/organizations/*/cases", false},
		{"different literal", "/v2/organizations/*/cases", "/v2/organizations/*/users", false},
		{"verb literal", "/v2/organizations/*/cases:search", "/v2/organizations/*/cases", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			yaml := "functions:\n" +
				"  - {name: one, kind: http, routes: [\"" + tc.a + "\"]}\n" +
				"  - {name: two, kind: http, routes: [\"" + tc.b + "\"]}\n"
			_, err := Parse([]byte(yaml))
			if got := err != nil && strings.Contains(err.Error(), "routes collide"); got != tc.collide {
				t.Fatalf("collide = %v (err %v), want %v", got, err, tc.collide)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`
topics: [{name: t}]
default_backend: ev
functions:
  - {name: Bad_Name, kind: http, routes: ["/x"]}
  - {name: ev, kind: event, topic: missing}
  - {name: cron, kind: scheduled, schedule: "daily"}
  - {name: web, kind: http}
  - {name: retry, kind: event, topic: t, retry: true, max_delivery_attempts: 2}
  - {name: odd, kind: magic}
  - {name: perms, kind: event, topic: t, roles: [owner], buckets: [nope]}
`))
	if err == nil {
		t.Fatal("invalid manifest accepted")
	}
	for _, want := range []string{"Bad_Name", `"missing" is not a declared topic`, "5-field cron",
		"needs routes", "max_delivery_attempts >= 5", `unknown kind "magic"`,
		`role "owner" must start with roles/`, `bucket "nope" is not a declared bucket`,
		`default_backend "ev" is not an http function`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestRoute(t *testing.T) {
	t.Parallel()
	m, err := Parse([]byte(`
functions:
  - {name: cases, kind: http, routes: ["/v2/organizations/*/cases", "/v2/organizations/*/cases/*", "/v2/organizations/*/cases:search"]}
  - {name: files, kind: http, routes: ["/v2/organizations/*/cases/*/attachments/**"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"/v2/organizations/acme/cases":                          "cases",
		"/v2/organizations/acme/cases/123:close":                "cases",
		"/v2/organizations/acme/cases:search":                   "cases",
		"/v2/organizations/acme/cases/1/attachments/2:download": "files",
		"/v2/organizations/acme/cases/1/attachments":            "files",
		"/v2/organizations/acme":                                "",
		"/v2/organizations//cases":                              "",
	}
	for path, want := range tests {
		got, ok := m.Route(path)
		if got != want || ok != (want != "") {
			t.Errorf("Route(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}

// A default function takes the paths no route matches, and only those: its
// own routes still take part in the overlap check, and every other route
// keeps precedence over it.
func TestRouteDefault(t *testing.T) {
	t.Parallel()
	m, err := Parse([]byte(`
default_backend: web
functions:
  - {name: cases, kind: http, routes: ["/v2/organizations/*/cases", "/v2/organizations/*/cases/*"]}
  - {name: web, kind: http, routes: ["/", "/organizations/**"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"/v2/organizations/acme/cases":       "cases",
		"/v2/organizations/acme/cases/1":     "cases",
		"/":                                  "web",
		"/organizations/acme/cases/1":        "web",
		"/v2/organizations/acme":             "web",
		"/signin":                            "web",
		"/v2/organizations/acme/cases/1/x/y": "web",
	}
	for path, want := range tests {
		if got, ok := m.Route(path); got != want || !ok {
			t.Errorf("Route(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
	if _, err := Parse([]byte(`
default_backend: web
functions:
  - {name: cases, kind: http, routes: ["/v2/organizations/**"]}
  - {name: web, kind: http, routes: ["/", "/v2/organizations/*/cases"]}
`)); err == nil || !strings.Contains(err.Error(), "routes collide") {
		t.Errorf("a default function's colliding route was accepted: %v", err)
	}
}
