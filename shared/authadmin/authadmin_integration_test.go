//go:build integration

package authadmin_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/authadmin"
)

// TestAccountsAgainstAuthEmulator runs every call against the Auth
// emulator, including the refusals provisioning tells apart.
func TestAccountsAgainstAuthEmulator(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	c := env.Accounts(t)
	email := testenv.UniqueID("admin") + "@acme.example"

	if _, err := c.AccountByEmail(ctx, email); !errors.Is(err, authadmin.ErrNotFound) {
		t.Fatalf("unknown address: %v, want ErrNotFound", err)
	}
	created, err := c.CreateAccount(ctx, email, "Pat")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccount(ctx, email, "Pat"); !errors.Is(err, authadmin.ErrEmailExists) {
		t.Fatalf("second create: %v, want ErrEmailExists", err)
	}
	if _, err := c.CreateAccount(ctx, "not an address", ""); !errors.Is(err, authadmin.ErrInvalidArgument) {
		t.Fatalf("invalid address: %v, want ErrInvalidArgument", err)
	}
	byEmail, err := c.AccountByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	byUID, err := c.AccountByUID(ctx, created.UID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*authadmin.Account{byEmail, byUID} {
		if a.UID != created.UID || a.Email != email || a.EmailVerified || a.Disabled || len(a.Providers) != 0 {
			t.Fatalf("account %+v, want %s without password, unverified", a, created.UID)
		}
	}
	if _, err := c.AccountByUID(ctx, testenv.UniqueID("ghost")); !errors.Is(err, authadmin.ErrNotFound) {
		t.Fatalf("unknown uid: %v, want ErrNotFound", err)
	}
	for name, link := range map[string]func() (string, error){
		"password": func() (string, error) { return c.PasswordResetLink(ctx, email, env.GatewayURL) },
		"verify":   func() (string, error) { return c.EmailVerificationLink(ctx, email, env.GatewayURL) },
	} {
		l, err := link()
		if err != nil || !strings.Contains(l, "oobCode=") {
			t.Fatalf("%s link %q, %v", name, l, err)
		}
	}

	// A password sign-up shows as a provider, and a sign-in's state.
	signedUp := testenv.UniqueID("signed") + "@acme.example"
	uid, err := env.Writer.User(ctx, signedUp, "Signed Up")
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.AccountByUID(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if !a.EmailVerified || len(a.Providers) == 0 || a.Providers[0] != "password" || a.ValidSince.IsZero() {
		t.Fatalf("signed-up account %+v", a)
	}
}
