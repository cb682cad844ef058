//go:build integration

package provision_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
)

// authREST calls the Auth emulator's public (browser) API as a client
// would, with the emulator's placeholder API key, and decodes the answer
// into out. It returns the HTTP status.
func authREST(t *testing.T, env *testenv.Env, path string, req map[string]any, out any) int {
	t.Helper()
	body, _ := json.Marshal(req)
	u := fmt.Sprintf("http://%s/%s?key=fake-api-key", env.AuthHost, path)
	resp, err := http.Post(u, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// TestPreHijackedAccountIsTakenBack is the account pre-hijacking attack
// end to end: someone signs up with a future member's address and a
// password of their choosing before an admin adds that address; the admin
// adds the member; provisioning runs. The squatter's password no longer
// signs in, their session is revoked (the API refuses the ID token they
// held and the one their refresh token gives), their display name is gone,
// and the real person's set-password link works and signs in verified.
func TestPreHijackedAccountIsTakenBack(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("victim")
	const attackerPassword = "attacker-chosen-1"

	// 1. The attacker signs up with the victim's address.
	var signUp struct {
		IDToken, RefreshToken, LocalID string
	}
	if st := authREST(t, env, "identitytoolkit.googleapis.com/v1/accounts:signUp",
		map[string]any{"email": email, "password": attackerPassword, "displayName": "Support Agent (support team)",
			"returnSecureToken": true}, &signUp); st != http.StatusOK || signUp.RefreshToken == "" {
		t.Fatalf("attacker sign-up: %d", st)
	}
	// Revocation has one-second resolution (validSince, auth_time): the
	// admin's add comes in a later second than the attacker's sign-in.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))

	// 2. The admin adds the member; 3. provisioning runs.
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, email, clk.Now().Add(time.Hour))
	if err := handler(t, env, nil, clk).Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	got, _ := membership(t, env, m.ID)
	if got.UID != signUp.LocalID || got.Provision.State != provisioning.Done {
		t.Fatalf("membership uid %q provision %+v, want the existing account %q provisioned", got.UID, got.Provision, signUp.LocalID)
	}

	// The attacker's password no longer signs in.
	if st := authREST(t, env, "identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
		map[string]any{"email": email, "password": attackerPassword, "returnSecureToken": true}, nil); st == http.StatusOK {
		t.Fatal("the attacker's password still signs in")
	}
	// The account is what provisioning creates: no password, no
	// providers, no name, not verified, and sessions before now revoked.
	acct, err := env.Accounts(t).AccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	if acct.EmailVerified || len(acct.Providers) != 0 || acct.ValidSince.Before(clk.Now().Truncate(time.Second)) {
		t.Fatalf("account after provisioning %+v", acct)
	}
	if u, err := env.Writer.Auth.GetUser(t.Context(), acct.UID); err != nil || u.DisplayName != "" {
		t.Fatalf("the attacker's display name survived: %q, %v", u.DisplayName, err)
	}
	// The ID token the attacker held is refused by the API.
	if r := env.Do(t, "GET", "/v2/me", signUp.IDToken, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("attacker's ID token: %d %s, want 401", r.Status, r.Body)
	}
	// Their refresh token: production's token service refuses it
	// (validSince). The Auth emulator still exchanges it, but the token it
	// gives carries the attacker's sign-in time (auth_time), which is
	// before validSince: the API refuses it.
	var refreshed struct {
		IDToken string `json:"id_token"`
	}
	if st := authREST(t, env, "securetoken.googleapis.com/v1/token",
		map[string]any{"grant_type": "refresh_token", "refresh_token": signUp.RefreshToken}, &refreshed); st == http.StatusOK {
		if r := env.Do(t, "GET", "/v2/me", refreshed.IDToken, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("attacker's refreshed token: %d %s, want 401", r.Status, r.Body)
		}
	}

	// 4. The real person's welcome e-mail has a set-password link (never a
	// verify-address link), and it works.
	msgs := mailTo(t, env, email)
	if len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails, want 1", len(msgs))
	}
	text := msgs[0].Part("text/plain")
	if !strings.Contains(text, "Set your password") {
		t.Fatalf("welcome e-mail has no set-password link:\n%s", text)
	}
	link := regexp.MustCompile(`https?://\S*oobCode=\S+`).FindString(text)
	lu, err := url.Parse(link)
	if err != nil || lu.Query().Get("oobCode") == "" {
		t.Fatalf("link %q: %v", link, err)
	}
	if mode := lu.Query().Get("mode"); mode != "resetPassword" {
		t.Fatalf("link mode %q, want resetPassword", mode)
	}
	const ownerPassword = "owner-chosen-2"
	if st := authREST(t, env, "identitytoolkit.googleapis.com/v1/accounts:resetPassword",
		map[string]any{"oobCode": lu.Query().Get("oobCode"), "newPassword": ownerPassword}, nil); st != http.StatusOK {
		t.Fatalf("set password with the link: %d", st)
	}
	var owner struct {
		IDToken string `json:"idToken"`
	}
	if st := authREST(t, env, "identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
		map[string]any{"email": email, "password": ownerPassword, "returnSecureToken": true}, &owner); st != http.StatusOK {
		t.Fatalf("the owner's password does not sign in: %d", st)
	}
	if r := env.Do(t, "GET", "/v2/me", owner.IDToken, nil); r.Status != http.StatusForbidden && r.Status != http.StatusOK {
		t.Fatalf("the owner's token: %d %s", r.Status, r.Body)
	}
	if a, err := env.Accounts(t).AccountByEmail(t.Context(), email); err != nil || !a.EmailVerified {
		t.Fatalf("after the owner set a password: %+v, %v", a, err)
	}
	// The attacker's password still does not sign in.
	if st := authREST(t, env, "identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
		map[string]any{"email": email, "password": attackerPassword, "returnSecureToken": true}, nil); st == http.StatusOK {
		t.Fatal("the attacker's password signs in after the owner set theirs")
	}
}
