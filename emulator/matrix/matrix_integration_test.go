//go:build integration

package matrix

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Actor is one kind of caller in the matrix.
type Actor string

// The actors of issue 2's matrix.
const (
	Anonymous         Actor = "anonymous"
	NonMember         Actor = "signed-in non-member"
	Pending           Actor = "pending member"
	Viewer            Actor = "viewer"
	OtherProduct      Actor = "member scoped to another product"
	Member            Actor = "member"
	OrgAdmin          Actor = "org admin"
	ProductAdmin      Actor = "product admin"
	OtherOrgAdmin     Actor = "another org's admin"
	ResellerGranted   Actor = "reseller with grant"
	ResellerNoGrant   Actor = "reseller without grant"
	ResellerRevoked   Actor = "reseller after grant revoked"
	ResellerNew       Actor = "new reseller after transfer (earlier cases)"
	ResellerOld       Actor = "old reseller after transfer"
	SupportAgent      Actor = "support agent"
	SupportAdminActor Actor = "support admin"
	// VendorMember belongs to the vendor's organisation without a staff
	// role: not support staff, so a stranger to every customer.
	VendorMember Actor = "vendor member without a staff role"
)

// AllActors lists every actor; every endpoint needs a row for each.
var AllActors = []Actor{Anonymous, NonMember, Pending, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin,
	OtherOrgAdmin, ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew, ResellerOld, SupportAgent, SupportAdminActor,
	VendorMember}

// Products of the matrix's customers: the tested case is about ProductA.
const (
	ProductA = "clouddb"
	ProductB = "analytics"
)

// Target is what an actor is tested against: an organisation and, for
// case-level endpoints, a case in it filed under the conditions the actor's
// scenario needs.
type Target struct {
	OrgID string
	// ResellerID is the organisation's reseller at filing time ("" none).
	ResellerID string
	// FiledAt is when the target's cases are filed.
	FiledAt time.Time
}

// World is the isolated set of organisations and people the matrix runs on.
type World struct {
	Env     *testenv.Env
	Tokens  map[Actor]string
	Targets map[Actor]Target
	Emails  map[Actor]string
	// Customer is the main customer organisation (PLATINUM, products A and B).
	Customer *testenv.Tenant

	mu    sync.Mutex
	cases map[string]string // cached shared case per target org
}

// CaseFactory files a case in target (written directly to Firestore, as the
// cases function would) and returns its id. Set by the cases rows.
var CaseFactory func(t testing.TB, w *World, tg Target) string

// Case returns a shared case for the actor's target (created once per org;
// only read-only endpoints may use it).
func (w *World) Case(t testing.TB, a Actor) string {
	t.Helper()
	tg := w.Targets[a]
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.cases[tg.OrgID]; ok {
		return id
	}
	id := w.NewCase(t, a)
	w.cases[tg.OrgID] = id
	return id
}

// NewCase files a fresh case for the actor's target (for endpoints that
// change a case, so cells never interfere).
func (w *World) NewCase(t testing.TB, a Actor) string {
	t.Helper()
	if CaseFactory == nil {
		t.Fatal("matrix: no CaseFactory registered")
	}
	return CaseFactory(t, w, w.Targets[a])
}

// Endpoint is one method on one path, with the expected status per actor.
type Endpoint struct {
	Name   string // "cases.get"
	Method string
	// Route is the manifest route pattern this endpoint is served by.
	Route string
	// Build returns the request path (with query) and JSON body for actor a.
	Build func(t testing.TB, w *World, a Actor) (path string, body any)
	// Want is the expected HTTP status per actor.
	Want map[Actor]int
}

var endpoints []Endpoint

func register(es ...Endpoint) { endpoints = append(endpoints, es...) }

// Uniform returns a Want map with the same status for the listed actors,
// merged onto base (later arguments win).
func Uniform(status int, actors ...Actor) map[Actor]int {
	m := map[Actor]int{}
	for _, a := range actors {
		m[a] = status
	}
	return m
}

// Merge combines Want maps; later maps win.
func Merge(ms ...map[Actor]int) map[Actor]int {
	out := map[Actor]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Baseline is the status every organisation-scoped endpoint gives actors
// with no relation to the target: 401 anonymous, 403 ACCESS_REQUIRED for
// non-members and pending members, 404 for other tenants (a vendor member
// without a staff role is one: only staff roles reach customers).
func Baseline() map[Actor]int {
	return map[Actor]int{
		Anonymous: http.StatusUnauthorized, NonMember: http.StatusForbidden, Pending: http.StatusForbidden,
		OtherOrgAdmin: http.StatusNotFound, ResellerOld: http.StatusNotFound, VendorMember: http.StatusNotFound,
	}
}

var (
	worldOnce sync.Once
	world     *World
)

func getWorld(t *testing.T) *World {
	t.Helper()
	worldOnce.Do(func() { world = buildWorld(t) })
	if world == nil {
		t.Fatal("matrix world could not be built")
	}
	return world
}

func buildWorld(t *testing.T) *World {
	env := testenv.Get(t)
	now := time.Now().UTC()
	longAgo := now.AddDate(0, -6, 0)
	w := &World{Env: env, Tokens: map[Actor]string{}, Targets: map[Actor]Target{}, Emails: map[Actor]string{}, cases: map[string]string{}}

	reseller := func(name string) *testenv.Tenant {
		return env.PutOrg(t, testenv.UniqueID(name), store.Org{DisplayName: name, Kind: store.KindReseller})
	}
	customer := func(name string, o store.Org) *testenv.Tenant {
		o.DisplayName, o.Kind, o.PackageID = name, store.KindCustomer, "PLATINUM"
		o.ProductIDs = []string{ProductA, ProductB}
		id := testenv.UniqueID(name)
		o.Domains = []string{id + ".example"}
		return env.PutOrg(t, id, o)
	}
	rg, rn, rr, rnew, rold := reseller("rg"), reseller("rn"), reseller("rr"), reseller("rnew"), reseller("rold")

	c := customer("main", store.Org{})
	other := customer("other", store.Org{})
	cg := customer("granted", store.Org{ResellerID: rg.OrgID, ResellerSince: longAgo,
		ResellerAccess: store.ResellerAccess{Granted: true, GrantTime: longAgo}})
	cn := customer("nogrant", store.Org{ResellerID: rn.OrgID, ResellerSince: longAgo})
	cr := customer("revoked", store.Org{ResellerID: rr.OrgID, ResellerSince: longAgo,
		ResellerAccess: store.ResellerAccess{Granted: false, GrantTime: longAgo, RevokeTime: now.Add(-time.Hour)}})
	// Transferred an hour ago from rold to rnew; its target cases were filed
	// while rold was the reseller.
	transferAt := now.Add(-time.Hour)
	ct := customer("moved", store.Org{ResellerID: rnew.OrgID, ResellerSince: transferAt,
		ResellerAccess: store.ResellerAccess{Granted: true, GrantTime: transferAt},
		ResellerHistory: []store.ResellerTerm{{ResellerID: rold.OrgID, Start: longAgo, End: transferAt},
			{ResellerID: rnew.OrgID, Start: transferAt}}})
	w.Customer = c

	mainTarget := Target{OrgID: c.OrgID, FiledAt: now.Add(-time.Minute)}
	people := []struct {
		actor  Actor
		org    string
		email  string
		status string
		roles  []store.Role
		target Target
	}{
		{Pending, c.OrgID, c.Email("pending"), store.StatusPending, []store.Role{{Role: store.RoleMember}}, mainTarget},
		{Viewer, c.OrgID, c.Email("viewer"), store.StatusActive, []store.Role{{Role: store.RoleViewer}}, mainTarget},
		{OtherProduct, c.OrgID, c.Email("otherproduct"), store.StatusActive, []store.Role{{Role: store.RoleMember, ProductIDs: []string{ProductB}}}, mainTarget},
		{Member, c.OrgID, c.Email("member"), store.StatusActive, []store.Role{{Role: store.RoleMember}}, mainTarget},
		{OrgAdmin, c.OrgID, c.Email("admin"), store.StatusActive, []store.Role{{Role: store.RoleOrgAdmin}}, mainTarget},
		{ProductAdmin, c.OrgID, c.Email("padmin"), store.StatusActive, []store.Role{{Role: store.RoleProductAdmin, ProductIDs: []string{ProductA}}}, mainTarget},
		{OtherOrgAdmin, other.OrgID, other.Email("admin"), store.StatusActive, []store.Role{{Role: store.RoleOrgAdmin}}, mainTarget},
		{ResellerGranted, rg.OrgID, rg.Email("partner"), store.StatusActive, []store.Role{{Role: store.RoleMember}},
			Target{OrgID: cg.OrgID, ResellerID: rg.OrgID, FiledAt: now.Add(-time.Minute)}},
		{ResellerNoGrant, rn.OrgID, rn.Email("partner"), store.StatusActive, []store.Role{{Role: store.RoleMember}},
			Target{OrgID: cn.OrgID, ResellerID: rn.OrgID, FiledAt: now.Add(-time.Minute)}},
		{ResellerRevoked, rr.OrgID, rr.Email("partner"), store.StatusActive, []store.Role{{Role: store.RoleMember}},
			Target{OrgID: cr.OrgID, ResellerID: rr.OrgID, FiledAt: now.Add(-2 * time.Hour)}},
		{ResellerNew, rnew.OrgID, rnew.Email("partner"), store.StatusActive, []store.Role{{Role: store.RoleMember}},
			Target{OrgID: ct.OrgID, ResellerID: rold.OrgID, FiledAt: transferAt.Add(-24 * time.Hour)}},
		{ResellerOld, rold.OrgID, rold.Email("partner"), store.StatusActive, []store.Role{{Role: store.RoleMember}},
			Target{OrgID: ct.OrgID, ResellerID: rold.OrgID, FiledAt: transferAt.Add(-24 * time.Hour)}},
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.AddUser(t, p.org, p.email, p.status, p.roles...)
			tok := env.Token(t, p.email)
			mu.Lock()
			w.Tokens[p.actor], w.Targets[p.actor], w.Emails[p.actor] = tok, p.target, p.email
			mu.Unlock()
		}()
	}
	wg.Wait()
	// Staff come from the demo data; a non-member has an account and nothing else.
	stranger := testenv.UniqueID("stranger") + "@nowhere.example"
	if _, err := env.Writer.User(t.Context(), stranger, "Stranger"); err != nil {
		t.Fatal(err)
	}
	vendorMember := testenv.UniqueID("vendormember") + "@support.example"
	env.AddUser(t, seed.VendorOrgID, vendorMember, store.StatusActive, store.Role{Role: store.RoleMember})
	for a, email := range map[Actor]string{NonMember: stranger, SupportAgent: "agent@support.example",
		SupportAdminActor: "lead@support.example", VendorMember: vendorMember} {
		w.Tokens[a], w.Targets[a], w.Emails[a] = env.Token(t, email), mainTarget, email
	}
	w.Targets[Anonymous] = mainTarget
	return w
}

// TestAccessMatrix runs every endpoint × actor cell through the gateway.
func TestAccessMatrix(t *testing.T) {
	checkCoverage(t)
	w := getWorld(t)
	var cells, passed atomic.Int64
	t.Cleanup(func() { t.Logf("access matrix: %d cells, %d passed", cells.Load(), passed.Load()) })
	for _, e := range endpoints {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			for _, a := range AllActors {
				t.Run(string(a), func(t *testing.T) {
					t.Parallel()
					cells.Add(1)
					path, body := e.Build(t, w, a)
					r := w.Env.Do(t, e.Method, path, w.Tokens[a], body)
					if r.Status != e.Want[a] {
						t.Fatalf("%s %s as %s: got %d, want %d: %s", e.Method, path, a, r.Status, e.Want[a], r.Body)
					}
					if r.Status == http.StatusForbidden && (a == NonMember || a == Pending) && r.ErrorReason() != "ACCESS_REQUIRED" {
						t.Fatalf("%s as %s: 403 without ACCESS_REQUIRED: %s", e.Name, a, r.Body)
					}
					passed.Add(1)
				})
			}
		})
	}
}

// checkCoverage fails when a manifest route has no endpoint or an endpoint
// lacks an actor's row.
func checkCoverage(t *testing.T) {
	t.Helper()
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	names := map[string]bool{}
	for _, e := range endpoints {
		if names[e.Name] {
			t.Errorf("endpoint %q registered twice", e.Name)
		}
		names[e.Name] = true
		covered[e.Route] = true
		var missing []string
		for _, a := range AllActors {
			if _, ok := e.Want[a]; !ok {
				missing = append(missing, string(a))
			}
		}
		if len(missing) > 0 {
			t.Errorf("endpoint %s has no row for: %s", e.Name, strings.Join(missing, ", "))
		}
	}
	var uncovered []string
	for _, f := range m.Functions {
		for _, r := range f.Routes {
			if !covered[r] {
				uncovered = append(uncovered, fmt.Sprintf("%s (%s)", r, f.Name))
			}
		}
	}
	sort.Strings(uncovered)
	for _, r := range uncovered {
		t.Errorf("route %s has no access-matrix rows", r)
	}
}
