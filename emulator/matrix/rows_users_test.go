//go:build integration

package matrix

import (
	"context"
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() {
	usersOf := func(w *World, a Actor) string { return "/v2/organizations/" + w.Targets[a].OrgID + "/users" }
	// freshUser writes a new active membership in the actor's target
	// organisation and returns its path, so mutating cells never share a
	// target. (Every matrix customer's domain is "<org id>.example".)
	freshUser := func(t testing.TB, w *World, a Actor, roles ...store.Role) string {
		t.Helper()
		org := w.Targets[a].OrgID
		email := testenv.UniqueID("target") + "@" + org + ".example"
		if err := w.Env.Writer.Membership(context.Background(), store.Membership{OrgID: org, Email: email,
			Status: store.StatusActive, Language: "en", Roles: roles}); err != nil {
			t.Fatal(err)
		}
		return usersOf(w, a) + "/" + store.MembershipKey(email)
	}

	// Product admins and org admins read the user list, as does support;
	// resellers never see or manage their customers' users.
	others := []Actor{Viewer, OtherProduct, Member, ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew}
	read := Merge(Baseline(),
		Uniform(http.StatusOK, OrgAdmin, ProductAdmin, SupportAgent, SupportAdminActor),
		Uniform(http.StatusForbidden, others...))
	// Adding, disabling and removing: org admins only (support cannot act
	// for the customer here either).
	orgAdminOnly := Merge(Baseline(),
		Uniform(http.StatusOK, OrgAdmin),
		Uniform(http.StatusForbidden, append(others, ProductAdmin, SupportAgent, SupportAdminActor)...))
	// Role changes: org admins, and product admins on their own product.
	roles := Merge(orgAdminOnly, Uniform(http.StatusOK, ProductAdmin))

	register(
		Endpoint{Name: "users.list", Method: "GET", Route: "/v2/organizations/*/users",
			Build: func(_ testing.TB, w *World, a Actor) (string, any) { return usersOf(w, a), nil },
			Want:  read},
		Endpoint{Name: "users.create", Method: "POST", Route: "/v2/organizations/*/users",
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				email := testenv.UniqueID("added") + "@" + w.Targets[a].OrgID + ".example"
				return usersOf(w, a), map[string]any{"email": email, "displayName": "Added", "language": "en",
					"roles": []store.Role{{Role: store.RoleMember}}}
			},
			Want: orgAdminOnly},
		Endpoint{Name: "users.get", Method: "GET", Route: "/v2/organizations/*/users/*",
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				return usersOf(w, a) + "/" + store.MembershipKey(w.Emails[Member]), nil
			},
			Want: read},
		Endpoint{Name: "users.patch", Method: "PATCH", Route: "/v2/organizations/*/users/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				path := freshUser(t, w, a, store.Role{Role: store.RoleViewer, ProductIDs: []string{ProductA}})
				return path, map[string]any{"roles": []store.Role{{Role: store.RoleMember, ProductIDs: []string{ProductA}}}}
			},
			Want: roles},
		Endpoint{Name: "users.disable", Method: "POST", Route: "/v2/organizations/*/users/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return freshUser(t, w, a, store.Role{Role: store.RoleMember}) + ":disable", nil
			},
			Want: orgAdminOnly},
		Endpoint{Name: "users.delete", Method: "DELETE", Route: "/v2/organizations/*/users/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return freshUser(t, w, a, store.Role{Role: store.RoleMember}), nil
			},
			Want: orgAdminOnly},
		// The caller's own profile (PATCH /v2/me, served by the me
		// function; its GET row is in rows_me_test.go). Everyone signed in
		// with a verified address has one. The body sets the default, so
		// the shared demo staff's profiles do not change in effect.
		Endpoint{Name: "me.patch", Method: "PATCH", Route: "/v2/me",
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/me", map[string]any{"notificationPreference": store.NotifyAll}
			},
			Want: Merge(Uniform(http.StatusOK, AllActors...), Uniform(http.StatusUnauthorized, Anonymous))},
	)
}
