package knownissues

import (
	"slices"
	"testing"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// TestPublicRoutesAgreeWithManifest: the routes served without sign-in are
// exactly the manifest's public_routes of this function.
func TestPublicRoutesAgreeWithManifest(t *testing.T) {
	t.Parallel()
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	f, ok := m.Function("knownissues")
	if !ok {
		t.Fatal("knownissues is not in the manifest")
	}
	if !slices.Equal(f.PublicRoutes, PublicRoutes) {
		t.Fatalf("manifest public_routes %v, code serves %v without sign-in", f.PublicRoutes, PublicRoutes)
	}
}
