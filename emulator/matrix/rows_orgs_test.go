//go:build integration

package matrix

import (
	"context"
	"net/http"
	"testing"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Orgs rows: every route and custom verb of the orgs function × every actor.
//
// Read-only endpoints target each actor's usual organisation. The three
// mutating verbs (grant, revoke, transfer) are refused before any write for
// every actor but the one allowed; that one cell acts on a fresh
// organisation of its own (freshCustomer), so no other cell sees a change.

func init() {
	orgPath := func(w *World, a Actor) string { return "/v2/organizations/" + w.Targets[a].OrgID }
	resellers := []Actor{ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew}
	ownMembers := []Actor{Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin}
	staff := []Actor{SupportAgent, SupportAdminActor}
	plus := func(as ...[]Actor) []Actor {
		var out []Actor
		for _, a := range as {
			out = append(out, a...)
		}
		return out
	}

	// Who can act for the organisation reads it: its members (any role, any
	// product), its current reseller (the grant is about cases, not about
	// knowing its own customer) and support. The old reseller after a
	// transfer and other tenants get 404.
	orgRead := Merge(Baseline(), Uniform(http.StatusOK, plus(ownMembers, resellers, staff)...))
	// Granting and revoking is the customer's org admin's alone: members,
	// resellers and even support are refused (403) in the customer's tenant.
	manageGrant := Merge(Baseline(),
		Uniform(http.StatusForbidden, plus(ownMembers, resellers, staff)...),
		Uniform(http.StatusOK, OrgAdmin))
	// Transfers are the support admins' alone.
	transfer := Merge(Baseline(),
		Uniform(http.StatusForbidden, plus(ownMembers, resellers, staff)...),
		Uniform(http.StatusOK, SupportAdminActor))
	// The audit trail: the customer's org admins and support.
	audit := Merge(Baseline(),
		Uniform(http.StatusForbidden, plus(ownMembers, resellers)...),
		Uniform(http.StatusOK, OrgAdmin, SupportAgent, SupportAdminActor))

	register(
		// Everyone with usable access somewhere lists what they can act for
		// (the old reseller still sees its own organisation); without any:
		// ACCESS_REQUIRED.
		Endpoint{Name: "organizations.list", Method: "GET", Route: "/v2/organizations",
			Want: Merge(Uniform(http.StatusOK, AllActors...), Uniform(http.StatusUnauthorized, Anonymous),
				Uniform(http.StatusForbidden, NonMember, Pending)),
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/organizations?pageSize=10", nil }},
		Endpoint{Name: "organizations.get", Method: "GET", Route: "/v2/organizations/*", Want: orgRead,
			Build: func(_ testing.TB, w *World, a Actor) (string, any) { return orgPath(w, a), nil }},
		Endpoint{Name: "productSupport.get", Method: "GET", Route: "/v2/organizations/*/productSupport", Want: orgRead,
			Build: func(_ testing.TB, w *World, a Actor) (string, any) { return orgPath(w, a) + "/productSupport", nil }},
		Endpoint{Name: "organizations.grantResellerAccess", Method: "POST", Route: "/v2/organizations/*", Want: manageGrant,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				if a == OrgAdmin {
					return "/v2/organizations/" + freshCustomer(t, w, false, w.Emails[a]) + ":grantResellerAccess", nil
				}
				return orgPath(w, a) + ":grantResellerAccess", nil
			}},
		Endpoint{Name: "organizations.revokeResellerAccess", Method: "POST", Route: "/v2/organizations/*", Want: manageGrant,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				if a == OrgAdmin {
					return "/v2/organizations/" + freshCustomer(t, w, true, w.Emails[a]) + ":revokeResellerAccess", nil
				}
				return orgPath(w, a) + ":revokeResellerAccess", nil
			}},
		Endpoint{Name: "organizations.transfer", Method: "POST", Route: "/v2/organizations/*", Want: transfer,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				body := map[string]any{"resellerId": ""} // back to the vendor
				if a == SupportAdminActor {
					return "/v2/organizations/" + freshCustomer(t, w, true, "") + ":transfer", body
				}
				return orgPath(w, a) + ":transfer", body
			}},
		Endpoint{Name: "auditLog.list", Method: "GET", Route: "/v2/organizations/*/auditLog", Want: audit,
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				return orgPath(w, a) + "/auditLog?pageSize=5", nil
			}},
		// The no-access form is for everyone signed in, members or not.
		Endpoint{Name: "accessRequests.create", Method: "POST", Route: "/v2/accessRequests",
			Want: Merge(Uniform(http.StatusOK, AllActors...), Uniform(http.StatusUnauthorized, Anonymous)),
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				resolveOpenRequests(t, w, w.Emails[a])
				return "/v2/accessRequests", map[string]any{"orgId": w.Targets[a].OrgID, "message": "Access matrix: please let me in."}
			}},
		// The queue is the support team's; people without usable access
		// get ACCESS_REQUIRED, everyone else PERMISSION_DENIED.
		Endpoint{Name: "accessRequests.list", Method: "GET", Route: "/v2/accessRequests",
			Want: Merge(Uniform(http.StatusForbidden, AllActors...), Uniform(http.StatusUnauthorized, Anonymous),
				Uniform(http.StatusOK, staff...)),
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/accessRequests?pageSize=5", nil }},
	)
}

// freshCustomer writes a customer of the world's own, managed by a new
// reseller for a day with the grant as given, and (when adminEmail is set)
// gives that person an active org-admin membership in it. The membership is
// written directly, not through testenv.AddUser: that updates the Auth user,
// and the actor's cached token must stay valid.
func freshCustomer(t testing.TB, w *World, granted bool, adminEmail string) string {
	t.Helper()
	env := w.Env
	since := env.Writer.Now.AddDate(0, 0, -1)
	rs := env.PutOrg(t, testenv.UniqueID("rfresh"), store.Org{DisplayName: "Fresh reseller", Kind: store.KindReseller})
	id := testenv.UniqueID("fresh")
	o := store.Org{DisplayName: "Fresh customer", Kind: store.KindCustomer, Domains: []string{id + ".example"},
		PackageID: "GOLD", ProductIDs: []string{ProductA}, ResellerID: rs.OrgID, ResellerSince: since,
		ResellerAccess:  store.ResellerAccess{Granted: granted, GrantTime: since},
		ResellerHistory: []store.ResellerTerm{{ResellerID: rs.OrgID, Start: since}}}
	env.PutOrg(t, id, o)
	if adminEmail != "" {
		if err := env.Writer.Membership(context.Background(), store.Membership{OrgID: id, Email: adminEmail,
			Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleOrgAdmin}}}); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// resolveOpenRequests marks email's open access requests resolved, so the
// per-person limit of open requests never fails a cell when the matrix runs
// again on a long-lived stack (the staff actors are shared demo users).
func resolveOpenRequests(t testing.TB, w *World, email string) {
	t.Helper()
	if email == "" {
		return
	}
	ctx := context.Background()
	snaps, err := w.Env.FS().Collection(store.AccessRequestsCollection).Where("email", "==", store.NormalizeEmail(email)).
		Where("state", "==", store.AccessRequestOpen).Documents(ctx).GetAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if _, err := s.Ref.Update(ctx, []firestore.Update{{Path: "state", Value: store.AccessRequestResolved}}); err != nil {
			t.Fatal(err)
		}
	}
}
