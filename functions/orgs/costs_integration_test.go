//go:build integration

package orgs_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/orgs"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestCosts serves the orgs Handler in-process over the emulator's
// Firestore with a counting gRPC connection, and checks that each operation
// reads and writes exactly what the package documentation says (caches
// warm: support packages and the product catalogue).
func TestCosts(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)

	// People: identities are stubbed (no Auth emulator), memberships real.
	rs, rsMember := newReseller(t, env)
	rs2, _ := newReseller(t, env)
	cust, admin := newCustomer(t, env, "GOLD", rs, true)
	agentEmail, leadEmail := testenv.UniqueID("agent")+"@support.example", testenv.UniqueID("lead")+"@support.example"
	for email, roles := range map[string][]store.Role{agentEmail: {{Role: store.RoleSupportAgent}},
		leadEmail: {{Role: store.RoleSupportAdmin}, {Role: store.RoleSupportAgent}}} {
		if err := env.Writer.Membership(ctx, store.Membership{OrgID: "support", Email: email, Status: store.StatusActive, Roles: roles}); err != nil {
			t.Fatal(err)
		}
	}
	ids := testenv.StubVerifier{}
	for tok, email := range map[string]string{"admin": admin, "partner": rsMember, "agent": agentEmail, "lead": leadEmail,
		"stranger": testenv.UniqueID("stranger") + "@nowhere.example"} {
		ids[tok] = &auth.Identity{UID: "uid-" + tok, Email: email, EmailVerified: true}
	}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testenv.CountingStore(fs), ids, clock.NewFake(time.Now().UTC()))
	srv := httptest.NewServer(orgs.New(deps).WithEvents(orgs.Config{ActivationDelay: time.Hour}, &events.Recorder{}).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, token string, body string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s as %s: %d %s", method, path, token, resp.StatusCode, b)
		}
		return resp.StatusCode
	}
	org := "/v2/organizations/" + cust
	do("GET", org, "admin", "") // warm the package and catalogue caches
	do("GET", "/v2/organizations/"+rs2, "lead", "")
	do("GET", "/v2/organizations?pageSize=3", "agent", "")

	made := testenv.UniqueID("made")
	create := `{"displayName":"Made","kind":"CUSTOMER","domains":["` + made + `.example"],"packageId":"GOLD",` +
		`"productIds":["clouddb"],"resellerId":"` + rs + `","adminEmails":["first@` + made + `.example"]}`
	// Resolution: organisation, own and vendor membership, and the
	// catalogue version (store.WithRequestScope) in one batch = 4 reads.
	const resolve = 4
	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		{"organizations.get (customer)", "GET", org, "admin", "", resolve + 1, 0},
		// Through a reseller: its membership and its organisation (which
		// may be suspended) in one more batch.
		{"organizations.get (through reseller)", "GET", org, "partner", "", resolve + 2 + 1, 0},
		{"productSupport.get", "GET", org + "/productSupport", "admin", "", resolve, 0},
		// Memberships (1), their organisations with the catalogue version (2).
		{"organizations.list (customer, 1 membership)", "GET", "/v2/organizations", "admin", "", 3, 0},
		{"organizations.list (reseller, 1 customer)", "GET", "/v2/organizations", "partner", "", 4, 0},
		{"organizations.list (support, pageSize 3)", "GET", "/v2/organizations?pageSize=3", "agent", "", 3 + 4, 0},
		{"revokeResellerAccess", "POST", org + ":revokeResellerAccess", "admin", "", resolve + 2, 2},
		{"revokeResellerAccess (again, no change)", "POST", org + ":revokeResellerAccess", "admin", "{}", resolve + 2, 0},
		{"auditLog.list (1 entry)", "GET", org + "/auditLog", "admin", "", resolve + 1, 0},
		{"transfer", "POST", org + ":transfer", "lead", `{"resellerId":"` + rs2 + `"}`, resolve + 3, 2},
		{"transfer (again, no change)", "POST", org + ":transfer", "lead", `{"resellerId":"` + rs2 + `"}`, resolve + 2, 0},
		// + 1 read, 1 write each: the rate limiter's counter (store.TakeRate);
		// + 1 read: someone without any membership has the SSO policy of
		// the organisation owning their domain looked up (access.Status).
		{"accessRequests.create (non-member)", "POST", "/v2/accessRequests", "stranger", `{"message":"hello"}`, 2 + 1 + 1, 1 + 1},
		{"accessRequests.create (non-member, 1 open)", "POST", "/v2/accessRequests", "stranger", `{"message":"again"}`, 2 + 1 + 1, 1 + 1},
		{"accessRequests.list (pageSize 1)", "GET", "/v2/accessRequests?pageSize=1", "agent", "", 1 + 2, 0},
		// Vendor membership 1; transaction: package, product, reseller, the
		// id, the domain claim 5; the catalogue version 1 and the
		// reseller's name 1 for the answer. Writes: organisation, domain
		// claim, the admin's membership, 2 audit entries, the membership
		// event in the outbox and its delete after publishing.
		{"organizations.create (1 domain, 1 product, 1 admin)", "POST", "/v2/organizations?organizationId=" + made, "lead", create, 1 + 5 + 1 + 1, 7},
		// Transaction: the organisation and the added domain's claim;
		// the reseller's name. Writes: organisation, audit entry, claim.
		{"organizations.patch (displayName, add a domain)", "PATCH", org + "?updateMask=displayName,domains", "lead",
			`{"displayName":"Renamed","domains":["` + cust + `.example","` + cust + `-2.example"]}`, resolve + 2 + 1, 3},
		{"organizations.suspend", "POST", org + ":suspend", "lead", `{"reason":"unpaid"}`, resolve + 1 + 1, 2},
		{"organizations.suspend (again, no change)", "POST", org + ":suspend", "lead", "", resolve + 1 + 1, 0},
		{"organizations.resume", "POST", org + ":resume", "lead", "", resolve + 1 + 1, 2},
	}
	cnt.Take()
	for _, s := range steps {
		do(s.method, s.path, s.token, s.body)
		r, w := cnt.Take()
		t.Logf("%-45s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}
