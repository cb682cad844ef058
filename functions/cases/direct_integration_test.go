//go:build integration

package cases_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/support/apiv2/supportpb"
	"google.golang.org/api/iterator"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

func newCaseBody(title string) map[string]any {
	return map[string]any{"displayName": title, "description": "Details of " + title,
		"classification": map[string]any{"id": "clouddb-performance"}, "priority": "P2"}
}

func (d *direct) create(t testing.TB, title string) string {
	t.Helper()
	code, b := d.do(t, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, newCaseBody(title))
	if code != 200 {
		t.Fatalf("create: %d %s", code, b)
	}
	var c struct{ Name string }
	_ = json.Unmarshal(b, &c)
	return c.Name
}

// TestCasesReopenWindow uses the fake clock: a comment 31 days after
// closing is refused and points to a new case; within 30 days it reopens.
func TestCasesReopenWindow(t *testing.T) {
	t.Parallel()
	start := time.Now().UTC().Add(-90 * 24 * time.Hour)
	d := newDirect(t, start)
	ctx := context.Background()
	cases, comments := googleClients(t, d.URL, d.Admin)

	old := d.create(t, "old problem")
	if _, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: old}); err != nil {
		t.Fatal(err)
	}
	d.Clock.Advance(31 * 24 * time.Hour)
	_, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: old, Comment: &supportpb.Comment{Body: "again"}})
	if rpcStatus(err) != "FAILED_PRECONDITION" || !strings.Contains(err.Error(), "open a new case") {
		t.Fatalf("comment 31 days after closing: %v", err)
	}
	if c, _ := cases.GetCase(ctx, &supportpb.GetCaseRequest{Name: old}); c.GetState() != supportpb.Case_CLOSED {
		t.Fatalf("refused comment changed the case: %v", c.GetState())
	}
	// The new case references the old one.
	body := newCaseBody("old problem, again")
	body["previousCaseName"] = old
	code, b := d.do(t, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, body)
	var follow map[string]any
	_ = json.Unmarshal(b, &follow)
	if code != 200 || follow["previousCaseName"] != old {
		t.Fatalf("follow-up case: %d %s", code, b)
	}
	// …but only to a case of the same organisation.
	body["previousCaseName"] = "organizations/acme/cases/123456789"
	if code, b := d.do(t, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, body); code != 400 {
		t.Fatalf("foreign previous case: %d %s", code, b)
	}

	recent := d.create(t, "recent problem")
	if _, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: recent}); err != nil {
		t.Fatal(err)
	}
	d.Clock.Advance(30*24*time.Hour - time.Minute)
	if _, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: recent, Comment: &supportpb.Comment{Body: "again"}}); err != nil {
		t.Fatalf("comment within 30 days: %v", err)
	}
	code, b = d.do(t, "GET", "/v2/"+recent, d.Admin, nil)
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	if code != 200 || got["state"] != "IN_PROGRESS_GOOGLE_SUPPORT" || got["reopenCount"] != 1.0 {
		t.Fatalf("reopened case: %s", b)
	}
	// A second closure gets its own survey.
	if _, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: recent}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		code, b := d.do(t, "POST", "/v2/"+recent+"/survey", d.Admin, map[string]any{"rating": 3})
		if code != 200 && code != 409 {
			t.Fatalf("survey: %d %s", code, b)
		}
	}
	recentID := recent[strings.LastIndex(recent, "/")+1:]
	wantTypes := []string{events.CaseCreated, events.CaseClosed, events.CaseCommented, events.CaseReopened, events.CaseClosed}
	if got := d.Events.ForCase(recentID); !slices.Equal(got, wantTypes) {
		t.Fatalf("events %v, want %v", got, wantTypes)
	}
	for _, e := range d.Events.Events() {
		if e.Type == events.CaseReopened && (e.OldState != "CLOSED" || e.NewState != "IN_PROGRESS_GOOGLE_SUPPORT" || e.CommentID == "") {
			t.Fatalf("reopen event %+v", e)
		}
	}
}

// TestCasesFirestoreCosts counts the Firestore reads and writes of every
// operation and keeps them within budget. Four reads of each are the
// caller's resolution (organisation + own and vendor membership + the
// catalogue version, one batch); the package (1 read) and the product
// catalogue (1 per product) are cached per instance until the catalogue
// version changes, and the first row shows a cold catalogue.
// Every event costs two writes on top of its change (ev): its outbox
// document in the change's commit, and that document's delete once Pub/Sub
// accepted it — the price of never losing an event to a crash or an
// outage between commit and publish.
func TestCasesFirestoreCosts(t *testing.T) {
	t.Parallel()
	d := newDirect(t, time.Now().UTC())
	ctx := context.Background()
	cases, comments := googleClients(t, d.URL, d.Admin)
	agentCases, agentComments := googleClients(t, d.URL, d.Agent)
	const ev = 2 // writes per event: outbox document + its delete
	var c costs
	measure := func(name string, maxReads, maxWrites int, fn func()) {
		t.Helper()
		d.Count.Take()
		fn()
		r, w := d.Count.Take()
		c.record(name, r, w)
		if r > maxReads || w > maxWrites {
			t.Errorf("%s: %d reads, %d writes; budget %d/%d", name, r, w, maxReads, maxWrites)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var name string
	// A cold catalogue is one read per product, and tests beside this one
	// (catalog, access matrix) add products: the budget counts them after
	// the load (memberships, their organisations with the catalogue
	// version, the package, then the products).
	d.Count.Take()
	_, err := cases.SearchCaseClassifications(ctx, &supportpb.SearchCaseClassificationsRequest{Query: "CloudDB"}).Next()
	must(err)
	r, w := d.Count.Take()
	c.record("classifications.search (cold catalogue)", r, w)
	products, err := store.New(testenv.Get(t).FS()).Products(ctx)
	must(err)
	if r > 4+len(products) || w > 0 {
		t.Errorf("classifications.search (cold catalogue): %d reads, %d writes; budget %d/0", r, w, 4+len(products))
	}
	measure("classifications.search", 8, 0, func() {
		_, err := cases.SearchCaseClassifications(ctx, &supportpb.SearchCaseClassificationsRequest{Query: "CloudDB"}).Next()
		must(err)
	})
	// Creating cases and customers' comments is rate limited: the
	// limiter's counter (shared/store TakeRate) costs one read and one
	// write more.
	measure("cases.create", 4+1, 1+ev+1, func() { name = d.create(t, "cost probe") })
	d.create(t, "cost probe two")
	for i := range 12 {
		d.create(t, "filler "+string(rune('a'+i)))
	}
	measure("cases.get", 5, 0, func() {
		_, err := cases.GetCase(ctx, &supportpb.GetCaseRequest{Name: name})
		must(err)
	})
	measure("cases.list (page of 10 of 14)", 4+11, 0, func() {
		it := cases.ListCases(ctx, &supportpb.ListCasesRequest{Parent: "organizations/" + d.OrgID})
		for range 10 {
			_, err := it.Next()
			must(err)
		}
	})
	measure("cases.list state=OPEN AND priority=P2 (pushed + in memory)", 4+11, 0, func() {
		_, err := cases.ListCases(ctx, &supportpb.ListCasesRequest{Parent: "organizations/" + d.OrgID, Filter: "state=OPEN AND priority=P2"}).Next()
		must(err)
	})
	measure("cases.search free text (1 hit)", 4+2, 0, func() {
		it := cases.SearchCases(ctx, &supportpb.SearchCasesRequest{Parent: "organizations/" + d.OrgID, Query: "probe two"})
		n := 0
		for {
			_, err := it.Next()
			if err == iterator.Done {
				break
			}
			must(err)
			n++
		}
		if n != 1 {
			t.Errorf("search hits %d", n)
		}
	})
	measure("cases.patch", 5, 1, func() {
		_, err := cases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{Case: &supportpb.Case{Name: name, Priority: supportpb.Case_P1},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"priority"}}})
		must(err)
	})
	measure("cases.patch state (support)", 5, 1+ev, func() {
		_, err := agentCases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{Case: &supportpb.Case{Name: name, State: supportpb.Case_IN_PROGRESS_GOOGLE_SUPPORT},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}}})
		must(err)
	})
	measure("comments.create (customer)", 5+1, 2+ev+1, func() {
		_, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "logs attached"}})
		must(err)
	})
	measure("comments.create (support)", 5, 2+ev, func() {
		_, err := agentComments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "on it"}})
		must(err)
	})
	measure("comments.list (2 comments)", 5+3, 0, func() {
		_, err := comments.ListComments(ctx, &supportpb.ListCommentsRequest{Parent: name}).Next()
		must(err)
	})
	measure("cases.escalate", 5, 1+ev, func() {
		_, err := cases.EscalateCase(ctx, &supportpb.EscalateCaseRequest{Name: name, Escalation: &supportpb.Escalation{
			Reason: supportpb.Escalation_TECHNICAL_EXPERTISE, Justification: "deep DB internals"}})
		must(err)
	})
	measure("cases.close", 5, 1+ev, func() {
		_, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: name})
		must(err)
	})
	measure("survey.create", 5, 1, func() {
		if code, b := d.do(t, "POST", "/v2/"+name+"/survey", d.Admin, map[string]any{"rating": 4}); code != 200 {
			t.Fatalf("%d %s", code, b)
		}
	})
	measure("survey.get", 6, 0, func() {
		if code, b := d.do(t, "GET", "/v2/"+name+"/survey", d.Admin, nil); code != 200 {
			t.Fatalf("%d %s", code, b)
		}
	})
	measure("comments.create (reopens)", 5+1, 2+2*ev+1, func() {
		_, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "back again"}})
		must(err)
	})
	measure("support queue (page of 10)", 2+11, 0, func() {
		if code, b := d.do(t, "GET", "/v2/cases?filter=state=OPEN", d.Agent, nil); code != http.StatusOK {
			t.Fatalf("%d %s", code, b)
		}
	})
	c.log(t)
}

// TestCasesPublishFailureIsRelayed: when Pub/Sub refuses an event after
// the write committed, the request still succeeds and the event waits in
// the outbox (written in the same commit); the relay publishes it with its
// original id, once, and a second relay run sends nothing.
func TestCasesPublishFailureIsRelayed(t *testing.T) {
	t.Parallel()
	d := newDirect(t, time.Now().UTC())
	d.Events.Err = errors.New("pubsub is down")
	name := d.create(t, "published later")
	id := name[strings.LastIndex(name, "/")+1:]
	if got := d.Events.ForCase(id); len(got) != 0 {
		t.Fatalf("published %v while Pub/Sub was down", got)
	}
	d.Events.Err = nil
	relay := outbox.New(d.Store, d.Events, slog.New(slog.DiscardHandler))
	for run := range 2 {
		res, err := relay.Relay(t.Context(), time.Now(), time.Nanosecond, d.OrgID, 10)
		if err != nil || res.Published != 1-run {
			t.Fatalf("relay run %d: %+v %v", run+1, res, err)
		}
	}
	if got := d.Events.ForCase(id); !slices.Equal(got, []string{events.CaseCreated}) {
		t.Fatalf("relayed %v, want one %s", got, events.CaseCreated)
	}
}
