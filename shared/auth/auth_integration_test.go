//go:build integration

package auth_test

import (
	"context"
	"testing"
	"time"

	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
)

// TestVerifierAgainstAuthEmulator checks the guarantees the API relies on
// with real Auth-emulator tokens: a valid token verifies to the account's
// identity; a disabled account and a revoked sign-in are refused at once.
func TestVerifierAgainstAuthEmulator(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	v, err := auth.NewFirebaseVerifier(ctx, env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	email := testenv.UniqueID("verify") + "@acme.example"
	uid, err := env.Writer.User(ctx, email, "Verify Me")
	if err != nil {
		t.Fatal(err)
	}

	id, err := v.Verify(ctx, env.FreshToken(t, email))
	if err != nil {
		t.Fatalf("valid token refused: %v", err)
	}
	if id.UID != uid || id.Email != email || !id.EmailVerified || id.Name != "Verify Me" || id.Provider != "password" {
		t.Fatalf("identity = %+v", id)
	}

	refused := func(token, want string) {
		t.Helper()
		_, err := v.Verify(ctx, token)
		if e := apierror.From(err); err == nil || e.HTTPStatus != 401 || e.Message != want {
			t.Fatalf("Verify = %v, want 401 %q", err, want)
		}
	}
	refused("not-a-jwt", "the ID token is not valid")

	// Disabled: the still-unexpired token is refused.
	tok := env.FreshToken(t, email)
	if _, err := env.Writer.Auth.UpdateUser(ctx, uid, (&fbauth.UserToUpdate{}).Disabled(true)); err != nil {
		t.Fatal(err)
	}
	refused(tok, "this account is disabled")
	if _, err := env.Writer.Auth.UpdateUser(ctx, uid, (&fbauth.UserToUpdate{}).Disabled(false)); err != nil {
		t.Fatal(err)
	}

	// Revoked: tokens issued before the revocation are refused. Revocation
	// has one-second resolution, so the token must be at least a second old.
	tok = env.FreshToken(t, email)
	time.Sleep(1100 * time.Millisecond)
	if err := env.Writer.Auth.RevokeRefreshTokens(ctx, uid); err != nil {
		t.Fatal(err)
	}
	refused(tok, "the sign-in was revoked; sign in again")
}
