//go:build integration

package provision_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/provision"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// handler builds the provision Handler against the emulators, as the
// function would, with sender (nil: the stack's SendGrid stand-in) and clk.
func handler(t *testing.T, env *testenv.Env, sender provision.Sender, clk clock.Clock) *provision.Handler {
	t.Helper()
	if sender == nil {
		s, err := mail.New(mail.Config{Host: os.Getenv("SENDGRID_HOST"), APIKey: os.Getenv("SENDGRID_API_KEY"),
			From: "support@support.example", FromName: "Support Center", Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		sender = s
	}
	return &provision.Handler{Store: store.New(env.FS()), Accounts: env.Accounts(t), Mail: sender,
		Dedupe: &dedupe.Deduper{Store: store.New(env.FS()), Clock: clk}, Clock: clk, Logger: slog.New(slog.DiscardHandler),
		PortalURL: env.GatewayURL}
}

// pending writes a membership as the users function adds it, and returns
// the CloudEvent its membership event arrives as.
func pending(t *testing.T, env *testenv.Env, tn *testenv.Tenant, email string, activate time.Time) (*store.MembershipDoc, event.Event) {
	t.Helper()
	now := time.Now().UTC()
	m := &store.MembershipDoc{
		Membership: store.Membership{ID: store.MembershipID(tn.OrgID, email), OrgID: tn.OrgID, Email: email,
			DisplayName: "Pat", Language: "en", Status: store.StatusPending, ActivateTime: activate,
			Roles: []store.Role{{Role: store.RoleMember}}, CreateTime: now, UpdateTime: now},
		Provision: &store.Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: now.Add(15 * time.Minute)},
	}
	if err := env.Writer.Store.PutMembership(t.Context(), *m); err != nil {
		t.Fatal(err)
	}
	ev := events.MembershipEvent{ID: m.Provision.EventID, Type: events.MembershipAdded, Version: 1, Time: now,
		OrgID: tn.OrgID, MembershipID: m.ID}
	return m, cloudEvent(t, ev)
}

// cloudEvent wraps ev the way functions-framework hands a Pub/Sub push to
// a CloudEvent function.
func cloudEvent(t *testing.T, ev events.MembershipEvent) event.Event {
	t.Helper()
	msg, err := ev.Message()
	if err != nil {
		t.Fatal(err)
	}
	return membershipPush(t, msg)
}

// membershipPush wraps msg as the push of the membership-events topic's
// subscription, as functions-framework hands it to the function.
func membershipPush(t *testing.T, msg events.Message) event.Event {
	t.Helper()
	e := event.New()
	e.SetID("m-" + msg.ID)
	e.SetSource("//pubsub.googleapis.com/projects/p/topics/membership-events")
	e.SetType("google.cloud.pubsub.topic.v1.messagePublished")
	if err := e.SetData("application/json", map[string]any{"subscription": "projects/p/subscriptions/provision-push",
		"message": map[string]any{"data": msg.Data, "messageId": "m-" + msg.ID, "attributes": msg.Attributes}}); err != nil {
		t.Fatal(err)
	}
	return e
}

func mailTo(t *testing.T, env *testenv.Env, address string) []mailcapture.Message {
	t.Helper()
	resp, err := http.Get(env.MailURL + "/api/messages?to=" + url.QueryEscape(address))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Messages []mailcapture.Message `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Messages
}

func membership(t *testing.T, env *testenv.Env, id string) (*store.MembershipDoc, time.Time) {
	t.Helper()
	snap, err := env.FS().Collection(store.MembershipsCollection).Doc(id).Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var m store.MembershipDoc
	if err := snap.DataTo(&m); err != nil {
		t.Fatal(err)
	}
	return &m, snap.UpdateTime
}

func TestReplayedEventSendsOneEmail(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("pat")
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, email, clk.Now().Add(24*time.Hour))
	h := handler(t, env, nil, clk)

	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	after1, wrote1 := membership(t, env, m.ID)
	if after1.UID == "" || after1.Provision.State != provisioning.Done || after1.Status != store.StatusPending {
		t.Fatalf("after first delivery: uid %q provision %+v status %s", after1.UID, after1.Provision, after1.Status)
	}
	u, err := env.Writer.Auth.GetUserByEmail(t.Context(), email)
	if err != nil || u.UID != after1.UID || u.EmailVerified {
		t.Fatalf("auth account %+v, %v", u, err)
	}

	// Replays, one after the other and at once: nothing more happens.
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.Handle(context.Background(), ce); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, wrote2 := membership(t, env, m.ID); !wrote2.Equal(wrote1) {
		t.Errorf("replay rewrote the membership (%s → %s)", wrote1, wrote2)
	}
	msgs := mailTo(t, env, email)
	if len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails, want 1", len(msgs))
	}
	text := msgs[0].Part("text/plain")
	if !strings.Contains(text, "oobCode=") || !strings.Contains(text, "active by") {
		t.Errorf("welcome text lacks the set-password link or the ETA:\n%s", text)
	}
}

func TestConcurrentFirstDeliveriesSendOneEmail(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("pat")
	clk := clock.NewFake(time.Now())
	_, ce := pending(t, env, tn, email, clk.Now().Add(time.Hour))
	h := handler(t, env, nil, clk)
	// Pub/Sub may deliver a message twice at once: one wins the claim, the
	// others are told to retry (an error), and their retries find it done.
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = h.Handle(context.Background(), ce) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			if err := h.Handle(t.Context(), ce); err != nil {
				t.Fatalf("redelivery %d: %v", i, err)
			}
		}
	}
	if n := len(mailTo(t, env, email)); n != 1 {
		t.Fatalf("%d welcome e-mails, want 1", n)
	}
}

func TestImmediateActivationWhenDue(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("now")
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, email, clk.Now()) // ACTIVATION_DELAY=0
	if err := handler(t, env, nil, clk).Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	got, _ := membership(t, env, m.ID)
	if got.Status != store.StatusActive {
		t.Fatalf("status %s, want ACTIVE", got.Status)
	}
	msgs := mailTo(t, env, email)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Part("text/plain"), "Your access is active now.") {
		t.Fatalf("welcome %+v", msgs)
	}
}

func TestExistingAccountIsReused(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("known")
	uid, err := env.Writer.User(t.Context(), email, "Known") // verified, with a password
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, email, clk.Now().Add(time.Hour))
	if err := handler(t, env, nil, clk).Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	got, _ := membership(t, env, m.ID)
	if got.UID != uid {
		t.Fatalf("uid %q, want the existing %q", got.UID, uid)
	}
	msgs := mailTo(t, env, email)
	if len(msgs) != 1 || strings.Contains(msgs[0].Part("text/plain"), "oobCode") {
		t.Fatalf("an account that can sign in got a link: %+v", msgs)
	}
}

// fakeSender fails with errs in turn, then succeeds; it counts sends.
type fakeSender struct {
	mu   sync.Mutex
	errs []error
	sent int
}

func (f *fakeSender) Send(context.Context, mail.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return "", err
	}
	f.sent++
	return "id", nil
}

func TestRetryableFailureIsRedelivered(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, tn.Email("retry"), clk.Now().Add(time.Hour))
	sender := &fakeSender{errs: []error{&mail.Error{StatusCode: 503, Message: "unavailable"}}}
	h := handler(t, env, sender, clk)
	if err := h.Handle(t.Context(), ce); err == nil {
		t.Fatal("a retryable send failure was acknowledged")
	}
	if got, _ := membership(t, env, m.ID); got.Provision.State != provisioning.Pending {
		t.Fatalf("after a retryable failure: %+v", got.Provision)
	}
	// The redelivery (at once: the claims were released) succeeds.
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	if got, _ := membership(t, env, m.ID); got.Provision.State != provisioning.Done || sender.sent != 1 {
		t.Fatalf("after redelivery: %+v, %d sent", got.Provision, sender.sent)
	}
}

func TestPermanentFailureIsRecordedAndAcknowledged(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	clk := clock.NewFake(time.Now())
	m, ce := pending(t, env, tn, tn.Email("bounce"), clk.Now().Add(time.Hour))
	sender := &fakeSender{errs: []error{&mail.Error{StatusCode: 400, Message: "bad request"}}}
	h := handler(t, env, sender, clk)
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("a permanent failure was not acknowledged: %v", err)
	}
	got, _ := membership(t, env, m.ID)
	if got.Provision.State != provisioning.Failed || !strings.Contains(got.Provision.Error, "400") {
		t.Fatalf("provision %+v", got.Provision)
	}
	if err := h.Handle(t.Context(), ce); err != nil || sender.sent != 0 {
		t.Fatalf("replay after a permanent failure: %v, %d sent", err, sender.sent)
	}
}

func TestUnprocessableMessagesAreAcknowledged(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	clk := clock.NewFake(time.Now())
	sender := &fakeSender{}
	h := handler(t, env, sender, clk)
	garbage := event.New()
	garbage.SetID("x")
	garbage.SetSource("s")
	garbage.SetType("t")
	_ = garbage.SetData("application/json", map[string]any{"message": map[string]any{"data": []byte("not json")}})
	if err := h.Handle(t.Context(), garbage); err != nil {
		t.Errorf("garbage: %v", err)
	}
	// A membership removed before provisioning ran.
	gone := events.MembershipEvent{ID: events.NewID(), Type: events.MembershipAdded, Version: 1, Time: clk.Now(),
		OrgID: "nowhere", MembershipID: "nowhere_" + store.MembershipKey("x@nowhere.example")}
	if err := h.Handle(t.Context(), cloudEvent(t, gone)); err != nil {
		t.Errorf("removed membership: %v", err)
	}
	// A stale event of a membership that was removed and added again.
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	m, _ := pending(t, env, tn, tn.Email("again"), clk.Now().Add(time.Hour))
	stale := events.MembershipEvent{ID: events.NewID(), Type: events.MembershipAdded, Version: 1, Time: clk.Now(),
		OrgID: tn.OrgID, MembershipID: m.ID}
	if err := h.Handle(t.Context(), cloudEvent(t, stale)); err != nil {
		t.Errorf("stale event: %v", err)
	}
	if got, _ := membership(t, env, m.ID); got.Provision.State != provisioning.Pending || sender.sent != 0 {
		t.Errorf("a stale event provisioned: %+v, %d sent", got.Provision, sender.sent)
	}
}
