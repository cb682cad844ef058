//go:build integration

package me_test

import (
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/me"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestMeThroughGateway proves token → gateway → function → Firestore with a
// real Auth-emulator sign-in.
func TestMeThroughGateway(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)

	t.Run("anonymous is 401", func(t *testing.T) {
		t.Parallel()
		if r := env.Do(t, "GET", "/v2/me", "", nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("garbage token is 401", func(t *testing.T) {
		t.Parallel()
		if r := env.Do(t, "GET", "/v2/me", "not-a-token", nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("org admin sees membership", func(t *testing.T) {
		t.Parallel()
		r := env.Do(t, "GET", "/v2/me", env.Token(t, "admin@acme.example"), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		var got me.Me
		r.JSON(t, &got)
		if got.Email != "admin@acme.example" || !got.Access.Usable || len(got.Organizations) != 1 {
			t.Fatalf("unexpected %+v", got)
		}
		o := got.Organizations[0]
		if o.Name != "organizations/acme" || o.Capacity != "CUSTOMER" || o.Roles[0].Role != store.RoleOrgAdmin {
			t.Fatalf("unexpected org %+v", o)
		}
	})
	t.Run("reseller sees its customers", func(t *testing.T) {
		t.Parallel()
		r := env.Do(t, "GET", "/v2/me", env.Token(t, "partner@resellco.example"), nil)
		var got me.Me
		r.JSON(t, &got)
		granted := map[string]bool{}
		for _, o := range got.Organizations {
			if o.Capacity == "RESELLER" {
				granted[o.Name] = *o.ResellerAccessGranted
			}
		}
		if !granted["organizations/globex"] || granted["organizations/initech"] {
			t.Fatalf("reseller view %+v", got.Organizations)
		}
	})
	t.Run("non-member is told why", func(t *testing.T) {
		t.Parallel()
		email := testenv.UniqueID("stranger") + "@nowhere.example"
		if _, err := env.Writer.User(t.Context(), email, "Stranger"); err != nil {
			t.Fatal(err)
		}
		var got me.Me
		r := env.Do(t, "GET", "/v2/me", env.Token(t, email), nil)
		r.JSON(t, &got)
		if r.Status != 200 || got.Access.Usable || got.Access.Cause != "NOT_A_MEMBER" {
			t.Fatalf("status %d %+v", r.Status, got)
		}
	})
	t.Run("pending member sees activation time", func(t *testing.T) {
		t.Parallel()
		tn := env.NewCustomer(t, "GOLD", "clouddb")
		email := tn.Email("newbie")
		env.AddUser(t, tn.OrgID, email, store.StatusPending, store.Role{Role: store.RoleMember})
		var got me.Me
		env.Do(t, "GET", "/v2/me", env.Token(t, email), nil).JSON(t, &got)
		if got.Access.Usable || got.Access.Cause != "PENDING" || got.Access.ActivateTime == "" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("own membership wins over reseller reach", func(t *testing.T) {
		t.Parallel()
		rs := env.PutOrg(t, testenv.UniqueID("rs"), store.Org{DisplayName: "Reseller", Kind: store.KindReseller})
		cust := env.PutOrg(t, testenv.UniqueID("cust"), store.Org{DisplayName: "Customer", Kind: store.KindCustomer,
			PackageID: "GOLD", ProductIDs: []string{"clouddb"}, ResellerID: rs.OrgID,
			ResellerAccess: store.ResellerAccess{Granted: true}})
		email := rs.Email("both")
		env.AddUser(t, rs.OrgID, email, store.StatusActive, store.Role{Role: store.RoleMember})
		env.AddUser(t, cust.OrgID, email, store.StatusActive, store.Role{Role: store.RoleViewer})
		var got me.Me
		env.Do(t, "GET", "/v2/me", env.Token(t, email), nil).JSON(t, &got)
		seen := map[string][]string{}
		for _, o := range got.Organizations {
			seen[o.Name] = append(seen[o.Name], o.Capacity)
		}
		if c := seen["organizations/"+cust.OrgID]; len(c) != 1 || c[0] != "CUSTOMER" {
			t.Fatalf("customer listed as %v, want once as CUSTOMER: %+v", c, got.Organizations)
		}
	})
}
