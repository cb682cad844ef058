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
		slog.New(slog.NewTextHandler(io.Discard, nil)), store.New(fs), ids, clock.NewFake(time.Now().UTC()))
	srv := httptest.NewServer(orgs.New(deps).Routes())
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

	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		{"organizations.get (customer)", "GET", org, "admin", "", 4, 0},
		{"organizations.get (through reseller)", "GET", org, "partner", "", 5, 0},
		{"productSupport.get", "GET", org + "/productSupport", "admin", "", 3, 0},
		{"organizations.list (customer, 1 membership)", "GET", "/v2/organizations", "admin", "", 2, 0},
		{"organizations.list (reseller, 1 customer)", "GET", "/v2/organizations", "partner", "", 3, 0},
		{"organizations.list (support, pageSize 3)", "GET", "/v2/organizations?pageSize=3", "agent", "", 2 + 4, 0},
		{"revokeResellerAccess", "POST", org + ":revokeResellerAccess", "admin", "", 5, 2},
		{"revokeResellerAccess (again, no change)", "POST", org + ":revokeResellerAccess", "admin", "{}", 5, 0},
		{"auditLog.list (1 entry)", "GET", org + "/auditLog", "admin", "", 3 + 1, 0},
		{"transfer", "POST", org + ":transfer", "lead", `{"resellerId":"` + rs2 + `"}`, 6, 2},
		{"transfer (again, no change)", "POST", org + ":transfer", "lead", `{"resellerId":"` + rs2 + `"}`, 5, 0},
		// + 1 read, 1 write each: the rate limiter's counter (store.TakeRate);
		// + 1 read: someone without any membership has the SSO policy of
		// the organisation owning their domain looked up (access.Status).
		{"accessRequests.create (non-member)", "POST", "/v2/accessRequests", "stranger", `{"message":"hello"}`, 2 + 1 + 1, 1 + 1},
		{"accessRequests.create (non-member, 1 open)", "POST", "/v2/accessRequests", "stranger", `{"message":"again"}`, 2 + 1 + 1, 1 + 1},
		{"accessRequests.list (pageSize 1)", "GET", "/v2/accessRequests?pageSize=1", "agent", "", 1 + 2, 0},
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
