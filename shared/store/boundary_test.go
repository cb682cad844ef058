package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mayUseFirestore are the directories (from the module root) whose
// non-test code may import the Firestore client: this package, and the
// emulator test environment, which keeps a client to inspect documents.
var mayUseFirestore = []string{"shared/store", "emulator/testenv"}

// nestedFieldPrefixes are map fields of stored documents whose names the
// API does not reuse; a string such as "provision.state" is a Firestore
// field path, which only this package spells. (escalation.* and intake.*
// are also API field names, so they are not listed.)
var nestedFieldPrefixes = []string{"provision.", "resellerAccess.", "resellerHistory."}

// TestOnlyTheStoreTouchesFirestore keeps this package the only code that
// touches Firestore: no other non-test Go file imports the client (so no
// transaction, client or field update escapes), and none spells a nested
// field path.
func TestOnlyTheStoreTouchesFirestore(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if name := d.Name(); rel != "." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		allowed := false
		for _, dir := range mayUseFirestore {
			allowed = allowed || strings.HasPrefix(rel, dir+"/")
		}
		if strings.HasPrefix(rel, "shared/store/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed && strings.HasPrefix(p, "cloud.google.com/go/firestore") {
				t.Errorf("%s imports %s: only shared/store touches Firestore", rel, p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			for _, prefix := range nestedFieldPrefixes {
				if strings.HasPrefix(s, prefix) {
					t.Errorf("%s: %q looks like a Firestore field path: only shared/store spells them", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the walk broken?", checked)
	}
}
