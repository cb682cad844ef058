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

// Staging twice gives the same tree, file times included, so the archives
// Terraform builds are the same bytes and a re-deploy changes nothing.
func TestStagingIsReproducible(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if err := run("../..", out); err != nil {
			t.Fatal(err)
		}
	}
	files := 0
	err := filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		ia, _ := os.Stat(path)
		ib, err := os.Stat(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		ca, _ := os.ReadFile(path)
		cb, _ := os.ReadFile(filepath.Join(b, rel))
		if string(ca) != string(cb) || !ia.ModTime().Equal(ib.ModTime()) || ia.Mode() != ib.Mode() || !ia.ModTime().Equal(stagedTime) {
			t.Errorf("%s differs between two stagings", rel)
		}
		files++
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("compared %d files: %v", files, err)
	}
}
