//go:build integration

package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/firestore"
	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/store"
)

// End to end: a real case operation through the gateway → the cases
// function publishes to the Pub/Sub emulator → push to the runner's notify
// function → the stack's mail capture server. Recipients are unique
// addresses (or filtered by case number), as the capture server is shared.

// createCase files a case through the API and returns its id.
func createCase(t testing.TB, env *testenv.Env, orgID, token, title string, subscribers []string) string {
	t.Helper()
	r := env.Do(t, "POST", "/v2/organizations/"+orgID+"/cases", token, map[string]any{
		"displayName": title, "description": "Lag since 09:00 <img src=x>", "classification": map[string]any{"id": "clouddb-connectivity"},
		"priority": "P2", "subscriberEmailAddresses": subscribers})
	if r.Status != http.StatusOK {
		t.Fatalf("create case: %d %s", r.Status, r.Body)
	}
	var c struct {
		Name string `json:"name"`
	}
	r.JSON(t, &c)
	return c.Name[strings.LastIndex(c.Name, "/")+1:]
}

func comment(t testing.TB, env *testenv.Env, orgID, caseID, token, body string) {
	t.Helper()
	r := env.Do(t, "POST", "/v2/organizations/"+orgID+"/cases/"+caseID+"/comments", token, map[string]any{"body": body})
	if r.Status != http.StatusOK {
		t.Fatalf("comment: %d %s", r.Status, r.Body)
	}
}

// tap subscribes to case-events (every test's events: the emulator ignores
// filters) so a test can find and replay a message.
type tap struct {
	ps  *pubsub.Client
	sub string
	top string
}

func newTap(t *testing.T, env *testenv.Env) *tap {
	t.Helper()
	ctx := context.Background()
	ps, err := pubsub.NewClient(ctx, env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	tp := &tap{ps: ps, sub: "projects/" + env.ProjectID + "/subscriptions/" + testenv.UniqueID("notify-tap"),
		top: "projects/" + env.ProjectID + "/topics/" + events.CaseEventsTopic}
	if _, err := ps.SubscriptionAdminClient.CreateSubscription(ctx, &pubsubpb.Subscription{Name: tp.sub, Topic: tp.top}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = ps.SubscriptionAdminClient.DeleteSubscription(context.Background(), &pubsubpb.DeleteSubscriptionRequest{Subscription: tp.sub})
		ps.Close()
	})
	return tp
}

// find pulls until a message matching keep arrives.
func (tp *tap) find(t *testing.T, keep func(events.Event) bool) *pubsubpb.PubsubMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		resp, err := tp.ps.SubscriptionAdminClient.Pull(ctx, &pubsubpb.PullRequest{Subscription: tp.sub, MaxMessages: 100})
		if err != nil {
			t.Fatalf("pull case events: %v", err)
		}
		var acks []string
		var found *pubsubpb.PubsubMessage
		for _, rm := range resp.ReceivedMessages {
			acks = append(acks, rm.AckId)
			if ev, err := events.Unmarshal(rm.Message.Data); err == nil && keep(ev) {
				found = rm.Message
			}
		}
		if len(acks) > 0 {
			_ = tp.ps.SubscriptionAdminClient.Acknowledge(ctx, &pubsubpb.AcknowledgeRequest{Subscription: tp.sub, AckIds: acks})
		}
		if found != nil {
			return found
		}
	}
}

// replay publishes m's data and attributes again, as a new message.
func (tp *tap) replay(t *testing.T, m *pubsubpb.PubsubMessage) {
	t.Helper()
	_, err := tp.ps.TopicAdminClient.Publish(t.Context(), &pubsubpb.PublishRequest{Topic: tp.top,
		Messages: []*pubsubpb.PubsubMessage{{Data: m.Data, Attributes: m.Attributes}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNotifyEndToEnd(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	const admin, agent = "admin@acme.example", "agent@support.example"
	// Subscribers: a Korean-speaking member, a member who opted out, an
	// address that is no member of anything, and a member since removed.
	ko := testenv.UniqueID("kim") + "@acme.example"
	env.AddUser(t, "acme", ko, store.StatusActive, store.Role{Role: store.RoleMember})
	setProfile(t, env, ko, "ko", "")
	quiet := testenv.UniqueID("quiet") + "@acme.example"
	env.AddUser(t, "acme", quiet, store.StatusActive, store.Role{Role: store.RoleMember})
	setProfile(t, env, quiet, "", store.NotifyNone)
	outsider := testenv.UniqueID("cc") + "@outsider.example"
	gone := testenv.UniqueID("gone") + "@acme.example"
	env.AddUser(t, "acme", gone, store.StatusActive, store.Role{Role: store.RoleMember})
	if _, err := env.FS().Collection(store.MembershipsCollection).Doc(store.MembershipID("acme", gone)).Delete(t.Context()); err != nil {
		t.Fatal(err)
	}
	tp := newTap(t, env)

	title := "Replication lag <b>" + testenv.UniqueID("t") + "</b>"
	caseID := createCase(t, env, "acme", env.Token(t, admin), title, []string{ko, quiet, outsider, gone})

	// case.created: the Korean subscriber is told, in Korean.
	created := waitMail(t, env, ko, caseID, 1)[0]
	if want := "[케이스 " + caseID + "] " + title + " — 새 케이스"; created.Subject != want {
		t.Errorf("created subject %q, want %q", created.Subject, want)
	}
	if html := created.Part("text/html"); !strings.Contains(html, "Lag since 09:00 &lt;img src=x&gt;") || strings.Contains(html, "<img") {
		t.Errorf("description not escaped:\n%s", html)
	}

	// The check: a support agent's comment reaches the creator.
	start := time.Now()
	comment(t, env, "acme", caseID, env.Token(t, agent), "Fixed. <script>alert(1)</script> Please retry.")
	got := waitMail(t, env, admin, caseID, 1)[0]
	latency := time.Since(start)
	t.Logf("support comment API call → e-mail captured: %s", latency.Round(time.Millisecond))

	if want := "[Case " + caseID + "] " + title + " — new comment"; got.Subject != want {
		t.Errorf("subject %q, want %q", got.Subject, want)
	}
	text, html := got.Part("text/plain"), got.Part("text/html")
	if !strings.Contains(html, "Fixed. &lt;script&gt;alert(1)&lt;/script&gt; Please retry.") || strings.Contains(html, "<script") {
		t.Errorf("comment not escaped in HTML:\n%s", html)
	}
	if strings.Contains(html, "<b>") || !strings.Contains(html, "&lt;b&gt;") {
		t.Errorf("title not escaped in HTML:\n%s", html)
	}
	link := os.Getenv("PORTAL_URL") + "/organizations/acme/cases/" + caseID
	if !strings.Contains(text, "(support team) replied") || !strings.Contains(text, link) || !strings.Contains(html, `href="`+link+`"`) {
		t.Errorf("text lacks the reply line or the link %s:\n%s", link, text)
	}
	if len(got.Personalizations) != 1 || len(got.Personalizations[0].To) != 1 {
		t.Errorf("recipients %+v: one recipient per e-mail", got.Personalizations)
	}
	koComment := waitMail(t, env, ko, caseID, 2)[1]
	if want := "[케이스 " + caseID + "] " + title + " — 새 댓글"; koComment.Subject != want ||
		!strings.Contains(koComment.Part("text/plain"), "지원팀") || strings.Contains(koComment.Part("text/html"), "<script") {
		t.Errorf("Korean comment e-mail %q:\n%s", koComment.Subject, koComment.Part("text/html"))
	}

	// A customer's comment reaches the creator, not its author.
	comment(t, env, "acme", caseID, env.Token(t, ko), "감사합니다 — 확인했습니다.")
	second := waitMail(t, env, admin, caseID, 2)[1]
	if !strings.Contains(second.Part("text/plain"), ko+" commented on the case.") {
		t.Errorf("customer comment e-mail:\n%s", second.Part("text/plain"))
	}

	// Replaying the support comment's Pub/Sub message sends nothing new.
	msg := tp.find(t, func(ev events.Event) bool {
		return ev.CaseID == caseID && ev.Type == events.CaseCommented && ev.ActorIsSupport
	})
	tp.replay(t, msg)
	time.Sleep(2 * time.Second) // a push takes milliseconds here

	counts := map[string]int{admin: 2, ko: 2, quiet: 0, outsider: 0, gone: 0, agent: 0}
	for addr, want := range counts {
		if n := len(about(stackMail(t, env, addr), caseID)); n != want {
			t.Errorf("%s got %d e-mails about the case, want %d", addr, n, want)
		}
	}
}

func TestNotifyRevokedResellerNotEmailed(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := t.Context()
	rid := testenv.UniqueID("resl")
	env.PutOrg(t, rid, store.Org{DisplayName: "Reseller " + rid, Kind: store.KindReseller, Domains: []string{rid + ".example"}})
	partner := "partner@" + rid + ".example"
	env.AddUser(t, rid, partner, store.StatusActive, store.Role{Role: store.RoleMember})
	since := time.Now().UTC().Add(-time.Hour)
	cid := testenv.UniqueID("cust")
	tn := env.PutOrg(t, cid, store.Org{DisplayName: "Customer " + cid, Kind: store.KindCustomer, Domains: []string{cid + ".example"},
		PackageID: "GOLD", ProductIDs: []string{"clouddb"}, ResellerID: rid, ResellerSince: since,
		ResellerAccess:  store.ResellerAccess{Granted: true, GrantTime: since},
		ResellerHistory: []store.ResellerTerm{{ResellerID: rid, Start: since}}})
	owner := tn.Email("owner")
	env.AddUser(t, cid, owner, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	agent := env.Token(t, "agent@support.example")

	// The reseller files the case for its customer, who subscribes.
	caseID := createCase(t, env, cid, env.Token(t, partner), "Reseller case "+cid, []string{owner})
	waitMail(t, env, owner, caseID, 1) // case.created

	// While access is granted, support's answer reaches the reseller.
	comment(t, env, cid, caseID, agent, "First answer.")
	waitMail(t, env, partner, caseID, 1)
	waitMail(t, env, owner, caseID, 2)

	// The customer revokes its reseller's access; the next answer reaches
	// the customer only.
	if _, err := env.FS().Collection(store.OrgsCollection).Doc(cid).Update(ctx, []firestore.Update{
		{Path: "resellerAccess.granted", Value: false}, {Path: "resellerAccess.revokeTime", Value: time.Now().UTC()}}); err != nil {
		t.Fatal(err)
	}
	comment(t, env, cid, caseID, agent, "Second answer.")
	waitMail(t, env, owner, caseID, 3)
	// The creator is decided before the subscribers, so by now the
	// reseller's turn is over.
	if n := len(about(stackMail(t, env, partner), caseID)); n != 1 {
		t.Fatalf("the revoked reseller got %d e-mails, want 1 (from before the revocation)", n)
	}
}

// The function side of dead-lettering: a notify handler whose SendGrid keeps
// failing returns an error on every push, and the Pub/Sub emulator —
// honouring the subscription's dead-letter policy, as the stack creates it
// from the manifest — moves the message to the dead-letter topic after
// max_delivery_attempts pushes. Runs on its own Pub/Sub project, with the
// handler behind an httptest push endpoint.
func TestNotifyDeadLetter(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := m.Function("notify")
	tn, admin := customer(t, env)
	f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
	mc := newCapture(t, nil)
	if err := mc.FailNext(mailcapture.Failure{Status: http.StatusInternalServerError, Count: 1000}); err != nil {
		t.Fatal(err)
	}
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	var pushes, failures atomic.Int32
	push := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		pushes.Add(1)
		if err := h.Handle(r.Context(), pushBody(t, "push", json.RawMessage(body))); err != nil {
			failures.Add(1)
			http.Error(w, "retry", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer push.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	project := testenv.UniqueID("demo-dlq")
	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	topic, dead := "projects/"+project+"/topics/"+fn.Topic, "projects/"+project+"/topics/"+fn.DeadLetterTopic()
	hold := "projects/" + project + "/subscriptions/" + fn.DeadLetterTopic() + "-hold"
	for _, name := range []string{topic, dead} {
		if _, err := ps.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ps.SubscriptionAdminClient.CreateSubscription(ctx, &pubsubpb.Subscription{Name: hold, Topic: dead}); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.SubscriptionAdminClient.CreateSubscription(ctx, &pubsubpb.Subscription{
		Name: "projects/" + project + "/subscriptions/" + fn.SubscriptionName(), Topic: topic,
		PushConfig:         &pubsubpb.PushConfig{PushEndpoint: push.URL + "/notify"},
		AckDeadlineSeconds: 10,
		RetryPolicy:        &pubsubpb.RetryPolicy{MinimumBackoff: durationpb.New(time.Second), MaximumBackoff: durationpb.New(2 * time.Second)},
		DeadLetterPolicy:   &pubsubpb.DeadLetterPolicy{DeadLetterTopic: dead, MaxDeliveryAttempts: int32(fn.MaxDeliveryAttempts)},
	}); err != nil {
		t.Fatal(err)
	}

	ev := f.commented()
	data, err := events.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if _, err := ps.TopicAdminClient.Publish(ctx, &pubsubpb.PublishRequest{Topic: topic,
		Messages: []*pubsubpb.PubsubMessage{{Data: data, Attributes: events.Attributes(ev)}}}); err != nil {
		t.Fatal(err)
	}
	var got *pubsubpb.ReceivedMessage
	for got == nil {
		resp, err := ps.SubscriptionAdminClient.Pull(ctx, &pubsubpb.PullRequest{Subscription: hold, MaxMessages: 1})
		if err != nil {
			t.Fatalf("no dead letter (%d pushes so far): %v", pushes.Load(), err)
		}
		if len(resp.ReceivedMessages) > 0 {
			got = resp.ReceivedMessages[0]
		}
	}
	t.Logf("dead-lettered after %d pushes in %s", pushes.Load(), time.Since(began).Round(100*time.Millisecond))
	if string(got.Message.Data) != string(data) || got.Message.Attributes["eventId"] != ev.ID {
		t.Errorf("dead letter %s %v", got.Message.Data, got.Message.Attributes)
	}
	if n := got.Message.Attributes["CloudPubSubDeadLetterSourceDeliveryCount"]; n != "5" {
		t.Errorf("dead letter delivery count %q, want 5", n)
	}
	if p, fl := pushes.Load(), failures.Load(); p != int32(fn.MaxDeliveryAttempts) || fl != p {
		t.Errorf("%d pushes, %d failed; want %d, all failed", p, fl, fn.MaxDeliveryAttempts)
	}
	if n := len(mc.Messages()); n != 0 {
		t.Errorf("%d e-mails captured", n)
	}
	if claimExists(t, env, ev.ID, admin) || failureRecord(t, env, ev.ID, admin) != nil {
		t.Error("a dead-lettered event left a claim or a permanent-failure record")
	}
}
