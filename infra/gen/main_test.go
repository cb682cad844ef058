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

// TestDependencyRules keeps binaries lean and rights narrow: it reads
// what every function's package links (go list) and holds it to the
// manifest.
//
//   - A function links the publisher (shared/publish) exactly when the
//     manifest says it publishes: only publishers get the publisher role,
//     and every publisher gets it.
//   - Only those link the Pub/Sub client library (cloud.google.com/go/
//     pubsub/v2): its gRPC stubs and dependencies cost about 1.7 MB per
//     binary.
//   - Only functions with a bucket in the manifest link the Cloud
//     Storage client (shared/objectstore), and none links Google's
//     storage library (cloud.google.com/go/storage): it links its gRPC,
//     DirectPath and xDS stack (about 200 packages, 19 MB per binary)
//     even for plain HTTP calls. No function links gRPC xDS at all.
//   - None links the Firebase Admin SDK: its root package, the only way to
//     build its Auth client, pulls Cloud Storage, gRPC xDS and envoy (about
//     25 MB per binary); tokens are verified in shared/auth and accounts
//     managed through shared/authadmin's REST client.
//   - The leaves every function links (the event schema, token
//     verification, the account client) and the storage leaves (the
//     object client, URL signing) link neither Firestore nor Pub/Sub;
//     the storage leaves link no gRPC at all.
//
// A new function is held to the rules as soon as it is in the manifest.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	const module = "github.com/supportcenter/supportcenter/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Deps " "}}`,
		module+"functions/...", module+"shared/events", module+"shared/auth", module+"shared/authadmin",
		module+"shared/objectstore", module+"shared/signedurl").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		deps[strings.TrimPrefix(fields[0], module)] = fields[1:]
	}
	links := func(pkg, dep string) bool {
		return slices.ContainsFunc(deps[pkg], func(d string) bool { return d == dep || strings.HasPrefix(d, dep+"/") })
	}
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Functions {
		pkg := "functions/" + strings.ReplaceAll(f.Name, "-", "")
		if _, ok := deps[pkg]; !ok {
			t.Errorf("%s: no package %s", f.Name, pkg)
			continue
		}
		for _, r := range []struct {
			dep     string
			allowed bool
			why     string
		}{
			{module + "shared/publish", len(f.Publishes) > 0, "only functions with publishes: in the manifest publish"},
			{"cloud.google.com/go/pubsub/v2", len(f.Publishes) > 0, "only functions with publishes: in the manifest publish"},
			{module + "shared/objectstore", len(f.Buckets) > 0, "only functions with buckets: in the manifest use Cloud Storage"},
			{"cloud.google.com/go/storage", false, "Cloud Storage is reached through shared/objectstore"},
			{"google.golang.org/grpc/xds", false, "no function needs gRPC xDS"},
			{"firebase.google.com/go/v4", false, "the Firebase Admin SDK is not used"},
		} {
			if links(pkg, r.dep) && !r.allowed {
				t.Errorf("%s links %s (%s)", pkg, r.dep, r.why)
			}
		}
		if len(f.Publishes) > 0 && !links(pkg, module+"shared/publish") {
			t.Errorf("%s: the manifest lists publishes: %v, but it does not link shared/publish", f.Name, f.Publishes)
		}
	}
	for _, leaf := range []string{"shared/events", "shared/auth", "shared/authadmin", "shared/objectstore", "shared/signedurl"} {
		for _, dep := range []string{"cloud.google.com/go/firestore", "cloud.google.com/go/pubsub/v2", "firebase.google.com/go/v4", "cloud.google.com/go/storage"} {
			if links(leaf, dep) {
				t.Errorf("%s links %s", leaf, dep)
			}
		}
	}
	// The storage leaves are plain HTTP: no gRPC at all.
	for _, leaf := range []string{"shared/objectstore", "shared/signedurl"} {
		if links(leaf, "google.golang.org/grpc") {
			t.Errorf("%s links google.golang.org/grpc", leaf)
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
