//go:build integration

package orgs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/orgs"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The scenarios of issue 2, through the gateway with real Auth-emulator
// tokens. The demo organisations are only read; everything a test changes
// is an organisation of its own.

const (
	partner = "partner@resellco.example"
	agent   = "agent@support.example"
	lead    = "lead@support.example"
)

// newReseller writes a reseller organisation with one member and returns
// both.
func newReseller(t *testing.T, env *testenv.Env) (orgID, member string) {
	t.Helper()
	rs := env.PutOrg(t, testenv.UniqueID("resl"), store.Org{DisplayName: "Reseller", Kind: store.KindReseller})
	member = rs.Email("partner")
	env.AddUser(t, rs.OrgID, member, store.StatusActive, store.Role{Role: store.RoleMember})
	return rs.OrgID, member
}

// newCustomer writes a customer of pkg (CloudDB bought) managed by
// resellerID for a month ("" = none) with the grant as given, and its org
// admin.
func newCustomer(t *testing.T, env *testenv.Env, pkg, resellerID string, granted bool) (orgID, admin string) {
	t.Helper()
	id := testenv.UniqueID("cust")
	o := store.Org{DisplayName: "Customer " + id, Kind: store.KindCustomer, Domains: []string{id + ".example"},
		PackageID: pkg, ProductIDs: []string{"clouddb"}}
	if resellerID != "" {
		since := time.Now().UTC().AddDate(0, -1, 0)
		o.ResellerID, o.ResellerSince = resellerID, since
		o.ResellerAccess = store.ResellerAccess{Granted: granted, GrantTime: since}
		o.ResellerHistory = []store.ResellerTerm{{ResellerID: resellerID, Start: since}}
	}
	tn := env.PutOrg(t, id, o)
	admin = tn.Email("admin")
	env.AddUser(t, id, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	return id, admin
}

// fileCase files a CloudDB case through the cases API and returns its name.
func fileCase(t *testing.T, env *testenv.Env, orgID, email string) string {
	t.Helper()
	r := env.Do(t, "POST", "/v2/organizations/"+orgID+"/cases", env.Token(t, email), map[string]any{
		"displayName": "Orgs test case", "description": "Filed by the orgs integration test.",
		"classification": map[string]any{"id": "clouddb-performance"}, "priority": "P2"})
	if r.Status != http.StatusOK {
		t.Fatalf("file case: %d %s", r.Status, r.Body)
	}
	var c struct {
		Name string `json:"name"`
	}
	r.JSON(t, &c)
	return c.Name
}

// caseCount lists orgID's cases as email: the status and how many.
func caseCount(t *testing.T, env *testenv.Env, orgID, email string) (int, int) {
	t.Helper()
	r := env.Do(t, "GET", "/v2/organizations/"+orgID+"/cases?pageSize=100", env.Token(t, email), nil)
	var out struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if r.Status == http.StatusOK {
		r.JSON(t, &out)
	}
	return r.Status, len(out.Cases)
}

func getOrg(t *testing.T, env *testenv.Env, orgID, email string) (int, orgs.Organization) {
	t.Helper()
	r := env.Do(t, "GET", "/v2/organizations/"+orgID, env.Token(t, email), nil)
	var o orgs.Organization
	if r.Status == http.StatusOK {
		r.JSON(t, &o)
	}
	return r.Status, o
}

func post(t *testing.T, env *testenv.Env, path, email string, body any) (int, orgs.Organization) {
	t.Helper()
	r := env.Do(t, "POST", path, env.Token(t, email), body)
	var o orgs.Organization
	if r.Status == http.StatusOK {
		r.JSON(t, &o)
	}
	if r.Status >= 500 {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	return r.Status, o
}

func auditLog(t *testing.T, env *testenv.Env, orgID, email, query string) orgs.ListAuditLogResponse {
	t.Helper()
	r := env.Do(t, "GET", "/v2/organizations/"+orgID+"/auditLog"+query, env.Token(t, email), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("audit log: %d %s", r.Status, r.Body)
	}
	var out orgs.ListAuditLogResponse
	r.JSON(t, &out)
	return out
}

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return at
}

// errorInfo is a google.rpc.Status body's ErrorInfo.
func errorInfo(t *testing.T, r testenv.Response) (status, reason string, meta map[string]string) {
	t.Helper()
	var body struct {
		Error struct {
			Status  string `json:"status"`
			Details []struct {
				Reason   string            `json:"reason"`
				Metadata map[string]string `json:"metadata"`
			} `json:"details"`
		} `json:"error"`
	}
	r.JSON(t, &body)
	for _, d := range body.Error.Details {
		if d.Reason != "" {
			return body.Error.Status, d.Reason, d.Metadata
		}
	}
	return body.Error.Status, "", nil
}

func TestResellerSeesOnlyGrantedCustomersCases(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)

	r := env.Do(t, "GET", "/v2/organizations?pageSize=100", env.Token(t, partner), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	var list orgs.ListOrganizationsResponse
	r.JSON(t, &list)
	seen := map[string]orgs.Organization{}
	for _, o := range list.Organizations {
		seen[o.Name] = o
	}
	own, globex, initech := seen["organizations/resellco"], seen["organizations/globex"], seen["organizations/initech"]
	if own.Capacity != "CUSTOMER" || globex.Capacity != "RESELLER" || initech.Capacity != "RESELLER" {
		t.Fatalf("capacities: %+v", list.Organizations)
	}
	if globex.Reseller == nil || !globex.Reseller.AccessGranted || initech.Reseller == nil || initech.Reseller.AccessGranted {
		t.Fatalf("grant states: globex %+v initech %+v", globex.Reseller, initech.Reseller)
	}
	if _, ok := seen["organizations/acme"]; ok {
		t.Fatal("the reseller lists a customer that is not its own")
	}

	status, g := getOrg(t, env, "globex", partner)
	if status != http.StatusOK || g.Reseller.DisplayName != "Resellco" || g.Domains != nil || g.ResellerHistory != nil {
		t.Fatalf("globex as reseller: %d %+v", status, g)
	}
	if status, _ := caseCount(t, env, "globex", partner); status != http.StatusOK {
		t.Errorf("globex cases: %d, want 200", status)
	}
	if status, _ := caseCount(t, env, "initech", partner); status != http.StatusForbidden {
		t.Errorf("initech cases: %d, want 403 (no grant)", status)
	}
	if status, _ := getOrg(t, env, "acme", partner); status != http.StatusNotFound {
		t.Errorf("acme: %d, want 404", status)
	}
}

func TestRevokedResellerSeesNone(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	rs, rsMember := newReseller(t, env)
	cust, admin := newCustomer(t, env, "GOLD", rs, true)

	name := fileCase(t, env, cust, rsMember)
	if status, n := caseCount(t, env, cust, rsMember); status != http.StatusOK || n != 1 {
		t.Fatalf("before revocation: %d, %d cases", status, n)
	}

	status, o := post(t, env, "/v2/organizations/"+cust+":revokeResellerAccess", admin, nil)
	if status != http.StatusOK || o.Reseller == nil || o.Reseller.AccessGranted || o.Reseller.RevokeTime == "" {
		t.Fatalf("revoke: %d %+v", status, o.Reseller)
	}
	if status, _ := caseCount(t, env, cust, rsMember); status != http.StatusForbidden {
		t.Errorf("list after revocation: %d, want 403", status)
	}
	if r := env.Do(t, "GET", "/v2/"+name, env.Token(t, rsMember), nil); r.Status != http.StatusNotFound {
		t.Errorf("case after revocation: %d, want 404", r.Status)
	}
	// The customer still sees the case its reseller filed.
	if r := env.Do(t, "GET", "/v2/"+name, env.Token(t, admin), nil); r.Status != http.StatusOK {
		t.Errorf("customer reads the reseller's case: %d", r.Status)
	}
	// The reseller still knows its customer and sees that access is revoked.
	if status, g := getOrg(t, env, cust, rsMember); status != http.StatusOK || g.Reseller.AccessGranted {
		t.Errorf("org as reseller: %d %+v", status, g.Reseller)
	}

	// Idempotent: revoking again changes and records nothing.
	if status, _ := post(t, env, "/v2/organizations/"+cust+":revokeResellerAccess", admin, map[string]any{}); status != http.StatusOK {
		t.Errorf("second revoke: %d", status)
	}
	// Granting again restores the same term's cases.
	if status, o := post(t, env, "/v2/organizations/"+cust+":grantResellerAccess", admin, nil); status != http.StatusOK || !o.Reseller.AccessGranted {
		t.Fatalf("grant: %d %+v", status, o.Reseller)
	}
	if status, n := caseCount(t, env, cust, rsMember); status != http.StatusOK || n != 1 {
		t.Errorf("after re-grant: %d, %d cases", status, n)
	}
	var actions []string
	for _, e := range auditLog(t, env, cust, admin, "").AuditEntries {
		actions = append(actions, e.Action)
	}
	if want := []string{store.AuditResellerGrant, store.AuditResellerRevoke}; !slices.Equal(actions, want) {
		t.Errorf("audit actions %v, want %v (newest first, one per change)", actions, want)
	}

	// Only the customer's org admin manages the grant.
	member := strings.Replace(admin, "admin@", "member@", 1)
	env.AddUser(t, cust, member, store.StatusActive, store.Role{Role: store.RoleMember})
	for _, who := range []string{member, rsMember, agent, lead} {
		if status, _ := post(t, env, "/v2/organizations/"+cust+":revokeResellerAccess", who, nil); status != http.StatusForbidden {
			t.Errorf("%s revokes: %d, want 403", who, status)
		}
	}
	// A customer without a reseller has nothing to grant.
	alone, aloneAdmin := newCustomer(t, env, "GOLD", "", false)
	r := env.Do(t, "POST", "/v2/organizations/"+alone+":grantResellerAccess", env.Token(t, aloneAdmin), nil)
	if st, _, _ := errorInfo(t, r); r.Status != http.StatusBadRequest || st != "FAILED_PRECONDITION" {
		t.Errorf("grant without reseller: %d %s", r.Status, r.Body)
	}
}

func TestOtherTenantIsNotFound(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tok := env.Token(t, "admin@acme.example")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/v2/organizations/globex"},
		{"GET", "/v2/organizations/globex/productSupport"},
		{"GET", "/v2/organizations/globex/auditLog"},
		{"POST", "/v2/organizations/globex:grantResellerAccess"},
		{"POST", "/v2/organizations/globex:revokeResellerAccess"},
		{"POST", "/v2/organizations/globex:transfer"},
	} {
		existing := env.Do(t, tc.method, tc.path, tok, map[string]any{"resellerId": ""})
		missing := env.Do(t, tc.method, strings.Replace(tc.path, "globex", "no-such-org-"+testenv.UniqueID("x"), 1), tok,
			map[string]any{"resellerId": ""})
		if existing.Status != http.StatusNotFound || missing.Status != http.StatusNotFound {
			t.Errorf("%s %s: %d (missing org: %d), want 404", tc.method, tc.path, existing.Status, missing.Status)
		}
		// The answer must not tell an existing organisation from a missing one.
		if string(existing.Body) != string(missing.Body) {
			t.Errorf("%s %s: bodies differ: %s vs %s", tc.method, tc.path, existing.Body, missing.Body)
		}
	}
	if status, o := getOrg(t, env, "acme", "admin@acme.example"); status != http.StatusOK || o.Capacity != "CUSTOMER" ||
		o.SupportPackage == nil || o.SupportPackage.ID != "PLATINUM" || len(o.Products) != 2 {
		t.Errorf("own org: %d %+v", status, o)
	}
}

func TestAccessRequiredCauses(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	cust, _ := newCustomer(t, env, "GOLD", "", false)
	pending := "pending@" + cust + ".example"
	env.AddUser(t, cust, pending, store.StatusPending, store.Role{Role: store.RoleMember})
	stranger := testenv.UniqueID("stranger") + "@nowhere.example"
	if _, err := env.Writer.User(t.Context(), stranger, "Stranger"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who, path, cause string
	}{
		{pending, "/v2/organizations/" + cust, "PENDING"},
		{pending, "/v2/organizations", "PENDING"},
		{pending, "/v2/organizations/" + cust + "/productSupport", "PENDING"},
		{pending, "/v2/accessRequests", "PENDING"},
		{stranger, "/v2/organizations/" + cust, "NOT_A_MEMBER"},
		{stranger, "/v2/organizations", "NOT_A_MEMBER"},
		{stranger, "/v2/organizations/acme", "NOT_A_MEMBER"},
	} {
		r := env.Do(t, "GET", tc.path, env.Token(t, tc.who), nil)
		status, reason, meta := errorInfo(t, r)
		if r.Status != http.StatusForbidden || status != "PERMISSION_DENIED" || reason != "ACCESS_REQUIRED" || meta["cause"] != tc.cause {
			t.Errorf("%s GET %s: %d %s", tc.who, tc.path, r.Status, r.Body)
			continue
		}
		if tc.cause == "PENDING" {
			at, err := time.Parse(time.RFC3339, meta["activateTime"])
			if err != nil || !at.After(time.Now()) {
				t.Errorf("%s: activateTime %q: %v", tc.path, meta["activateTime"], err)
			}
		}
	}
}

func TestTransferResetsAccessAndIsAudited(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	oldRS, oldMember := newReseller(t, env)
	newRS, newMember := newReseller(t, env)
	cust, admin := newCustomer(t, env, "PLATINUM", oldRS, true)
	earlier := fileCase(t, env, cust, oldMember)
	path := "/v2/organizations/" + cust + ":transfer"

	// Only support admins transfer; the body is checked.
	for _, who := range []string{agent, admin, oldMember} {
		if status, _ := post(t, env, path, who, map[string]any{"resellerId": newRS}); status != http.StatusForbidden {
			t.Errorf("%s transfers: %d, want 403", who, status)
		}
	}
	for _, body := range []any{map[string]any{}, map[string]any{"resellerId": cust}, map[string]any{"resellerId": "a/b"}} {
		if status, _ := post(t, env, path, lead, body); status != http.StatusBadRequest {
			t.Errorf("transfer %v: %d, want 400", body, status)
		}
	}

	status, o := post(t, env, path, lead, map[string]any{"resellerId": newRS})
	if status != http.StatusOK || o.Reseller == nil || o.Reseller.Organization != "organizations/"+newRS || o.Reseller.AccessGranted {
		t.Fatalf("transfer: %d %+v", status, o.Reseller)
	}
	if h := o.ResellerHistory; len(h) != 2 || h[0].Reseller != "organizations/"+oldRS || h[0].EndTime == "" ||
		h[1].Reseller != "organizations/"+newRS || h[1].EndTime != "" || h[1].StartTime != o.Reseller.Since {
		t.Fatalf("history %+v", o.ResellerHistory)
	}
	// Idempotent: the same transfer again changes nothing.
	if status, again := post(t, env, path, lead, map[string]any{"resellerId": newRS}); status != http.StatusOK || len(again.ResellerHistory) != 2 {
		t.Errorf("repeat transfer: %d %+v", status, again.ResellerHistory)
	}

	// The old reseller sees nothing any more.
	if status, _ := getOrg(t, env, cust, oldMember); status != http.StatusNotFound {
		t.Errorf("old reseller reads the org: %d, want 404", status)
	}
	if r := env.Do(t, "GET", "/v2/"+earlier, env.Token(t, oldMember), nil); r.Status != http.StatusNotFound {
		t.Errorf("old reseller reads its case: %d, want 404", r.Status)
	}
	// The new reseller knows its customer but has no access until granted…
	if status, g := getOrg(t, env, cust, newMember); status != http.StatusOK || g.Reseller.AccessGranted {
		t.Errorf("new reseller reads the org: %d %+v", status, g.Reseller)
	}
	if status, _ := caseCount(t, env, cust, newMember); status != http.StatusForbidden {
		t.Errorf("new reseller lists before the grant: %d, want 403", status)
	}
	// …and after the grant never sees the cases of the earlier term.
	if status, _ := post(t, env, "/v2/organizations/"+cust+":grantResellerAccess", admin, nil); status != http.StatusOK {
		t.Fatalf("grant: %d", status)
	}
	if status, n := caseCount(t, env, cust, newMember); status != http.StatusOK || n != 0 {
		t.Errorf("new reseller lists: %d, %d cases, want 200 and none", status, n)
	}
	if r := env.Do(t, "GET", "/v2/"+earlier, env.Token(t, newMember), nil); r.Status != http.StatusNotFound {
		t.Errorf("new reseller reads the earlier case: %d, want 404", r.Status)
	}
	later := fileCase(t, env, cust, newMember)
	if r := env.Do(t, "GET", "/v2/"+later, env.Token(t, newMember), nil); r.Status != http.StatusOK {
		t.Errorf("new reseller reads its own case: %d", r.Status)
	}

	log := auditLog(t, env, cust, admin, "").AuditEntries
	if len(log) != 2 || log[0].Action != store.AuditResellerGrant || log[1].Action != store.AuditOrgTransfer {
		t.Fatalf("audit log %+v", log)
	}
	tr := log[1]
	if tr.Actor != lead || tr.Target != "organizations/"+newRS || tr.Details["fromReseller"] != "organizations/"+oldRS ||
		tr.Details["fromResellerAccessGranted"] != "true" || !strings.HasPrefix(tr.Name, "organizations/"+cust+"/auditLog/") {
		t.Errorf("transfer entry %+v", tr)
	}
	// Support reads it too; the customer's members and resellers do not.
	if len(auditLog(t, env, cust, agent, "").AuditEntries) != 2 {
		t.Error("support does not see the audit log")
	}
	if r := env.Do(t, "GET", "/v2/organizations/"+cust+"/auditLog", env.Token(t, newMember), nil); r.Status != http.StatusForbidden {
		t.Errorf("reseller reads the audit log: %d", r.Status)
	}

	// Back to the vendor: the new reseller loses the customer.
	if status, o := post(t, env, path, lead, map[string]any{"resellerId": ""}); status != http.StatusOK || o.Reseller != nil || len(o.ResellerHistory) != 3 {
		t.Fatalf("transfer to the vendor: %d %+v", status, o)
	}
	if status, _ := getOrg(t, env, cust, newMember); status != http.StatusNotFound {
		t.Errorf("former reseller reads the org: %d, want 404", status)
	}
}

func TestAccessRequestsReachTheSupportQueue(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	stranger := testenv.UniqueID("asker") + "@nowhere.example"
	if _, err := env.Writer.User(t.Context(), stranger, "Asker"); err != nil {
		t.Fatal(err)
	}
	tok := env.Token(t, stranger)
	msg := "Please give me access to Acme's cases, " + stranger
	r := env.Do(t, "POST", "/v2/accessRequests", tok, map[string]any{"orgId": "acme", "message": msg})
	if r.Status != http.StatusOK {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var created orgs.AccessRequest
	r.JSON(t, &created)
	if created.Email != stranger || created.UID == "" || created.Cause != "NOT_A_MEMBER" || created.State != "OPEN" ||
		created.OrgID != "acme" || !strings.HasPrefix(created.Name, "accessRequests/") {
		t.Fatalf("created %+v", created)
	}

	// The queue, newest first, paged: the request is in it.
	found := false
	token := ""
	for page := 0; page < 50 && !found; page++ {
		r := env.Do(t, "GET", "/v2/accessRequests?pageSize=20&pageToken="+token, env.Token(t, agent), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("queue: %d %s", r.Status, r.Body)
		}
		var q orgs.ListAccessRequestsResponse
		r.JSON(t, &q)
		for i, a := range q.AccessRequests {
			found = found || a.Name == created.Name && a.Message == msg
			if i > 0 && parseTime(t, a.CreateTime).After(parseTime(t, q.AccessRequests[i-1].CreateTime)) {
				t.Fatalf("queue not newest first: %s after %s", a.CreateTime, q.AccessRequests[i-1].CreateTime)
			}
		}
		if token = q.NextPageToken; token == "" {
			break
		}
	}
	if !found {
		t.Fatal("the access request is not in the support queue")
	}

	// A few open requests per person, then 429.
	for i := 2; i <= 3; i++ {
		if r := env.Do(t, "POST", "/v2/accessRequests", tok, map[string]any{"message": fmt.Sprint("again ", i)}); r.Status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	if r := env.Do(t, "POST", "/v2/accessRequests", tok, map[string]any{"message": "once more"}); r.Status != http.StatusTooManyRequests {
		t.Errorf("fourth open request: %d, want 429", r.Status)
	}
	long := strings.Repeat("x", 2001)
	if r := env.Do(t, "POST", "/v2/accessRequests", tok, map[string]any{"message": long}); r.Status != http.StatusBadRequest {
		t.Errorf("long message: %d, want 400", r.Status)
	}
	// The queue is the support team's.
	if r := env.Do(t, "GET", "/v2/accessRequests", tok, nil); r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" {
		t.Errorf("stranger reads the queue: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", "/v2/accessRequests", env.Token(t, "admin@acme.example"), nil); r.Status != http.StatusForbidden || r.ErrorReason() != "" {
		t.Errorf("customer admin reads the queue: %d %s", r.Status, r.Body)
	}
}

func TestProductSupportByPackage(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	for _, tc := range []struct {
		org, email string
		phone      bool
	}{
		{"acme", "admin@acme.example", true},       // Platinum
		{"initech", "admin@initech.example", true}, // Gold
		{"globex", "admin@globex.example", false},  // Silver
		{"globex", partner, false},                 // its reseller reads it too
		{"acme", agent, true},                      // and support
	} {
		r := env.Do(t, "GET", "/v2/organizations/"+tc.org+"/productSupport", env.Token(t, tc.email), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s as %s: %d %s", tc.org, tc.email, r.Status, r.Body)
		}
		var ps orgs.ProductSupport
		r.JSON(t, &ps)
		if len(ps.Products) == 0 {
			t.Fatalf("%s: no products", tc.org)
		}
		for _, p := range ps.Products {
			if (p.Phone != nil) != tc.phone || len(p.ServiceLevels) != 5 || p.ServiceLevels[0].Priority != "P0" || p.SupportHours == "" {
				t.Errorf("%s/%s as %s: phone %+v levels %+v hours %q", tc.org, p.ID, tc.email, p.Phone, p.ServiceLevels, p.SupportHours)
			}
			if tc.phone && len(p.Phone.Numbers) == 0 {
				t.Errorf("%s/%s: phone support without numbers", tc.org, p.ID)
			}
			for _, c := range p.Classifications {
				if c.ID == "analytics-legacy-api" {
					t.Errorf("inactive classification shown")
				}
			}
		}
		if !tc.phone && strings.Contains(string(r.Body), "555") {
			t.Errorf("%s: phone numbers leak: %s", tc.org, r.Body)
		}
	}
}

func TestAuditLogPages(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	rs, _ := newReseller(t, env)
	cust, admin := newCustomer(t, env, "GOLD", rs, true)
	for i := range 5 {
		verb := ":revokeResellerAccess"
		if i%2 == 1 {
			verb = ":grantResellerAccess"
		}
		if status, _ := post(t, env, "/v2/organizations/"+cust+verb, admin, nil); status != http.StatusOK {
			t.Fatalf("%s: %d", verb, status)
		}
	}
	var all []orgs.AuditEntry
	query := "?pageSize=2"
	for pages := 0; ; pages++ {
		page := auditLog(t, env, cust, admin, query)
		if len(page.AuditEntries) > 2 || pages > 3 {
			t.Fatalf("page %d: %d entries", pages, len(page.AuditEntries))
		}
		all = append(all, page.AuditEntries...)
		if page.NextPageToken == "" {
			break
		}
		query = "?pageSize=2&pageToken=" + page.NextPageToken
	}
	if len(all) != 5 {
		t.Fatalf("%d entries over all pages, want 5", len(all))
	}
	for i, e := range all {
		want := store.AuditResellerRevoke // the last change (the fifth) was a revoke
		if i%2 == 1 {
			want = store.AuditResellerGrant
		}
		if e.Action != want || i > 0 && parseTime(t, e.Time).After(parseTime(t, all[i-1].Time)) {
			t.Errorf("entry %d: %s at %s", i, e.Action, e.Time)
		}
	}
	// A token is tied to its organisation's log.
	other, otherAdmin := newCustomer(t, env, "GOLD", "", false)
	token := auditLog(t, env, cust, admin, "?pageSize=1").NextPageToken
	r := env.Do(t, "GET", "/v2/organizations/"+other+"/auditLog?pageToken="+token, env.Token(t, otherAdmin), nil)
	if r.Status != http.StatusBadRequest {
		t.Errorf("foreign page token: %d, want 400", r.Status)
	}
}

// listAll pages through /v2/organizations as email and returns the names.
func listAll(t *testing.T, env *testenv.Env, email string, size int) []string {
	t.Helper()
	var names []string
	token := ""
	for range 1000 {
		r := env.Do(t, "GET", fmt.Sprintf("/v2/organizations?pageSize=%d&pageToken=%s", size, token), env.Token(t, email), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var page orgs.ListOrganizationsResponse
		r.JSON(t, &page)
		if len(page.Organizations) > size {
			t.Fatalf("page of %d, size %d", len(page.Organizations), size)
		}
		for _, o := range page.Organizations {
			names = append(names, o.Name)
		}
		if token = page.NextPageToken; token == "" {
			return names
		}
	}
	t.Fatal("no end to the pages")
	return nil
}

func TestListOrganizationsPages(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	t.Run("reseller", func(t *testing.T) {
		t.Parallel()
		rs, member := newReseller(t, env)
		want := []string{"organizations/" + rs}
		for range 5 {
			id, _ := newCustomer(t, env, "SILVER", rs, false)
			want = append(want, "organizations/"+id)
		}
		slices.Sort(want)
		for _, size := range []int{1, 2, 5, 100} {
			if got := listAll(t, env, member, size); !slices.Equal(got, want) {
				t.Errorf("pageSize %d: %v, want %v", size, got, want)
			}
		}
	})
	t.Run("support", func(t *testing.T) {
		t.Parallel()
		names := listAll(t, env, agent, 100)
		if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
			t.Fatal("support list is not sorted and unique")
		}
		for _, demo := range []string{"acme", "globex", "initech", "resellco", "support"} {
			if !slices.Contains(names, "organizations/"+demo) {
				t.Errorf("support list lacks %s", demo)
			}
		}
	})
	t.Run("customer", func(t *testing.T) {
		t.Parallel()
		if got := listAll(t, env, "dev@acme.example", 10); !slices.Equal(got, []string{"organizations/acme"}) {
			t.Errorf("member of acme lists %v", got)
		}
	})
}
