//go:build integration

package users_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/provision"
	"github.com/supportcenter/supportcenter/functions/users"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestCosts serves the users Handler in-process over a counting Firestore
// connection and checks what each operation reads and writes (the support
// package cache warm), then does the same for one provisioning and one
// sweep. Every request pays the access resolution: one batched get of the
// organisation, the caller's membership and their vendor membership (3).
func TestCosts(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)

	tn := env.NewCustomer(t, "GOLD", "clouddb", "analytics")
	admin, second, padmin := tn.Email("admin"), tn.Email("second"), tn.Email("padmin")
	for email, role := range map[string]store.Role{admin: {Role: store.RoleOrgAdmin}, second: {Role: store.RoleOrgAdmin},
		padmin: {Role: store.RoleProductAdmin, ProductIDs: []string{"clouddb"}}} {
		if err := env.Writer.Membership(ctx, store.Membership{OrgID: tn.OrgID, Email: email, Status: store.StatusActive,
			Roles: []store.Role{role}}); err != nil {
			t.Fatal(err)
		}
	}
	ids := testenv.StubVerifier{}
	for tok, email := range map[string]string{"admin": admin, "padmin": padmin} {
		ids[tok] = &auth.Identity{UID: "uid-" + tok, Email: email, EmailVerified: true}
	}
	clk := clock.NewFake(time.Now().UTC())
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.DiscardHandler), testenv.CountingStore(fs), ids, clk)
	pub := &recorder{}
	srv := httptest.NewServer(users.New(deps, users.Config{ActivationDelay: time.Hour}, pub).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, token, body string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	base := "/v2/organizations/" + tn.OrgID + "/users"
	added := tn.Email("added")
	addedPath := base + "/" + store.MembershipKey(added)
	do("GET", base+"/"+store.MembershipKey(admin), "admin", "") // warm the package cache

	// Resolution: organisation, own and vendor membership and the
	// catalogue version (store.WithRequestScope), one batch.
	const resolve = 4
	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		{"users.list (3 users, pageSize 50)", "GET", base, "admin", "", resolve + 3, 0},
		{"users.get", "GET", base + "/" + store.MembershipKey(second), "admin", "", resolve + 1, 0},
		// One commit without a transaction (no read: a second add fails the
		// create precondition): membership, audit entry and the event in the
		// outbox (3 w); the event's delete after publishing (1 w). The rate limiter's counter: + 1 read, 1 write (store.TakeRate).
		{"users.create", "POST", base, "admin", `{"email":"` + added + `","roles":[{"role":"MEMBER"}]}`, resolve + 1, 3 + 1 + 1},
		{"users.patch (product admin, own product)", "PATCH", addedPath, "padmin", `{"roles":[{"role":"MEMBER"},{"role":"VIEWER","productIds":["clouddb"]}]}`, resolve + 1, 2},
		{"users.patch (no change)", "PATCH", addedPath, "admin", `{"roles":[{"role":"MEMBER"},{"role":"VIEWER","productIds":["clouddb"]}]}`, resolve + 1, 0},
		{"users.patch (demote an org admin)", "PATCH", base + "/" + store.MembershipKey(second), "admin", `{"roles":[{"role":"MEMBER"}]}`, resolve + 1 + 2 + 1, 2},
		{"users.disable (a member)", "POST", addedPath + ":disable", "admin", "", resolve + 1, 2},
		{"users.delete (a member)", "DELETE", addedPath, "admin", "", resolve + 1, 2},
	}
	cnt.Take()
	for _, s := range steps {
		do(s.method, s.path, s.token, s.body)
		r, w := cnt.Take()
		t.Logf("%-45s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, want %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}

	// One provisioning (account, welcome e-mail, no activation yet), then
	// its replay; then a sweep that activates it.
	newcomer := tn.Email("newcomer")
	do("POST", base, "admin", `{"email":"`+newcomer+`","roles":[{"role":"MEMBER"}]}`)
	ev := pub.last()
	sender, err := mail.New(mail.Config{Host: os.Getenv("SENDGRID_HOST"), APIKey: os.Getenv("SENDGRID_API_KEY"),
		From: "support@support.example", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(fs)
	ph := &provision.Handler{Store: st, Accounts: env.Accounts(t), Mail: sender, Dedupe: &dedupe.Deduper{Store: st, Clock: clk},
		Clock: clk, Logger: slog.New(slog.DiscardHandler), PortalURL: env.GatewayURL}
	ce := pushEvent(t, ev)
	cnt.Take()
	if err := ph.Handle(ctx, ce); err != nil {
		t.Fatal(err)
	}
	r, w := cnt.Take()
	t.Logf("%-45s reads %2d writes %d", "provision (first delivery)", r, w)
	// claim (1 w), membership + org (2 r), e-mail claim (1 w) and done (1 w),
	// completion transaction (1 r, 1 w), event done (1 w).
	if r != 3 || w != 5 {
		t.Errorf("provision: %d reads %d writes, want 3 and 5", r, w)
	}
	if err := ph.Handle(ctx, ce); err != nil {
		t.Fatal(err)
	}
	r, w = cnt.Take()
	t.Logf("%-45s reads %2d writes %d", "provision (duplicate delivery)", r, w)
	// The refused create is attempted (1 w, not applied), then the record read.
	if r != 1 || w != 1 {
		t.Errorf("provision replay: %d reads %d writes, want 1 and 1", r, w)
	}

	clk.Advance(time.Hour + time.Second)
	sweep := sweepWith(st, clk, tn.OrgID)
	res, err := sweep.Sweep(ctx)
	if err != nil || res.Activated != 1 {
		t.Fatalf("sweep %+v %v", res, err)
	}
	r, w = cnt.Take()
	t.Logf("%-45s reads %2d writes %d", "activate-users (1 due, nothing stuck)", r, w)
	// due query (1), transaction get (1) + update and audit (2 w), empty
	// provisioning query (billed 1).
	if r != 3 || w != 2 {
		t.Errorf("sweep: %d reads %d writes, want 3 and 2", r, w)
	}
}

func pushEvent(t *testing.T, ev events.MembershipEvent) event.Event {
	t.Helper()
	msg, err := ev.Message()
	if err != nil {
		t.Fatal(err)
	}
	data := msg.Data
	e := event.New()
	e.SetID("m-" + ev.ID)
	e.SetSource("//pubsub.googleapis.com/projects/p/topics/membership-events")
	e.SetType("google.cloud.pubsub.topic.v1.messagePublished")
	if err := e.SetData("application/json", map[string]any{"message": map[string]any{"data": data, "messageId": "m-" + ev.ID}}); err != nil {
		t.Fatal(err)
	}
	return e
}
