//go:build integration

package me_test

import (
	"context"
	"net/http"
	"testing"

	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/me"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestMeTellsAnUnverifiedCallerNothing: memberships are keyed by address,
// so a caller whose address is not verified learns no organisation, role or
// activation time of the memberships under it — only the cause.
func TestMeTellsAnUnverifiedCallerNothing(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	active, pending := tn.Email("claimed"), tn.Email("claimed-pending")
	env.AddUser(t, tn.OrgID, active, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	env.AddUser(t, tn.OrgID, pending, store.StatusPending, store.Role{Role: store.RoleMember})
	for _, email := range []string{active, pending} {
		u, err := env.Writer.Auth.GetUserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Writer.Auth.UpdateUser(context.Background(), u.UID, (&fbauth.UserToUpdate{}).EmailVerified(false).Password(seed.DemoPassword)); err != nil {
			t.Fatal(err)
		}
		r := env.Do(t, "GET", "/v2/me", env.FreshToken(t, email), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", email, r.Status, r.Body)
		}
		var got me.Me
		r.JSON(t, &got)
		if got.EmailVerified || got.Access.Usable || got.Access.Cause != "EMAIL_NOT_VERIFIED" ||
			got.Access.ActivateTime != "" || len(got.Organizations) != 0 {
			t.Fatalf("%s: unverified caller told %+v", email, got)
		}
	}
}
