//go:build integration

package sso_test

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
	"github.com/supportcenter/supportcenter/functions/sso"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// server serves the sso Handler in-process over the emulator's Firestore
// with a counting connection, stub identities for the given tokens and the
// Auth emulator as the provider registry (as the local stack has it).
func server(t *testing.T, env *testenv.Env, ids testenv.StubVerifier) (*httptest.Server, *testenv.OpCounter) {
	t.Helper()
	fs, cnt := env.CountingFirestore(t)
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), store.New(fs), ids, clock.NewFake(time.Now().UTC()))
	srv := httptest.NewServer(sso.New(deps, env.Accounts(t), "p.firebaseapp.com", true).Routes())
	t.Cleanup(srv.Close)
	return srv, cnt
}

func send(t *testing.T, srv *httptest.Server, method, path, token, client, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("X-Forwarded-For", client)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestCosts checks that each operation reads and writes exactly what the
// package documentation says, and that enforcing SSO adds nothing to the
// resolution's reads (the configuration is on the organisation
// document it reads anyway).
func TestCosts(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	c := env.NewCustomer(t, "GOLD")
	admin := c.Email("admin")
	lead := testenv.UniqueID("lead") + "@support.example"
	for _, m := range []store.Membership{
		{OrgID: c.OrgID, Email: admin, Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleOrgAdmin}}},
		{OrgID: "support", Email: lead, Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleSupportAdmin}}},
	} {
		if err := env.Writer.Membership(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	provider := "oidc.org-" + c.OrgID
	ids := testenv.StubVerifier{
		"admin":     {UID: "uid-admin", Email: admin, EmailVerified: true, Provider: "password"},
		"admin-sso": {UID: "uid-admin", Email: admin, EmailVerified: true, Provider: provider},
		"lead":      {UID: "uid-lead", Email: lead, EmailVerified: true, Provider: "password"},
	}
	srv, cnt := server(t, env, ids)
	cfg := "/v2/organizations/" + c.OrgID + "/ssoConfig"
	send(t, srv, "GET", cfg, "admin", "203.0.113.1", "") // warm the package cache

	const resolve = 4
	oidc := `{"oidc":{"issuer":"https://idp.example","clientId":"c"}}`
	steps := []struct {
		name, method, path, token, body string
		status, reads, writes           int
	}{
		// resolve: organisation, own and vendor membership, catalogue version
		// in one batch (4).
		{"ssoConfig.get (no provider)", "GET", cfg, "admin", "", 200, resolve, 0},
		{"ssoConfig.update (set OIDC)", "PATCH", cfg, "lead", oidc, 200, resolve + 1, 2},
		{"ssoConfig.update (same again)", "PATCH", cfg, "lead", oidc, 200, resolve + 1, 0},
		{"ssoConfig.update (require SSO)", "PATCH", cfg, "lead", `{"ssoRequired":true}`, 200, resolve + 1, 2},
		// The policy costs nothing: the provider's token resolves in the
		// same reads, a password token is refused in them.
		{"ssoConfig.get (org admin through the provider)", "GET", cfg, "admin-sso", "", 200, resolve, 0},
		{"ssoConfig.get (password token, SSO_REQUIRED)", "GET", cfg, "admin", "", 403, resolve, 0},
		// + 1 read, 1 write: the rate limiter's counter (store.TakeRate).
		{"signInOptions (domain with SSO)", "GET", "/v2/signInOptions?email=" + admin, "", "", 200, 1 + 1, 1},
		{"signInOptions (unknown domain)", "GET", "/v2/signInOptions?email=a@" + testenv.UniqueID("x") + ".example", "", "", 200, 1 + 1, 1},
	}
	cnt.Take()
	for _, s := range steps {
		if got := send(t, srv, s.method, s.path, s.token, "203.0.113.1", s.body); got != s.status {
			t.Fatalf("%s: status %d, want %d", s.name, got, s.status)
		}
		r, w := cnt.Take()
		t.Logf("%-50s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}

// TestSignInOptionsRateLimit: one client address gets the limit's worth of
// answers in a window, then 429 with Retry-After (one read, no write);
// another address is not affected.
func TestSignInOptionsRateLimit(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	srv, cnt := server(t, env, testenv.StubVerifier{})
	limit := ratelimit.Defaults[ratelimit.SignInOptions].PerPerson
	client := "198.51.100." + testenv.UniqueID("c")[2:5] // a fresh counter per run
	path := "/v2/signInOptions?email=a@nowhere.example"
	for i := range limit {
		if got := send(t, srv, "GET", path, "", client+", 35.191.0.1", ""); got != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, got)
		}
	}
	cnt.Take()
	if got := send(t, srv, "GET", path, "", "6.6.6.6, "+client+", 35.191.0.1", ""); got != http.StatusTooManyRequests {
		t.Fatalf("request %d (spoofed first hop): %d, want 429", limit+1, got)
	}
	if r, w := cnt.Take(); r != 1 || w != 0 {
		t.Errorf("refused request: %d reads %d writes, want 1 and 0", r, w)
	}
	if got := send(t, srv, "GET", path, "", "192.0.2.77, 35.191.0.1", ""); got != http.StatusOK {
		t.Fatalf("another address: %d", got)
	}
}
