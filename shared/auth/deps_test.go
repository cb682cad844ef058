package auth

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencyRules keeps binaries lean. No function links the Firebase
// Admin SDK: its root package, the only way to build its Auth client, pulls
// Cloud Storage, gRPC xDS and envoy (about 25 MB per binary); tokens are
// verified here and accounts managed through shared/authadmin's REST
// client. Only the functions that keep files (attachments, published
// resources) and their finalize functions link Cloud Storage. A new function
// is held to the rules until it is listed here.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	const module = "github.com/supportcenter/supportcenter/"
	in := func(pkgs ...string) func(string) bool {
		return func(pkg string) bool { return slices.Contains(pkgs, pkg) }
	}
	rules := []struct {
		dep     string
		allowed func(pkg string) bool
	}{
		{"firebase.google.com/go/v4", in()},
		{"firebase.google.com/go/v4/auth", in()},
		{"cloud.google.com/go/storage", in("functions/attachments", "functions/finalizeupload",
			"functions/resources", "functions/finalizeresource")},
		// shared/auth and shared/authadmin are leaves every API function links.
		{"cloud.google.com/go/firestore", func(pkg string) bool { return pkg != "shared/auth" && pkg != "shared/authadmin" }},
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", "../../functions/...", ".", "../authadmin").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		pkg, deps := strings.TrimPrefix(fields[0], module), fields[1:]
		if strings.Count(pkg, "/") > 1 {
			continue // a function's subpackage is covered by its function
		}
		seen++
		for _, r := range rules {
			if slices.Contains(deps, r.dep) && !r.allowed(pkg) {
				t.Errorf("%s links %s", pkg, r.dep)
			}
		}
	}
	if seen < 2 {
		t.Fatalf("go list found %d packages:\n%s", seen, out)
	}
}
