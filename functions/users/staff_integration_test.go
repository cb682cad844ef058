//go:build integration

package users_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/firestore"
	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/users"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestSupportStaffThroughUsersAPI: support admins add support staff to the
// vendor organisation with the support roles, change and revoke them, and
// the new staff member acts as support once active. Support agents, the
// support team on a customer, and customer roles on the vendor are refused.
func TestSupportStaffThroughUsersAPI(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	lead, agent := env.Token(t, "lead@support.example"), env.Token(t, "agent@support.example")
	vendor := seed.VendorOrgID
	hire := testenv.UniqueID("hire") + "@support.example"
	staffRole := []store.Role{{Role: store.RoleSupportAgent}}

	refusals := map[string]struct {
		token, org string
		body       users.AddRequest
		want       int
	}{
		"an agent adds staff":            {agent, vendor, users.AddRequest{Email: hire, Roles: staffRole}, http.StatusForbidden},
		"customer roles on the vendor":   {lead, vendor, users.AddRequest{Email: hire, Roles: []store.Role{{Role: store.RoleOrgAdmin}}}, http.StatusBadRequest},
		"a product-scoped support role":  {lead, vendor, users.AddRequest{Email: hire, Roles: []store.Role{{Role: store.RoleSupportAgent, ProductIDs: []string{"clouddb"}}}}, http.StatusBadRequest},
		"a support admin on a customer":  {lead, "acme", users.AddRequest{Email: "x@acme.example", Roles: []store.Role{{Role: store.RoleMember}}}, http.StatusForbidden},
		"a customer admin grants staff":  {env.Token(t, "admin@acme.example"), "acme", users.AddRequest{Email: "x@acme.example", Roles: staffRole}, http.StatusBadRequest},
		"a customer admin on the vendor": {env.Token(t, "admin@acme.example"), vendor, users.AddRequest{Email: hire, Roles: staffRole}, http.StatusNotFound},
	}
	for name, tc := range refusals {
		if r := env.Do(t, "POST", usersPath(tc.org), tc.token, tc.body); r.Status != tc.want {
			t.Errorf("%s: %d %s, want %d", name, r.Status, r.Body, tc.want)
		}
	}

	r := env.Do(t, "POST", usersPath(vendor), lead, users.AddRequest{Email: hire, DisplayName: "New Agent", Roles: staffRole})
	if r.Status != http.StatusOK {
		t.Fatalf("support admin adds an agent: %d %s", r.Status, r.Body)
	}
	var added users.User
	r.JSON(t, &added)
	if added.Status != store.StatusPending || len(added.Roles) != 1 || added.Roles[0].Role != store.RoleSupportAgent {
		t.Fatalf("added %+v", added)
	}
	// Provisioning sends the welcome e-mail; the address then signs in.
	msgs := waitMail(t, env, hire, 1)
	if len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails, want 1", len(msgs))
	}
	setPasswordFromMail(t, env, msgs[0])
	tok := env.FreshToken(t, hire)
	if r := env.Do(t, "GET", "/v2/cases", tok, nil); r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" {
		t.Fatalf("pending staff reads the queue: %d %s", r.Status, r.Body)
	}
	// Activated now (as the sweep would at its time).
	if _, err := env.FS().Collection(store.MembershipsCollection).Doc(store.MembershipID(vendor, hire)).Update(t.Context(),
		[]firestore.Update{{Path: "status", Value: store.StatusActive}, {Path: "activateTime", Value: time.Now().UTC()}}); err != nil {
		t.Fatal(err)
	}
	if r := env.Do(t, "GET", "/v2/cases", tok, nil); r.Status != http.StatusOK {
		t.Fatalf("active agent reads the support queue: %d %s", r.Status, r.Body)
	}
	// An agent may not promote itself or anyone; a support admin may.
	promote := users.PatchRequest{Roles: []store.Role{{Role: store.RoleSupportAdmin}, {Role: store.RoleSupportAgent}}}
	if r := env.Do(t, "PATCH", userPath(vendor, hire), tok, promote); r.Status != http.StatusForbidden {
		t.Fatalf("agent promotes itself: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "PATCH", userPath(vendor, hire), lead, promote); r.Status != http.StatusOK {
		t.Fatalf("support admin promotes: %d %s", r.Status, r.Body)
	}
	// Disabled: refused on the next request; enabled: back on the next.
	if r := env.Do(t, "POST", userPath(vendor, hire)+":disable", lead, nil); r.Status != http.StatusOK {
		t.Fatalf("disable staff: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", "/v2/cases", tok, nil); r.Status != http.StatusForbidden {
		t.Fatalf("disabled staff reads the queue: %d", r.Status)
	}
	if r := env.Do(t, "POST", userPath(vendor, hire)+":enable", agent, nil); r.Status != http.StatusForbidden {
		t.Fatalf("an agent enables staff: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", userPath(vendor, hire)+":enable", lead, nil); r.Status != http.StatusOK {
		t.Fatalf("enable staff: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", "/v2/cases", tok, nil); r.Status != http.StatusOK {
		t.Fatalf("re-enabled staff reads the queue: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "DELETE", userPath(vendor, hire), lead, nil); r.Status != http.StatusOK {
		t.Fatalf("remove staff: %d %s", r.Status, r.Body)
	}
}

// TestEnableUser: a disabled member is refused on the next request and let
// in again on the next one after :enable; enabling twice changes nothing;
// only org admins enable; an account disabled in Firebase Auth itself is
// not lifted (400 FAILED_PRECONDITION); a user disabled before provisioning ran is provisioned
// again (the welcome e-mail arrives).
func TestEnableUser(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, _, adminTok := admined(t, env)
	member := tn.Email("member")
	env.AddUser(t, tn.OrgID, member, store.StatusActive, store.Role{Role: store.RoleMember})
	tok := env.Token(t, member)
	casesPath := "/v2/organizations/" + tn.OrgID + "/cases"
	if r := env.Do(t, "GET", casesPath, tok, nil); r.Status != http.StatusOK {
		t.Fatalf("member lists cases: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", userPath(tn.OrgID, member)+":disable", adminTok, nil); r.Status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", casesPath, tok, nil); r.Status != http.StatusForbidden {
		t.Fatalf("disabled member lists cases: %d", r.Status)
	}
	if r := env.Do(t, "POST", userPath(tn.OrgID, member)+":enable", tok, nil); r.Status != http.StatusForbidden {
		t.Fatalf("the disabled member enables itself: %d %s", r.Status, r.Body)
	}
	for i := range 2 {
		r := env.Do(t, "POST", userPath(tn.OrgID, member)+":enable", adminTok, nil)
		var u users.User
		r.JSON(t, &u)
		if r.Status != http.StatusOK || u.Status != store.StatusActive {
			t.Fatalf("enable #%d: %d %s", i+1, r.Status, r.Body)
		}
	}
	if r := env.Do(t, "GET", casesPath, tok, nil); r.Status != http.StatusOK {
		t.Fatalf("re-enabled member lists cases: %d %s", r.Status, r.Body)
	}
	if got := auditActions(t, env, tn.OrgID); got[store.AuditUserEnable] != 1 || got[store.AuditUserDisable] != 1 {
		t.Errorf("audit %v, want one disable and one enable", got)
	}
	if r := env.Do(t, "POST", userPath(tn.OrgID, tn.Email("nobody"))+":enable", adminTok, nil); r.Status != http.StatusNotFound {
		t.Errorf("enable a stranger: %d", r.Status)
	}

	// Disabled in Firebase Auth itself: not lifted by an organisation.
	blocked := tn.Email("blocked")
	env.AddUser(t, tn.OrgID, blocked, store.StatusActive, store.Role{Role: store.RoleMember})
	u, err := env.Writer.Auth.GetUserByEmail(t.Context(), blocked)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Writer.Auth.UpdateUser(t.Context(), u.UID, (&fbauth.UserToUpdate{}).Disabled(true)); err != nil {
		t.Fatal(err)
	}
	env.Do(t, "POST", userPath(tn.OrgID, blocked)+":disable", adminTok, nil)
	if r := env.Do(t, "POST", userPath(tn.OrgID, blocked)+":enable", adminTok, nil); r.Status != http.StatusBadRequest ||
		!strings.Contains(string(r.Body), "FAILED_PRECONDITION") {
		t.Fatalf("enable an Auth-disabled account: %d %s", r.Status, r.Body)
	}

	// Disabled before provisioning ran (no account, provisioning
	// cancelled): enabling provisions again.
	late := tn.Email("late")
	if err := env.Writer.Store.PutMembership(t.Context(), store.MembershipDoc{
		Membership: store.Membership{OrgID: tn.OrgID, Email: late, Status: store.StatusDisabled, Language: "en",
			Roles: []store.Role{{Role: store.RoleMember}}, ActivateTime: time.Now().UTC().Add(-time.Hour)},
		Provision: &store.Provisioning{State: provisioning.Cancelled, EventID: "old", Error: "disabled before provisioning"}}); err != nil {
		t.Fatal(err)
	}
	r := env.Do(t, "POST", userPath(tn.OrgID, late)+":enable", adminTok, nil)
	var got users.User
	r.JSON(t, &got)
	if r.Status != http.StatusOK || got.Status != store.StatusActive || got.Provisioning == nil || got.Provisioning.State != provisioning.Pending {
		t.Fatalf("enable an unprovisioned user: %d %s", r.Status, r.Body)
	}
	if msgs := waitMail(t, env, late, 1); len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails after re-enabling, want 1", len(msgs))
	}
}

// TestLastSupportAdminIsKept: the vendor organisation keeps its last active
// support admin, as a customer keeps its last org admin (served in-process
// over a vendor organisation of the test's own).
func TestLastSupportAdminIsKept(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	vendor := env.PutOrg(t, testenv.UniqueID("vendor"), store.Org{DisplayName: "Vendor", Kind: store.KindVendor})
	boss, other := vendor.Email("boss"), vendor.Email("other")
	for _, e := range []string{boss, other} {
		roles := []store.Role{{Role: store.RoleSupportAgent}}
		if e == boss {
			roles = []store.Role{{Role: store.RoleSupportAdmin}}
		}
		if err := env.Writer.Membership(ctx, store.Membership{OrgID: vendor.OrgID, Email: e, Status: store.StatusActive, Roles: roles}); err != nil {
			t.Fatal(err)
		}
	}
	ids := testenv.StubVerifier{"boss": {UID: "uid-boss", Email: boss, EmailVerified: true}}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: vendor.OrgID},
		slog.New(slog.DiscardHandler), store.New(env.FS()), ids, clock.Real{})
	srv := httptest.NewServer(users.New(deps, users.Config{}, &recorder{}).WithAccounts(env.Accounts(t)).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, body string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer boss")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	self := userPath(vendor.OrgID, boss)
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", self, `{"roles":[{"role":"SUPPORT_AGENT"}]}`}, {"POST", self + ":disable", ""}, {"DELETE", self, ""}} {
		if got := do(c.method, c.path, c.body); got != http.StatusBadRequest {
			t.Errorf("%s %s of the last support admin: %d, want 400 FAILED_PRECONDITION", c.method, c.path, got)
		}
	}
	if got := do("PATCH", userPath(vendor.OrgID, other), `{"roles":[{"role":"SUPPORT_ADMIN"}]}`); got != http.StatusOK {
		t.Fatalf("promote a second support admin: %d", got)
	}
	if got := do("PATCH", self, `{"roles":[{"role":"SUPPORT_AGENT"}]}`); got != http.StatusOK {
		t.Errorf("step down beside another support admin: %d", got)
	}
}

// TestEnableCosts counts what :enable reads and writes: resolve (3) and
// the membership in the transaction (1); the membership and the audit
// entry (2 w), plus the event and its delete when provisioning restarts.
func TestEnableCosts(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	admin, back, gone := tn.Email("admin"), tn.Email("back"), tn.Email("gone")
	env.AddUser(t, tn.OrgID, back, store.StatusDisabled, store.Role{Role: store.RoleMember}) // has an account
	for email, status := range map[string]string{admin: store.StatusActive, gone: store.StatusDisabled} {
		if err := env.Writer.Membership(ctx, store.Membership{OrgID: tn.OrgID, Email: email, Status: status,
			Roles: []store.Role{{Role: store.RoleOrgAdmin}}}); err != nil {
			t.Fatal(err)
		}
	}
	ids := testenv.StubVerifier{"admin": {UID: "uid-admin", Email: admin, EmailVerified: true}}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.DiscardHandler), testenv.CountingStore(fs), ids, clock.Real{})
	srv := httptest.NewServer(users.New(deps, users.Config{}, &recorder{}).WithAccounts(env.Accounts(t)).Routes())
	t.Cleanup(srv.Close)
	do := func(path string) {
		req, _ := http.NewRequest("POST", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer admin")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
	}
	do(userPath(tn.OrgID, admin) + ":enable") // warm the package cache (not disabled: no change)
	// Each: the resolution (3, + 1 the catalogue version) and the transaction's read.
	for _, s := range []struct {
		name          string
		path          string
		reads, writes int
	}{
		{"users.enable (account exists)", userPath(tn.OrgID, back) + ":enable", 3 + 1 + 1, 2},
		{"users.enable (no account: provisioning again)", userPath(tn.OrgID, gone) + ":enable", 3 + 1 + 1, 3 + 1},
		{"users.enable (not disabled)", userPath(tn.OrgID, back) + ":enable", 3 + 1 + 1, 0},
	} {
		cnt.Take()
		do(s.path)
		r, w := cnt.Take()
		t.Logf("%-48s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, want %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}
