package main

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestPlanFileIsCurrent fails when infra/plan.json is not what the
// manifest derives (run `make generate` after editing functions.yaml).
func TestPlanFileIsCurrent(t *testing.T) {
	t.Parallel()
	want, err := render()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("infra/plan.json is out of date with infra/functions.yaml: run `make generate`")
	}
}

// The collections whose records carry an expiry in code have a TTL policy
// in the plan (without one, Firestore keeps them forever).
func TestTTLCollectionsMatchCode(t *testing.T) {
	t.Parallel()
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := manifest.Derive(m, manifest.ProjectPlaceholder)
	for _, c := range []string{dedupe.Collection, store.NotificationFailuresCollection} {
		if p.TTL[c] == "" {
			t.Errorf("collection %q expires records in code but has no ttl: entry in infra/functions.yaml", c)
		}
	}
}

// A function links the Pub/Sub publisher (shared/publish) exactly when the
// manifest says it publishes: only publishers get the publisher role, and
// every publisher gets it.
func TestPublishersMatchCode(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps=false", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "../../functions/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	links := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := fields[0][strings.LastIndex(fields[0], "/")+1:]
		links[pkg] = slices.Contains(fields[1:], "github.com/supportcenter/supportcenter/shared/publish")
	}
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		pkg := strings.ReplaceAll(f.Name, "-", "")
		linked, ok := links[pkg]
		if !ok {
			t.Errorf("%s: no package functions/%s", f.Name, pkg)
			continue
		}
		if linked != (len(f.Publishes) > 0) {
			t.Errorf("%s: links the publisher = %v, but the manifest lists publishes: %v", f.Name, linked, f.Publishes)
		}
	}
}

// The Cloud Functions runtime is the Go release go.mod asks for ("go126"
// for go 1.26.x), so the buildpack builds with the Go the code is tested
// with.
func TestRuntimeMatchesGoMod(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var goLine string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			goLine = strings.TrimSpace(v)
		}
	}
	parts := strings.Split(goLine, ".")
	if len(parts) < 2 {
		t.Fatalf("go.mod go line %q", goLine)
	}
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	if want := "go" + parts[0] + parts[1]; m.Runtime != want {
		t.Errorf("manifest runtime %q, go.mod says go %s: want %q", m.Runtime, goLine, want)
	}
}
