//go:build integration

package matrix

import (
	"context"
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Rows of issue 13's support-staff, access-request and access-review
// routes: users :enable, the vendor organisation's users (support staff),
// :approve and :reject of access requests, and the access review.

func init() {
	resellers := []Actor{ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew}
	ownMembers := []Actor{Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin}
	staff := []Actor{SupportAgent, SupportAdminActor}
	// openRequest files an OPEN access request (written as the orgs
	// function writes one) by a new address at the actor's target
	// organisation's domain, and returns its path.
	openRequest := func(t testing.TB, w *World, a Actor) string {
		t.Helper()
		org := w.Targets[a].OrgID
		req := &store.AccessRequest{Email: testenv.UniqueID("asker") + "@" + org + ".example", UID: "uid", OrgID: org,
			Cause: "NOT_A_MEMBER", Message: "Access matrix", State: store.AccessRequestOpen, CreateTime: w.Env.Writer.Now}
		if err := store.New(w.Env.FS()).CreateAccessRequest(context.Background(), req, 10); err != nil {
			t.Fatal(err)
		}
		return "/v2/accessRequests/" + req.ID
	}

	register(
		// Re-enabling: who may disable (org admins); support cannot act
		// for a customer here either.
		Endpoint{Name: "users.enable", Method: "POST", Route: "/v2/organizations/*/users/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				org := w.Targets[a].OrgID
				email := testenv.UniqueID("disabled") + "@" + org + ".example"
				if err := w.Env.Writer.Membership(context.Background(), store.Membership{OrgID: org, Email: email,
					Status: store.StatusDisabled, Language: "en", Roles: []store.Role{{Role: store.RoleMember}}}); err != nil {
					t.Fatal(err)
				}
				return "/v2/organizations/" + org + "/users/" + store.MembershipKey(email) + ":enable", nil
			},
			Want: Merge(Baseline(), Uniform(http.StatusOK, OrgAdmin),
				Uniform(http.StatusForbidden, Viewer, OtherProduct, Member, ProductAdmin, ResellerGranted, ResellerNoGrant,
					ResellerRevoked, ResellerNew, SupportAgent, SupportAdminActor))},
		// Support staff are the vendor organisation's users: only support
		// admins add them; an agent or a vendor member without a staff
		// role is refused (403); to everyone else with access somewhere
		// the vendor organisation is another tenant (404).
		Endpoint{Name: "users.create (support staff)", Method: "POST", Route: "/v2/organizations/*/users",
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/organizations/" + seed.VendorOrgID + "/users", map[string]any{
					"email": testenv.UniqueID("hire") + "@support.example", "roles": []store.Role{{Role: store.RoleSupportAgent}}}
			},
			Want: Merge(Uniform(http.StatusNotFound, AllActors...),
				Uniform(http.StatusUnauthorized, Anonymous), Uniform(http.StatusForbidden, NonMember, Pending, SupportAgent, VendorMember),
				Uniform(http.StatusOK, SupportAdminActor))},
		// Approving resolves the caller for the organisation approved
		// into (the actor's target): support staff approve; its own people
		// and its resellers are refused; other tenants get 404.
		Endpoint{Name: "accessRequests.approve", Method: "POST", Route: "/v2/accessRequests/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return openRequest(t, w, a) + ":approve", map[string]any{
					"organization": "organizations/" + w.Targets[a].OrgID, "roles": []store.Role{{Role: store.RoleMember}}}
			},
			Want: Merge(Baseline(), Uniform(http.StatusForbidden, append(ownMembers, resellers...)...), Uniform(http.StatusOK, staff...))},
		// Rejecting is the support team's; everyone else is refused (403;
		// ACCESS_REQUIRED without usable access).
		Endpoint{Name: "accessRequests.reject", Method: "POST", Route: "/v2/accessRequests/*",
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return openRequest(t, w, a) + ":reject", map[string]any{"reason": "Access matrix says no."}
			},
			Want: Merge(Uniform(http.StatusForbidden, AllActors...), Uniform(http.StatusUnauthorized, Anonymous),
				Uniform(http.StatusOK, staff...))},
		// The access review: the customer's org admins and support staff.
		Endpoint{Name: "accessReview.get", Method: "GET", Route: "/v2/organizations/*/accessReview",
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				return "/v2/organizations/" + w.Targets[a].OrgID + "/accessReview", nil
			},
			Want: Merge(Baseline(), Uniform(http.StatusForbidden, append(ownMembers, resellers...)...),
				Uniform(http.StatusOK, OrgAdmin, SupportAgent, SupportAdminActor))},
	)
}
