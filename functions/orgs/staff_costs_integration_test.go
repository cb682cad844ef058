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
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestStaffCosts counts what answering access requests, the filtered queue
// and the access review read and write (as TestCosts does; the package
// cache warm, events published to a recorder, so the outbox deletes are
// counted too).
func TestStaffCosts(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)

	rs, _ := newReseller(t, env)
	cust, admin := newCustomer(t, env, "GOLD", rs, true)
	agentEmail := testenv.UniqueID("agent") + "@support.example"
	if err := env.Writer.Membership(ctx, store.Membership{OrgID: "support", Email: agentEmail, Status: store.StatusActive,
		Roles: []store.Role{{Role: store.RoleSupportAgent}}}); err != nil {
		t.Fatal(err)
	}
	ids := testenv.StubVerifier{"admin": {UID: "uid-admin", Email: admin, EmailVerified: true},
		"agent": {UID: "uid-agent", Email: agentEmail, EmailVerified: true}}
	clk := clock.NewFake(time.Now().UTC())
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testenv.CountingStore(fs), ids, clk)
	srv := httptest.NewServer(orgs.New(deps).WithEvents(orgs.Config{ActivationDelay: time.Hour}, &events.Recorder{}).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, token string, body string) {
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
	}
	open := func() string {
		req := &store.AccessRequest{Email: testenv.UniqueID("asker") + "@" + cust + ".example", UID: "u", OrgID: cust,
			Cause: "NOT_A_MEMBER", Message: "m", State: store.AccessRequestOpen, CreateTime: clk.Now()}
		if err := store.New(env.FS()).CreateAccessRequest(ctx, req, 10); err != nil {
			t.Fatal(err)
		}
		return "/v2/accessRequests/" + req.ID
	}
	approveReq, rejectReq := open(), open()
	do("GET", "/v2/organizations/"+cust, "admin", "") // warm the package cache

	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		{"accessRequests.list (state=OPEN, pageSize 1)", "GET", "/v2/accessRequests?pageSize=1&filter=state%3DOPEN", "agent", "", 1 + 2, 0},
		// resolve (3 + 1 the catalogue version), the requester's profile (1, none), the request in
		// the transaction (1); the request, membership, audit entry and two
		// events (5 w), the two events' deletes after publishing (2 w).
		{"accessRequests.approve", "POST", approveReq + ":approve", "agent",
			`{"organization":"organizations/` + cust + `","roles":[{"role":"MEMBER"}]}`, 3 + 1 + 1 + 1, 5 + 2},
		// the vendor membership (1), the request (1); the request and the
		// event (2 w), the event's delete (1 w).
		{"accessRequests.reject", "POST", rejectReq + ":reject", "agent", `{"reason":"no"}`, 1 + 1, 2 + 1},
		// resolve (3, + 1 the catalogue version), the customer's memberships (admin + the approved
		// pending one: 2), the reseller (1), its memberships (1).
		{"accessReview.get (2 members, reseller with 1)", "GET", "/v2/organizations/" + cust + "/accessReview", "admin", "", 3 + 1 + 2 + 1 + 1, 0},
	}
	cnt.Take()
	for _, s := range steps {
		do(s.method, s.path, s.token, s.body)
		r, w := cnt.Take()
		t.Logf("%-48s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}
