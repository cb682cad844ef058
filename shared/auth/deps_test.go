package auth

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules keeps binaries lean: token verification links no
// Firebase Admin SDK (its root package pulls Cloud Storage, gRPC xDS and
// envoy), and the API functions that only verify tokens link neither the
// SDK nor Cloud Storage. Account management (provision) uses shared/authadmin.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	rules := []struct {
		pkg       string
		forbidden []string // exact import paths, or a prefix ending in "/..."
	}{
		{".", []string{"firebase.google.com/go/v4/...", "cloud.google.com/go/storage", "cloud.google.com/go/firestore"}},
		{"../../functions/me", []string{"firebase.google.com/go/v4/...", "cloud.google.com/go/storage"}},
		{"../../functions/orgs", []string{"firebase.google.com/go/v4/...", "cloud.google.com/go/storage"}},
		{"../../functions/cases", []string{"firebase.google.com/go/v4/...", "cloud.google.com/go/storage"}},
		{"../../functions/users", []string{"firebase.google.com/go/v4/...", "cloud.google.com/go/storage"}},
	}
	for _, r := range rules {
		t.Run(r.pkg, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("go", "list", "-deps", r.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list %s: %v\n%s", r.pkg, err, out)
			}
			for dep := range strings.Lines(string(out)) {
				dep = strings.TrimSpace(dep)
				for _, f := range r.forbidden {
					prefix, isTree := strings.CutSuffix(f, "/...")
					if dep == prefix || (isTree && strings.HasPrefix(dep, prefix+"/")) {
						t.Errorf("%s links %s", r.pkg, dep)
					}
				}
			}
		})
	}
}
