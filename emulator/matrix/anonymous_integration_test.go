//go:build integration

package matrix

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// malformedIDs replace each "*" of a route: ids no handler accepts. (An
// encoded slash changes the path's shape, not an id: the routing layer
// answers it, as the load balancer's URL map does, before any function.)
var malformedIDs = []string{"NOT_AN_ID", "-1", "x..y", strings.Repeat("9", 300), "a:b", "%00", "x%20y"}

// TestAnonymousIs401BeforePathValidation: on every route of every API
// function in the manifest, with every malformed id and every method, a
// caller without a token or with one that does not verify gets 401
// UNAUTHENTICATED — never the 404 or 400 a path check would give, which
// would tell an outsider which paths and id shapes exist. The portal (the
// public shell) is the one function that serves anonymous callers, beside
// the manifest's public_routes.
func TestAnonymousIs401BeforePathValidation(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		if f.Kind != "http" || f.Name == m.DefaultBackend {
			continue
		}
		for _, route := range f.Routes {
			if slices.Contains(f.PublicRoutes, route) {
				continue // served without sign-in by design; its rows file covers it
			}
			for _, id := range malformedIDs {
				path := strings.ReplaceAll(strings.ReplaceAll(route, "**", id), "*", id)
				for _, method := range []string{"GET", "POST", "PATCH", "DELETE"} {
					for _, token := range []string{"", "not-a-token"} {
						r := env.Do(t, method, path, token, nil)
						if r.Status != http.StatusUnauthorized || !strings.Contains(string(r.Body), `"UNAUTHENTICATED"`) {
							t.Errorf("%s %s %s (token %q): %d %s, want 401 UNAUTHENTICATED", f.Name, method, path, token, r.Status, r.Body)
						}
					}
				}
			}
		}
	}
}
