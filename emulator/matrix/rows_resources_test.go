//go:build integration

package matrix

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Resources and feedback rows: every route and custom verb of the
// resources function × every actor.
//
// Resources are not scoped by an organisation: the matrix's customers are
// all Platinum with CloudDB, so a READY resource for Platinum/CloudDB is
// visible to every member of them (the other tenant's admin included: it
// bought the same), to the resellers that act for one of them with a
// grant, and to staff; the reseller without a grant, the one whose grant
// was revoked, the old reseller after the transfer and the vendor member
// without a staff role see nothing (404). A resource for Gold only is 404
// to every customer and reseller. Changes (publish, withdraw, triage) are
// the support admins' (feedback triage: all staff) and act on fresh
// documents, so no other cell sees them.

var (
	resourcesOnce              sync.Once
	platinumResource, goldOnly string
	matrixFeedback             string
)

// matrixResources writes, once, a READY resource for Platinum/CloudDB, one
// for Gold/CloudDB and one feedback.
func matrixResources(t testing.TB, w *World) (platinum, gold, feedback string) {
	t.Helper()
	resourcesOnce.Do(func() {
		st := store.New(w.Env.FS())
		platinumResource = readyResource(t, st, "PLATINUM")
		goldOnly = readyResource(t, st, "GOLD")
		f := &store.Feedback{Kind: store.FeedbackIdea, Message: "matrix", Email: "someone@nowhere.example",
			State: store.FeedbackNew, CreateTime: time.Now().UTC()}
		// Its event is left out: nobody is to be acknowledged.
		msgs, err := st.CreateFeedback(context.Background(), f, func(f *store.Feedback) events.FeedbackEvent {
			return events.NewFeedbackReceived(f.CreateTime, f.ID, "")
		})
		if err == nil {
			err = st.DeleteOutbox(context.Background(), msgs[0].ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		matrixFeedback = f.ID
	})
	if platinumResource == "" || goldOnly == "" || matrixFeedback == "" {
		t.Fatal("matrix resources not written")
	}
	return platinumResource, goldOnly, matrixFeedback
}

// readyResource writes a READY CloudDB download for one package (as
// finalize-resource leaves it) and returns its id.
func readyResource(t testing.TB, st *store.Store, pkg string) string {
	t.Helper()
	now := time.Now().UTC()
	r := &store.Resource{ID: store.NewResourceID(now), Title: "Matrix " + pkg, Kind: store.ResourceKindDownload, Version: "1",
		ProductIDs: []string{ProductA}, PackageIDs: []string{pkg}, Filename: "matrix.bin", SizeBytes: 3,
		SHA256: "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", State: store.ResourceReady, Generation: 1,
		CreatorEmail: "lead@support.example", CreateTime: now, UpdateTime: now, ReadyTime: now}
	r.Object = store.ResourceObject(r.ID)
	if err := st.CreateResource(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func init() {
	staff := []Actor{SupportAgent, SupportAdminActor}
	signedIn := []Actor{}
	for _, a := range AllActors {
		if a != Anonymous {
			signedIn = append(signedIn, a)
		}
	}
	// People without usable access anywhere get ACCESS_REQUIRED.
	noAccess := Merge(Uniform(http.StatusUnauthorized, Anonymous), Uniform(http.StatusForbidden, NonMember, Pending))
	// Entitled through a Platinum customer with CloudDB.
	entitled := Merge(noAccess,
		Uniform(http.StatusOK, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, OtherOrgAdmin,
			ResellerGranted, ResellerNew, SupportAgent, SupportAdminActor),
		Uniform(http.StatusNotFound, ResellerNoGrant, ResellerRevoked, ResellerOld, VendorMember))
	// A resource for Gold only: no matrix customer bought under Gold.
	notEntitled := Merge(entitled,
		Uniform(http.StatusNotFound, Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin, OtherOrgAdmin, ResellerGranted, ResellerNew))
	// Support-only: everyone else signed in is refused (403; no usable
	// access: ACCESS_REQUIRED), before anything about a resource is read.
	only := func(ok ...Actor) map[Actor]int {
		return Merge(Uniform(http.StatusForbidden, signedIn...), Uniform(http.StatusUnauthorized, Anonymous),
			Uniform(http.StatusOK, ok...))
	}
	path := func(id string) string { return "/v2/resources/" + id }
	newResource := map[string]any{"title": "Matrix upload", "kind": "DOCUMENT", "version": "1", "productIds": []string{ProductA},
		"packageIds": []string{"GOLD"}, "filename": "guide.pdf", "sizeBytes": "10",
		"sha256": "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"}

	register(
		Endpoint{Name: "resources.list", Method: "GET", Route: "/v2/resources",
			Want: Merge(noAccess, Uniform(http.StatusOK, signedIn...), Uniform(http.StatusForbidden, NonMember, Pending)),
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/resources?filter=productId%3Dclouddb&pageSize=5", nil
			}},
		Endpoint{Name: "resources.create", Method: "POST", Route: "/v2/resources", Want: only(SupportAdminActor),
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/resources", newResource }},
		Endpoint{Name: "resources.get", Method: "GET", Route: "/v2/resources/*", Want: entitled,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				p, _, _ := matrixResources(t, w)
				return path(p), nil
			}},
		Endpoint{Name: "resources.get (not entitled)", Method: "GET", Route: "/v2/resources/*", Want: notEntitled,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				_, g, _ := matrixResources(t, w)
				return path(g), nil
			}},
		Endpoint{Name: "resources.download", Method: "GET", Route: "/v2/resources/*", Want: entitled,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				p, _, _ := matrixResources(t, w)
				return path(p) + ":download", nil
			}},
		Endpoint{Name: "resources.download (not entitled)", Method: "GET", Route: "/v2/resources/*", Want: notEntitled,
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				_, g, _ := matrixResources(t, w)
				return path(g) + ":download", nil
			}},
		Endpoint{Name: "resources.withdraw", Method: "POST", Route: "/v2/resources/*", Want: only(SupportAdminActor),
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				if a == SupportAdminActor {
					return path(readyResource(t, store.New(w.Env.FS()), "PLATINUM")) + ":withdraw", nil
				}
				p, _, _ := matrixResources(t, w)
				return path(p) + ":withdraw", nil
			}},
		Endpoint{Name: "resources.downloads.list", Method: "GET", Route: "/v2/resources/*/downloads", Want: only(SupportAdminActor),
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				p, _, _ := matrixResources(t, w)
				return path(p) + "/downloads?pageSize=5", nil
			}},
		// Feedback is for everyone signed in, with or without access.
		Endpoint{Name: "feedback.create", Method: "POST", Route: "/v2/feedback",
			Want: Merge(Uniform(http.StatusOK, signedIn...), Uniform(http.StatusUnauthorized, Anonymous)),
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/feedback", map[string]any{"kind": "IDEA", "message": "Access matrix feedback.", "pageUrl": "https://support.example/"}
			}},
		Endpoint{Name: "feedback.list", Method: "GET", Route: "/v2/feedback", Want: only(staff...),
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/feedback?filter=kind%3DIDEA&pageSize=5", nil
			}},
		Endpoint{Name: "feedback.triage", Method: "POST", Route: "/v2/feedback/*", Want: only(staff...),
			Build: func(t testing.TB, w *World, _ Actor) (string, any) {
				_, _, f := matrixResources(t, w)
				return "/v2/feedback/" + f + ":triage", nil
			}},
	)
}
