package domain

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the domain layer pure: its packages import only
// each other and the platform leaves apierror and clock from this module,
// and none of the SDKs that do I/O.
func TestDependencies(t *testing.T) {
	t.Parallel()
	const module = "github.com/supportcenter/supportcenter/"
	allowed := []string{module + "shared/domain", module + "shared/apierror", module + "shared/clock"}
	forbidden := []string{"cloud.google.com/go/firestore", "cloud.google.com/go/storage", "cloud.google.com/go/pubsub",
		"firebase.google.com/go", "github.com/sendgrid", "github.com/GoogleCloudPlatform/functions-framework-go"}
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for dep := range strings.Lines(string(out)) {
		dep = strings.TrimSpace(dep)
		if strings.HasPrefix(dep, module) {
			ok := false
			for _, a := range allowed {
				ok = ok || dep == a || strings.HasPrefix(dep, a+"/")
			}
			if !ok {
				t.Errorf("the domain layer imports %s", dep)
			}
			continue
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") {
				t.Errorf("the domain layer links %s", dep)
			}
		}
	}
}
