//go:build integration

package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	firebase "firebase.google.com/go/v4"
	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
)

// countingEmulator is a reverse proxy in front of the Auth emulator that
// counts the calls a verifier makes to it.
type countingEmulator struct {
	host  string // host:port of the proxy
	calls atomic.Int64
}

func newCountingEmulator(t testing.TB, env *testenv.Env) *countingEmulator {
	t.Helper()
	target, err := url.Parse("http://" + env.AuthHost)
	if err != nil {
		t.Fatal(err)
	}
	c := &countingEmulator{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.calls.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.host = strings.TrimPrefix(srv.URL, "http://")
	return c
}

// newVerifier is a verifier on the emulator (through a counting proxy)
// whose clock the test moves.
func newVerifier(t testing.TB, env *testenv.Env) (*auth.FirebaseVerifier, *countingEmulator, *clock.Fake) {
	t.Helper()
	em := newCountingEmulator(t, env)
	clk := clock.NewFake(time.Now())
	v, err := auth.NewVerifier(context.Background(), auth.Config{ProjectID: env.ProjectID, EmulatorHost: em.host, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return v, em, clk
}

// refused checks that token is refused with 401 and message want.
func refused(t *testing.T, v auth.Verifier, token, want string) {
	t.Helper()
	_, err := v.Verify(context.Background(), token)
	if e := apierror.From(err); err == nil || e.HTTPStatus != 401 || e.Message != want {
		t.Fatalf("Verify = %v, want 401 %q", err, want)
	}
}

// TestVerifierAgainstAuthEmulator checks the guarantees the API relies on
// with real Auth-emulator tokens: a valid token verifies to the account's
// identity (never its editable name); a deleted account, a disabled account
// and a revoked sign-in are refused with 401 once the account-state bound
// (auth.DefaultAccountStateTTL) has passed.
func TestVerifierAgainstAuthEmulator(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	v, _, clk := newVerifier(t, env)
	email := testenv.UniqueID("verify") + "@acme.example"
	uid, err := env.Writer.User(ctx, email, "Support Agent (support team)")
	if err != nil {
		t.Fatal(err)
	}

	id, err := v.Verify(ctx, env.FreshToken(t, email))
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	if want := (auth.Identity{UID: uid, Email: email, EmailVerified: true, Provider: "password"}); *id != want {
		t.Fatalf("identity = %+v, want %+v", *id, want)
	}
	refused(t, v, "not-a-jwt", "the ID token is not valid")

	// Disabled: the still-unexpired token is refused within the bound.
	tok := env.FreshToken(t, email)
	if _, err := env.Writer.Auth.UpdateUser(ctx, uid, (&fbauth.UserToUpdate{}).Disabled(true)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(auth.DefaultAccountStateTTL)
	refused(t, v, tok, "this account is disabled")
	if _, err := env.Writer.Auth.UpdateUser(ctx, uid, (&fbauth.UserToUpdate{}).Disabled(false)); err != nil {
		t.Fatal(err)
	}

	// Revoked ("signed out everywhere"): tokens from sign-ins before the
	// revocation are refused within the bound. Revocation has one-second
	// resolution, so the token must be at least a second old.
	tok = env.FreshToken(t, email)
	time.Sleep(1100 * time.Millisecond)
	if err := env.Writer.Auth.RevokeRefreshTokens(ctx, uid); err != nil {
		t.Fatal(err)
	}
	clk.Advance(auth.DefaultAccountStateTTL)
	refused(t, v, tok, "the sign-in was revoked; sign in again")
	if _, err := v.Verify(ctx, env.FreshToken(t, email)); err != nil {
		t.Fatalf("a sign-in after the revocation is refused: %v", err)
	}

	// Deleted: a still-valid token of a deleted account is 401, not 503.
	if err := env.Writer.Auth.DeleteUser(ctx, uid); err != nil {
		t.Fatal(err)
	}
	clk.Advance(auth.DefaultAccountStateTTL)
	refused(t, v, tok, "the account of this ID token no longer exists")
}

// TestUnknownUID: an emulator-shaped token for a uid the Auth service has
// never had is 401 on first sight.
func TestUnknownUID(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	v, _, _ := newVerifier(t, env)
	now := time.Now().Unix()
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	tok := enc(map[string]any{"alg": "none", "typ": "JWT"}) + "." + enc(map[string]any{
		"iss": "https://securetoken.google.com/" + env.ProjectID, "aud": env.ProjectID,
		"sub": testenv.UniqueID("ghost"), "iat": now, "auth_time": now, "exp": now + 3600,
		"email": "ghost@acme.example", "email_verified": true,
	}) + "."
	refused(t, v, tok, "the account of this ID token no longer exists")
}

// TestNoAuthCallPerRequest counts the verifier's calls to the Auth
// emulator: one account lookup per account per bound, none per request.
func TestNoAuthCallPerRequest(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	v, em, clk := newVerifier(t, env)
	const users, requests = 3, 100
	var tokens []string
	for range users {
		email := testenv.UniqueID("count") + "@acme.example"
		if _, err := env.Writer.User(ctx, email, "Count"); err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, env.FreshToken(t, email))
	}
	verifyAll := func() {
		t.Helper()
		for range requests {
			for _, tok := range tokens {
				if _, err := v.Verify(ctx, tok); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	verifyAll()
	if n := em.calls.Load(); n != users {
		t.Fatalf("%d Auth emulator calls for %d requests of %d users, want %d", n, users*requests, users, users)
	}
	clk.Advance(auth.DefaultAccountStateTTL)
	verifyAll()
	if n := em.calls.Load(); n != 2*users {
		t.Fatalf("%d Auth emulator calls after one bound, want %d", n, 2*users)
	}
}

// BenchmarkVerifyEmulator is the per-request verification cost against the
// Auth emulator, with the Auth calls it makes per request.
func BenchmarkVerifyEmulator(b *testing.B) {
	env := testenv.Get(b)
	ctx := context.Background()
	v, em, _ := newVerifier(b, env)
	email := testenv.UniqueID("bench") + "@acme.example"
	if _, err := env.Writer.User(ctx, email, "Bench"); err != nil {
		b.Fatal(err)
	}
	tok := env.FreshToken(b, email)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(em.calls.Load())/float64(b.N), "authcalls/op")
}

// BenchmarkVerifyAdminSDKBaseline is what verification cost before this
// package verified locally: the Admin SDK's VerifyIDTokenAndCheckRevoked,
// one Auth backend call per request. Kept to compare with
// BenchmarkVerifyEmulator in the same run.
func BenchmarkVerifyAdminSDKBaseline(b *testing.B) {
	env := testenv.Get(b)
	ctx := context.Background()
	em := newCountingEmulator(b, env)
	b.Setenv("FIREBASE_AUTH_EMULATOR_HOST", em.host)
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: env.ProjectID})
	if err != nil {
		b.Fatal(err)
	}
	c, err := app.Auth(ctx)
	if err != nil {
		b.Fatal(err)
	}
	email := testenv.UniqueID("bench") + "@acme.example"
	if _, err := env.Writer.User(ctx, email, "Bench"); err != nil {
		b.Fatal(err)
	}
	tok := env.FreshToken(b, email)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.VerifyIDTokenAndCheckRevoked(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(em.calls.Load())/float64(b.N), "authcalls/op")
}
