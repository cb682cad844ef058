package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// registrations scans functions/*/ for functions.HTTP("name", …) and
// functions.CloudEvent("name", …) calls: what code registers, by kind.
func registrations(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	dirs, err := filepath.Glob("../../functions/*")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { //nolint:staticcheck // function packages carry no build tags in non-test files
			return !strings.HasSuffix(fi.Name(), "_test.go")
		}, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range pkgs {
			for _, f := range pkg.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || len(call.Args) < 2 {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "functions" {
						return true
					}
					lit, ok := call.Args[0].(*ast.BasicLit)
					if !ok {
						t.Errorf("%s: function name must be a string literal", fset.Position(call.Pos()))
						return true
					}
					name, _ := strconv.Unquote(lit.Value)
					kind := map[string]string{"HTTP": manifest.KindHTTP, "CloudEvent": "event"}[sel.Sel.Name]
					if prev, dup := found[name]; dup {
						t.Errorf("function %q registered twice (%s)", name, prev)
					}
					found[name] = kind
					return true
				})
			}
		}
	}
	return found
}

func TestCodeRunnerAndManifestAgree(t *testing.T) {
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	code := registrations(t)
	if len(code) == 0 {
		t.Fatal("no function registrations found under functions/")
	}
	inManifest := map[string]bool{}
	for _, f := range m.Functions {
		inManifest[f.Name] = true
		kind, ok := code[f.Name]
		if !ok {
			t.Errorf("manifest lists %q but no package under functions/ registers it", f.Name)
			continue
		}
		wantEvent := f.Kind != manifest.KindHTTP
		if (kind == "event") != wantEvent {
			t.Errorf("function %q: manifest kind %q, code registers %s", f.Name, f.Kind, kind)
		}
	}
	var extra []string
	for name := range code {
		if !inManifest[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		t.Errorf("code registers %q but the manifest does not list it", name)
	}
	if err := checkEntryPoints(m); err != nil {
		t.Errorf("runner table: %v", err)
	}
}
