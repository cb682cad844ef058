//go:build integration

package matrix

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

// Known-issue rows: every route of the knownissues function × every actor.
//
// The shared issue is about ProductA, which every customer of the world
// bought: it is visible to whoever acts for one of them (members of any
// role, the other tenant's admin too, resellers with a grant) and to
// support; the old reseller, resellers without a grant and the vendor
// member without a staff role act for no customer with it (404). A second
// issue is about a product nobody bought: only support sees it. Cells that
// change an issue's state (resolve) get a fresh issue of their own.

var (
	kiOnce              sync.Once
	kiShared, kiForeign string
)

func knownIssue(t testing.TB, w *World, products ...string) string {
	t.Helper()
	now := time.Now().UTC()
	ki := &store.KnownIssue{Title: "Matrix issue", Summary: "Access matrix", ProductIDs: products,
		State: store.KnownIssueActive, CreatorEmail: "lead@support.example", CreateTime: now, UpdateTime: now}
	if err := store.New(w.Env.FS()).CreateKnownIssue(context.Background(), ki); err != nil {
		t.Fatal(err)
	}
	return ki.ID
}

func sharedIssues(t testing.TB, w *World) (shared, foreign string) {
	kiOnce.Do(func() {
		kiShared = knownIssue(t, w, ProductA)
		kiForeign = knownIssue(t, w, testenv.UniqueID("nobody-bought"))
	})
	return kiShared, kiForeign
}

func init() {
	staff := []Actor{SupportAgent, SupportAdminActor}
	signedIn := Merge(Uniform(http.StatusUnauthorized, Anonymous), Uniform(http.StatusForbidden, NonMember, Pending))
	// Who sees the issue about ProductA.
	sees := Merge(signedIn,
		Uniform(http.StatusOK, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, OtherOrgAdmin, ResellerGranted, ResellerNew),
		Uniform(http.StatusOK, staff...),
		Uniform(http.StatusNotFound, ResellerNoGrant, ResellerRevoked, ResellerOld, VendorMember))
	// Another tenant's unrelated issue: only support.
	foreign := Merge(signedIn,
		Uniform(http.StatusNotFound, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, OtherOrgAdmin,
			ResellerGranted, ResellerNew, ResellerNoGrant, ResellerRevoked, ResellerOld, VendorMember),
		Uniform(http.StatusOK, staff...))
	everyoneElse := []Actor{Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, OtherOrgAdmin, ResellerGranted,
		ResellerNoGrant, ResellerRevoked, ResellerNew, ResellerOld, VendorMember}
	adminsOnly := Merge(signedIn, Uniform(http.StatusForbidden, everyoneElse...),
		Uniform(http.StatusForbidden, SupportAgent), Uniform(http.StatusOK, SupportAdminActor))
	staffOnly := Merge(signedIn, Uniform(http.StatusForbidden, everyoneElse...), Uniform(http.StatusOK, staff...))
	// "Me too" in the actor's own organisation: those who may file cases
	// for ProductA there.
	meToo := Merge(signedIn,
		Uniform(http.StatusOK, Member, OrgAdmin, ProductAdmin, ResellerGranted, ResellerNew),
		Uniform(http.StatusForbidden, Viewer, OtherProduct, SupportAgent, SupportAdminActor),
		Uniform(http.StatusNotFound, OtherOrgAdmin, ResellerNoGrant, ResellerRevoked, ResellerOld, VendorMember))

	shared := func(t testing.TB, w *World) string { id, _ := sharedIssues(t, w); return id }
	foreignID := func(t testing.TB, w *World) string { _, id := sharedIssues(t, w); return id }
	signer, err := unsubscribe.New(unsubscribe.LocalKeys)
	if err != nil {
		panic(err)
	}

	register(
		Endpoint{Name: "knownIssues.create", Method: "POST", Route: "/v2/knownIssues", Want: adminsOnly,
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/knownIssues", map[string]any{"title": "Matrix publish", "summary": "s", "productIds": []string{ProductA}}
			}},
		Endpoint{Name: "knownIssues.list", Method: "GET", Route: "/v2/knownIssues",
			Want: Merge(signedIn, Uniform(http.StatusOK, everyoneElse...), Uniform(http.StatusOK, staff...)),
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/knownIssues?filter=" + url.QueryEscape("state=ACTIVE AND productId="+ProductA), nil
			}},
		Endpoint{Name: "knownIssues.get", Method: "GET", Route: "/v2/knownIssues/*", Want: sees,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) { return "/v2/knownIssues/" + shared(t, w), nil }},
		Endpoint{Name: "knownIssues.get (unrelated product)", Method: "GET", Route: "/v2/knownIssues/*", Want: foreign,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) { return "/v2/knownIssues/" + foreignID(t, w), nil }},
		Endpoint{Name: "knownIssues.resolve", Method: "POST", Route: "/v2/knownIssues/*", Want: adminsOnly,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				id := shared(t, w)
				if a == SupportAdminActor {
					id = knownIssue(t, w, ProductA)
				}
				return "/v2/knownIssues/" + id + ":resolve", map[string]string{"body": "Resolved."}
			}},
		Endpoint{Name: "knownIssues.meToo", Method: "POST", Route: "/v2/knownIssues/*", Want: meToo,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/knownIssues/" + shared(t, w) + ":meToo", map[string]string{"parent": "organizations/" + w.Targets[a].OrgID}
			}},
		Endpoint{Name: "knownIssues.meToo (unrelated product)", Method: "POST", Route: "/v2/knownIssues/*",
			Want: Merge(meToo, Uniform(http.StatusNotFound, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, ResellerGranted, ResellerNew)),
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/knownIssues/" + foreignID(t, w) + ":meToo", map[string]string{"parent": "organizations/" + w.Targets[a].OrgID}
			}},
		Endpoint{Name: "knownIssues.unsubscribe", Method: "POST", Route: "/v2/knownIssues/*", Want: sees,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				return "/v2/knownIssues/" + shared(t, w) + ":unsubscribe", map[string]string{}
			}},
		Endpoint{Name: "knownIssues.updates.list", Method: "GET", Route: "/v2/knownIssues/*/updates", Want: sees,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				return "/v2/knownIssues/" + shared(t, w) + "/updates", nil
			}},
		Endpoint{Name: "knownIssues.updates.list (unrelated product)", Method: "GET", Route: "/v2/knownIssues/*/updates", Want: foreign,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				return "/v2/knownIssues/" + foreignID(t, w) + "/updates", nil
			}},
		Endpoint{Name: "knownIssues.updates.create", Method: "POST", Route: "/v2/knownIssues/*/updates", Want: staffOnly,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				return "/v2/knownIssues/" + shared(t, w) + "/updates", map[string]string{"body": "Matrix update."}
			}},
		// The one-click link is its own credential: the same answer for
		// everyone, signed in or not.
		Endpoint{Name: "unsubscribe.page", Method: "GET", Route: "/v2/unsubscribe", Want: Uniform(http.StatusOK, AllActors...),
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/unsubscribe?token=" + signer.Token(shared(t, w), store.SubscriberKey("matrix@example.com")), nil
			}},
		Endpoint{Name: "unsubscribe.page (forged token)", Method: "GET", Route: "/v2/unsubscribe", Want: Uniform(http.StatusBadRequest, AllActors...),
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/unsubscribe?token=" + signer.Token(shared(t, w), store.SubscriberKey("matrix@example.com")) + "x", nil
			}},
	)
}
