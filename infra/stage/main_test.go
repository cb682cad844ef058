package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// TestStageEveryFunction stages every manifest function and checks each
// source root imports its own package and carries the shared code.
func TestStageEveryFunction(t *testing.T) {
	out := t.TempDir()
	if err := run("../..", out); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		dir := filepath.Join(out, f.Name)
		root, err := os.ReadFile(filepath.Join(dir, "function.go"))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !strings.Contains(string(root), "/functions/"+packageDir(f.Name)+`"`) {
			t.Errorf("%s: root package does not import its function:\n%s", f.Name, root)
		}
		if !strings.Contains(string(root), `_ "`+FrameworkFunctions+`"`) {
			t.Errorf("%s: root package does not import %s; the buildpack would not use its declarative main:\n%s", f.Name, FrameworkFunctions, root)
		}
		for _, p := range []string{"go.mod", "go.sum", "shared/apierror/apierror.go", "infra/functions.yaml"} {
			if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
				t.Errorf("%s: missing %s", f.Name, p)
			}
		}
		tests, _ := filepath.Glob(filepath.Join(dir, "functions", packageDir(f.Name), "*_test.go"))
		if len(tests) > 0 {
			t.Errorf("%s: tests were staged: %v", f.Name, tests)
		}
	}
}
