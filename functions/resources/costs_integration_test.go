//go:build integration

package resources_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/resources"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/signedurl"
	"github.com/supportcenter/supportcenter/shared/store"
)

// accepted stands in for Pub/Sub, accepting every message: the costs are
// Firestore's (the outbox message is cleared after the publish).
type accepted struct{}

func (accepted) Publish(context.Context, ...events.Message) error { return nil }

// newFeedback builds a stored feedback's event for CreateFeedback (the
// test clears it from the outbox: nobody is to be acknowledged).
func newFeedback(f *store.Feedback) events.FeedbackEvent {
	return events.NewFeedbackReceived(f.CreateTime, f.ID, "")
}

// TestCosts serves the resources Handler in-process over the emulator's
// Firestore with a counting gRPC connection, and checks that each
// operation reads and writes exactly what the package documentation says
// (caches warm: support packages and the product catalogue). The
// customer's package and product are the test's own, so no other test's
// resources or feedback change what a query returns.
func TestCosts(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)
	st := store.New(fs)

	pkg, product := testenv.UniqueID("COST"), testenv.UniqueID("prod")
	if err := env.Writer.Package(ctx, pkg, store.Package{DisplayName: "Cost", SupportCenterAccess: true}); err != nil {
		t.Fatal(err)
	}
	cust := env.NewCustomer(t, pkg, product)
	admin := cust.Email("admin")
	pending := cust.Email("pending")
	lead := testenv.UniqueID("lead") + "@support.example"
	for _, m := range []store.Membership{
		{OrgID: cust.OrgID, Email: admin, Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleOrgAdmin}}},
		{OrgID: cust.OrgID, Email: pending, Status: store.StatusPending, Roles: []store.Role{{Role: store.RoleMember}}},
		{OrgID: "support", Email: lead, Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleSupportAdmin}, {Role: store.RoleSupportAgent}}},
	} {
		if err := env.Writer.Membership(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	write := func(state string) string {
		now := time.Now().UTC()
		r := &store.Resource{ID: store.NewResourceID(now), Title: "Cost", Kind: store.ResourceKindDownload, Version: "1",
			ProductIDs: []string{product}, PackageIDs: []string{pkg}, Filename: "cost.bin", SizeBytes: 1,
			SHA256: strings.Repeat("0", 64), State: state, Generation: 1, CreatorEmail: lead, CreateTime: now, UpdateTime: now}
		r.Object = store.ResourceObject(r.ID)
		if err := st.CreateResource(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	ready, other := write(store.ResourceReady), write(store.ResourceReady)
	for range 2 {
		msgs, err := st.CreateFeedback(ctx, &store.Feedback{Kind: store.FeedbackPraise, Message: "cost", Email: lead,
			State: store.FeedbackNew, CreateTime: time.Now().UTC()}, newFeedback)
		if err == nil {
			err = st.DeleteOutbox(ctx, msgs[0].ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	ids := testenv.StubVerifier{}
	for tok, email := range map[string]string{"admin": admin, "pending": pending, "lead": lead,
		"stranger": testenv.UniqueID("stranger") + "@nowhere.example"} {
		ids[tok] = &auth.Identity{UID: "uid-" + tok + testenv.UniqueID(""), Email: email, EmailVerified: true}
	}
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gcs.Close() })
	sig, err := signedurl.New(gcs.Bucket(env.ProjectID+"-resources"), os.Getenv("STORAGE_EMULATOR_HOST"), env.ProjectID, "resources")
	if err != nil {
		t.Fatal(err)
	}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), st, ids, clock.NewFake(time.Now().UTC()))
	srv := httptest.NewServer(resources.New(deps, sig, accepted{}).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, token, body string) []byte {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s as %s: %d %s", method, path, token, resp.StatusCode, b)
		}
		return b
	}
	create := `{"title":"Guide","kind":"DOCUMENT","version":"1","productIds":["clouddb"],"packageIds":["GOLD"],` +
		`"filename":"guide.pdf","sizeBytes":"10","sha256":"` + strings.Repeat("a", 64) + `"`
	do("GET", "/v2/resources/"+ready, "admin", "")  // warm the package cache
	do("POST", "/v2/resources", "lead", create+"}") // and the catalogue's

	r := "/v2/resources/" + ready
	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		// "entitled": 1 membership + its organisation + the catalogue
		// version (package cached while the version holds).
		{"resources.list (customer, 2 resources)", "GET", "/v2/resources", "admin", "", 3 + 2, 0},
		{"resources.list (customer, other product: no query)", "GET", "/v2/resources?filter=productId%3Dclouddb", "admin", "", 3, 0},
		{"resources.get", "GET", r, "admin", "", 3 + 1, 0},
		{"resources.download", "GET", r + ":download", "admin", "", 3 + 1, 1},
		// Staff: the support membership (and, for lists through
		// "entitled", its organisation).
		{"resources.list (support, pageSize 1)", "GET", "/v2/resources?pageSize=1&filter=productId%3D" + product, "lead", "", 3 + 2, 0},
		// + 1: the catalogue version (products and packages checked).
		{"resources.create", "POST", "/v2/resources", "lead", create + "}", 1 + 1, 1},
		{"resources.create (supersedes)", "POST", "/v2/resources", "lead", create + `,"supersedes":"resources/` + ready + `"}`, 1 + 1 + 1, 1},
		{"downloads.list (1 download)", "GET", r + "/downloads", "lead", "", 1 + 1, 0},
		{"resources.withdraw", "POST", "/v2/resources/" + other + ":withdraw", "lead", "", 1 + 1, 1},
		{"resources.withdraw (again, no change)", "POST", "/v2/resources/" + other + ":withdraw", "lead", "{}", 1 + 1, 0},
		// + 1 read, 1 write: the rate limiter's counter; + 2 writes: the
		// feedback.received event in the outbox and its clearing after the
		// publish (the acknowledgement's profile read is provision's).
		// Without a membership the status also reads the organisation owning
		// the address's domain (its SSO policy applies to everyone there).
		{"feedback.create (no membership)", "POST", "/v2/feedback", "stranger", `{"kind":"IDEA","message":"hi"}`, 1 + 1 + 1, 1 + 1 + 2},
		{"feedback.create (pending member)", "POST", "/v2/feedback", "pending", `{"kind":"PROBLEM","message":"hi"}`, 1 + 3, 1 + 1 + 2},
		{"feedback.create (active member)", "POST", "/v2/feedback", "admin", `{"kind":"PRAISE","message":"hi"}`, 1 + 3, 1 + 1 + 2},
		{"feedback.list (pageSize 1)", "GET", "/v2/feedback?pageSize=1&filter=kind%3DPRAISE", "lead", "", 1 + 2, 0},
	}
	cnt.Take()
	for _, s := range steps {
		do(s.method, s.path, s.token, s.body)
		reads, writes := cnt.Take()
		t.Logf("%-52s reads %2d writes %d", s.name, reads, writes)
		if reads != s.reads || writes != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, reads, writes, s.reads, s.writes)
		}
	}

	// Triage a fresh submission, then again.
	fb := &store.Feedback{Kind: store.FeedbackIdea, Message: "triage me", Email: admin, State: store.FeedbackNew, CreateTime: time.Now().UTC()}
	msgs, err := st.CreateFeedback(ctx, fb, newFeedback)
	if err == nil {
		err = st.DeleteOutbox(ctx, msgs[0].ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	cnt.Take()
	for i, w := range []int{1, 0} {
		do("POST", "/v2/feedback/"+fb.ID+":triage", "lead", "")
		reads, writes := cnt.Take()
		t.Logf("feedback.triage #%d reads %d writes %d", i+1, reads, writes)
		if reads != 1+1 || writes != w {
			t.Errorf("feedback.triage #%d: %d reads %d writes, documented 2 and %d", i+1, reads, writes, w)
		}
	}
}
