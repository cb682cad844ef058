//go:build integration

package cases_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/support/apiv2/supportpb"
	"google.golang.org/api/iterator"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
)

// eventTap subscribes to the case-events topic of the running stack and
// collects the events of the cases a test names.
type eventTap struct {
	mu  sync.Mutex
	got map[string][]string // caseId → types, in arrival order
}

func tapEvents(t *testing.T, env *testenv.Env) *eventTap {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c, err := pubsub.NewClient(ctx, env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	name := "projects/" + env.ProjectID + "/subscriptions/" + testenv.UniqueID("casetest")
	if _, err := c.SubscriptionAdminClient.CreateSubscription(ctx, &pubsubpb.Subscription{
		Name: name, Topic: "projects/" + env.ProjectID + "/topics/" + events.CaseEventsTopic}); err != nil {
		t.Fatal(err)
	}
	tap := &eventTap{got: map[string][]string{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Subscriber(name).Receive(ctx, func(_ context.Context, m *pubsub.Message) {
			m.Ack()
			ev, err := events.Unmarshal(m.Data)
			if err != nil || m.Attributes["eventId"] != ev.ID {
				t.Errorf("bad event message %s %v: %v", m.Data, m.Attributes, err)
				return
			}
			tap.mu.Lock()
			tap.got[ev.CaseID] = append(tap.got[ev.CaseID], ev.Type)
			tap.mu.Unlock()
		})
	}()
	t.Cleanup(func() { cancel(); <-done; c.Close() })
	return tap
}

// wait returns the event types seen for caseID once all of want arrived
// (or after a deadline).
func (tp *eventTap) wait(caseID string, want ...string) []string {
	deadline := time.Now().Add(20 * time.Second)
	for {
		tp.mu.Lock()
		got := slices.Clone(tp.got[caseID])
		tp.mu.Unlock()
		missing := false
		for _, w := range want {
			if !slices.Contains(got, w) {
				missing = true
			}
		}
		if !missing || time.Now().After(deadline) {
			slices.Sort(got)
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func caseID(name string) string { return name[strings.LastIndex(name, "/")+1:] }

// TestCasesGoogleClient drives every method through Google's own Cloud
// Support REST clients, pointed at the gateway with demo users' ID tokens.
func TestCasesGoogleClient(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	tap := tapEvents(t, env)
	admin := env.Token(t, "admin@acme.example")
	cases, comments := googleClients(t, env.GatewayURL, admin)
	agentCases, agentComments := googleClients(t, env.GatewayURL, env.Token(t, "agent@support.example"))
	globexCases, _ := googleClients(t, env.GatewayURL, env.Token(t, "admin@globex.example"))
	word := strings.ReplaceAll(testenv.UniqueID("zq"), "-", "")

	// caseClassifications.search
	var classID string
	it := cases.SearchCaseClassifications(ctx, &supportpb.SearchCaseClassificationsRequest{Query: "connectivity"})
	for {
		cl, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			t.Fatalf("SearchCaseClassifications: %v", err)
		}
		if cl.GetId() == "clouddb-connectivity" && cl.GetDisplayName() == "CloudDB > Connectivity" {
			classID = cl.GetId()
		}
	}
	if classID == "" {
		t.Fatal("classification clouddb-connectivity not found")
	}

	// cases.create
	created, err := cases.CreateCase(ctx, &supportpb.CreateCaseRequest{Parent: "organizations/acme", Case: &supportpb.Case{
		DisplayName: "Primary unreachable " + word, Description: "Connections time out since 09:00.",
		Classification: &supportpb.CaseClassification{Id: classID}, Priority: supportpb.Case_P1,
		TimeZone: "Asia/Seoul", SubscriberEmailAddresses: []string{"ops@acme.example"}, LanguageCode: "en",
	}})
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	if created.GetState() != supportpb.Case_NEW || created.GetPriority() != supportpb.Case_P1 ||
		created.GetCreator().GetEmail() != "admin@acme.example" || created.GetCreator().GetGoogleSupport() || //nolint:staticcheck // v2 still carries the creator's e-mail, and Google's clients read it
		!strings.HasPrefix(created.GetName(), "organizations/acme/cases/") || created.GetCreateTime() == nil ||
		created.GetClassification().GetDisplayName() != "CloudDB > Connectivity" {
		t.Fatalf("created %v", created)
	}
	name := created.GetName()
	id := caseID(name)

	// A second case with the structured intake (extension fields, sent raw:
	// Google's message has no such fields) and a P3 priority.
	r := env.Do(t, "POST", "/v2/organizations/acme/cases", admin, map[string]any{
		"displayName": "Dashboards slow " + word, "description": "Slow.", "classification": map[string]any{"id": classID},
		"priority": 4, "issueStartTime": "2025-01-01T09:00:00Z", "issueEndTime": "2025-01-01T19:00:00+09:00",
		"productVersion": "5.2.1", "stackTrace": "panic: boom\n  at main()", "reproductionSteps": "1. open\n2. wait",
		"relatedCode": "db.Query()", "applicationFlow": "web → api → db", "usersAffectedPercent": 40, "userImpact": "Reports late",
	})
	if r.Status != http.StatusOK {
		t.Fatalf("create with intake: %d %s", r.Status, r.Body)
	}
	var withIntake map[string]any
	r.JSON(t, &withIntake)
	intakeName := withIntake["name"].(string)
	// Google's client reads a case carrying extension fields without trouble.
	got, err := cases.GetCase(ctx, &supportpb.GetCaseRequest{Name: intakeName})
	if err != nil || got.GetPriority() != supportpb.Case_P3 {
		t.Fatalf("GetCase of a case with extensions: %v %v", got, err)
	}
	var raw map[string]any
	env.Do(t, "GET", "/v2/"+intakeName, admin, nil).JSON(t, &raw)
	for k, want := range map[string]any{"productVersion": "5.2.1", "usersAffectedPercent": 40.0, "userImpact": "Reports late",
		"issueStartTime": "2025-01-01T09:00:00Z", "issueEndTime": "2025-01-01T10:00:00Z", "stackTrace": "panic: boom\n  at main()"} {
		if raw[k] != want {
			t.Errorf("extension %s = %v, want %v", k, raw[k], want)
		}
	}
	if sla, _ := raw["sla"].(map[string]any); sla["package"] != "PLATINUM" || sla["firstResponseMinutes"] != 480.0 {
		t.Errorf("sla %v", raw["sla"])
	}
	// Invalid intake is refused, naming the field.
	r = env.Do(t, "POST", "/v2/organizations/acme/cases", admin, map[string]any{
		"displayName": "x", "description": "y", "classification": map[string]any{"id": classID}, "priority": 2,
		"issueStartTime": "2025-01-02T00:00:00Z", "issueEndTime": "2025-01-01T00:00:00Z", "usersAffectedPercent": 101})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "issueEndTime") || !strings.Contains(string(r.Body), "usersAffectedPercent") {
		t.Fatalf("invalid intake: %d %s", r.Status, r.Body)
	}

	// cases.get
	got, err = cases.GetCase(ctx, &supportpb.GetCaseRequest{Name: name})
	if err != nil || got.GetDisplayName() != created.GetDisplayName() {
		t.Fatalf("GetCase: %v %v", got, err)
	}

	// cases.list with a filter, one case per page (pagination through the
	// client's iterator and our tokens).
	var listed []string
	lit := cases.ListCases(ctx, &supportpb.ListCasesRequest{Parent: "organizations/acme", PageSize: 1,
		Filter: "state=OPEN AND (priority=P0 OR priority=P1)"})
	for len(listed) < 200 {
		c, err := lit.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			t.Fatalf("ListCases: %v", err)
		}
		if c.GetState() == supportpb.Case_CLOSED || (c.GetPriority() != supportpb.Case_P0 && c.GetPriority() != supportpb.Case_P1) {
			t.Fatalf("ListCases returned %v outside the filter", c)
		}
		listed = append(listed, c.GetName())
	}
	if !slices.Contains(listed, name) || slices.Contains(listed, intakeName) {
		t.Fatalf("ListCases: %v", listed)
	}
	// A malformed filter is INVALID_ARGUMENT naming the token.
	_, err = cases.ListCases(ctx, &supportpb.ListCasesRequest{Parent: "organizations/acme", Filter: "state=OPEN OR priority=P1"}).Next()
	if rpcStatus(err) != "INVALID_ARGUMENT" || !strings.Contains(err.Error(), `"OR"`) {
		t.Fatalf("bad filter: %v", err)
	}

	// cases.search: free text matches the title.
	var found []string
	sit := cases.SearchCases(ctx, &supportpb.SearchCasesRequest{Parent: "organizations/acme", Query: word + " AND priority=P1"})
	for {
		c, err := sit.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			t.Fatalf("SearchCases: %v", err)
		}
		found = append(found, c.GetName())
	}
	if len(found) != 1 || found[0] != name {
		t.Fatalf("SearchCases found %v, want [%s]", found, name)
	}

	// cases.patch (update mask as the client sends it).
	patched, err := cases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{
		Case:       &supportpb.Case{Name: name, DisplayName: "Primary unreachable (renamed) " + word, Priority: supportpb.Case_P0},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name", "priority"}}})
	if err != nil || patched.GetPriority() != supportpb.Case_P0 || !strings.Contains(patched.GetDisplayName(), "renamed") {
		t.Fatalf("UpdateCase: %v %v", patched, err)
	}
	// Customers cannot set the state.
	_, err = cases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{Case: &supportpb.Case{Name: name, State: supportpb.Case_SOLUTION_PROVIDED},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}}})
	if httpCode(err) != 403 {
		t.Fatalf("customer state change: %v", err)
	}

	// Support moves the state (our extension of patch) through the same client.
	setState := func(s supportpb.Case_State) *supportpb.Case {
		t.Helper()
		c, err := agentCases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{Case: &supportpb.Case{Name: name, State: s},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}}})
		if err != nil {
			t.Fatalf("agent sets %v: %v", s, err)
		}
		return c
	}
	if c := setState(supportpb.Case_IN_PROGRESS_GOOGLE_SUPPORT); c.GetState() != supportpb.Case_IN_PROGRESS_GOOGLE_SUPPORT {
		t.Fatalf("state %v", c.GetState())
	}
	setState(supportpb.Case_ACTION_REQUIRED)
	// An illegal move says why.
	_, err = agentCases.UpdateCase(ctx, &supportpb.UpdateCaseRequest{Case: &supportpb.Case{Name: name, State: supportpb.Case_NEW},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"state"}}})
	if httpCode(err) != 400 || rpcStatus(err) != "FAILED_PRECONDITION" || !strings.Contains(err.Error(), "back to NEW") {
		t.Fatalf("illegal move: %v", err)
	}

	// comments.create: the customer's answer hands the case back to support.
	cm, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "Here are the logs " + word}})
	if err != nil || cm.GetCreator().GetGoogleSupport() || cm.GetBody() == "" || !strings.HasPrefix(cm.GetName(), name+"/comments/") {
		t.Fatalf("CreateComment: %v %v", cm, err)
	}
	if c, _ := cases.GetCase(ctx, &supportpb.GetCaseRequest{Name: name}); c.GetState() != supportpb.Case_IN_PROGRESS_GOOGLE_SUPPORT {
		t.Fatalf("customer comment on ACTION_REQUIRED left state %v", c.GetState())
	}
	acm, err := agentComments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "Looking."}})
	if err != nil || !acm.GetCreator().GetGoogleSupport() {
		t.Fatalf("agent comment: %v %v", acm, err)
	}
	_, err = comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: strings.Repeat("x", 12_801)}})
	if httpCode(err) != 400 {
		t.Fatalf("oversize comment: %v", err)
	}

	// comments.list: newest first, paged.
	var bodies []string
	cit := comments.ListComments(ctx, &supportpb.ListCommentsRequest{Parent: name, PageSize: 1})
	for {
		c, err := cit.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			t.Fatalf("ListComments: %v", err)
		}
		bodies = append(bodies, c.GetBody())
	}
	if len(bodies) != 2 || bodies[0] != "Looking." {
		t.Fatalf("ListComments: %q", bodies)
	}

	// cases.escalate (Acme is PLATINUM).
	esc, err := cases.EscalateCase(ctx, &supportpb.EscalateCaseRequest{Name: name, Escalation: &supportpb.Escalation{
		Reason: supportpb.Escalation_BUSINESS_IMPACT, Justification: "Checkout is down"}})
	if err != nil || !esc.GetEscalated() {
		t.Fatalf("EscalateCase: %v %v", esc, err)
	}
	env.Do(t, "GET", "/v2/"+name, admin, nil).JSON(t, &raw)
	if e, _ := raw["escalation"].(map[string]any); e["reason"] != "BUSINESS_IMPACT" || e["justification"] != "Checkout is down" ||
		e["escalateTime"] == nil || e["actor"].(map[string]any)["email"] != "admin@acme.example" {
		t.Fatalf("escalation %v", raw["escalation"])
	}
	_, err = cases.EscalateCase(ctx, &supportpb.EscalateCaseRequest{Name: name, Escalation: &supportpb.Escalation{
		Reason: supportpb.Escalation_RESOLUTION_TIME, Justification: "again"}})
	if rpcStatus(err) != "FAILED_PRECONDITION" || !strings.Contains(err.Error(), "already escalated") {
		t.Fatalf("second escalation: %v", err)
	}
	// Globex (SILVER) may not escalate; its admin cannot even see Acme's case.
	if _, err := globexCases.GetCase(ctx, &supportpb.GetCaseRequest{Name: name}); httpCode(err) != 404 {
		t.Fatalf("cross-tenant get: %v", err)
	}
	if _, err := globexCases.EscalateCase(ctx, &supportpb.EscalateCaseRequest{Name: name, Escalation: &supportpb.Escalation{
		Reason: 1, Justification: "x"}}); httpCode(err) != 404 {
		t.Fatalf("cross-tenant escalate: %v", err)
	}
	// The support queue shows it (escalated, P0) to staff only.
	qr := env.Do(t, "GET", "/v2/cases?filter=escalated=true%20AND%20priority=P0&pageSize=100", env.Token(t, "agent@support.example"), nil)
	if qr.Status != 200 || !strings.Contains(string(qr.Body), name) {
		t.Fatalf("queue: %d %s", qr.Status, qr.Body)
	}
	if qr := env.Do(t, "GET", "/v2/cases", admin, nil); qr.Status != 403 {
		t.Fatalf("queue as customer: %d", qr.Status)
	}

	// cases.close, then the survey.
	closed, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: name})
	if err != nil || closed.GetState() != supportpb.Case_CLOSED {
		t.Fatalf("CloseCase: %v %v", closed, err)
	}
	if _, err := cases.CloseCase(ctx, &supportpb.CloseCaseRequest{Name: name}); httpCode(err) != 400 {
		t.Fatalf("second close: %v", err)
	}
	if r := env.Do(t, "POST", "/v2/"+name+"/survey", admin, map[string]any{"rating": 5, "text": "Quick fix"}); r.Status != 200 {
		t.Fatalf("survey: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", "/v2/"+name+"/survey", admin, map[string]any{"rating": 4}); r.Status != http.StatusConflict {
		t.Fatalf("second survey for one closure: %d %s", r.Status, r.Body)
	}
	var sv map[string]any
	env.Do(t, "GET", "/v2/"+name+"/survey", env.Token(t, "agent@support.example"), nil).JSON(t, &sv)
	if sv["rating"] != 5.0 || sv["text"] != "Quick fix" {
		t.Fatalf("survey as read by support: %v", sv)
	}

	// A comment within 30 days of closing reopens the case.
	if _, err := comments.CreateComment(ctx, &supportpb.CreateCommentRequest{Parent: name, Comment: &supportpb.Comment{Body: "It is back."}}); err != nil {
		t.Fatalf("reopening comment: %v", err)
	}
	env.Do(t, "GET", "/v2/"+name, admin, nil).JSON(t, &raw)
	if raw["state"] != "IN_PROGRESS_GOOGLE_SUPPORT" || raw["reopenCount"] != 1.0 {
		t.Fatalf("after reopening: state %v reopenCount %v", raw["state"], raw["reopenCount"])
	}

	// Every change was published as an event.
	want := []string{events.CaseCreated, events.CaseStateChanged, events.CaseCommented, events.CaseEscalated, events.CaseClosed, events.CaseReopened}
	gotEvents := tap.wait(id, want...)
	for _, w := range want {
		if !slices.Contains(gotEvents, w) {
			t.Errorf("event %s not published for %s; got %v", w, id, gotEvents)
		}
	}
	b, _ := json.Marshal(gotEvents)
	t.Logf("events for case %s: %s", id, b)
}
