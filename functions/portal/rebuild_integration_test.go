//go:build integration

package portal

import (
	"os"
	"os/exec"
	"testing"
)

// TestBundleIsBuiltFromSources rebuilds the app from web/src with the
// pinned esbuild and fails when the committed dist/ differs by a byte: what
// the function serves is provably what the sources say. It runs with the
// integration tests because it needs the npm packages `make deps` installs.
func TestBundleIsBuiltFromSources(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("web/node_modules/esbuild"); err != nil {
		t.Fatalf("needs the portal's npm packages (`make deps` runs npm ci in functions/portal/web): %v", err)
	}
	cmd := exec.CommandContext(t.Context(), "node", "build.mjs", "--check")
	cmd.Dir = "web"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
