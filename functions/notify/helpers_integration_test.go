//go:build integration

package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/notify"
	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/logging"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// sender returns a SendGrid sender for host (the stack's capture server
// when "") with the given timeout.
func sender(t *testing.T, host string, timeout time.Duration) *mail.Sender {
	t.Helper()
	if host == "" {
		host = os.Getenv("SENDGRID_HOST")
	}
	s, err := mail.New(mail.Config{Host: host, APIKey: mailcapture.DefaultAPIKey,
		From: "support@support.example", FromName: "Support Center", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// handler builds the notify Handler against the emulators, as the function
// does, sending through s.
func handler(t *testing.T, env *testenv.Env, s notify.Sender) *notify.Handler {
	t.Helper()
	st := store.New(env.FS())
	clk := clock.Real{}
	return &notify.Handler{Store: st, Access: &access.Resolver{Store: st, VendorOrgID: seed.VendorOrgID, Clock: clk},
		Mail: s, Dedupe: &dedupe.Deduper{Store: store.New(env.FS()), Clock: clk}, Clock: clk,
		Logger: slog.New(slog.DiscardHandler), PortalURL: "https://portal.example"}
}

// logBuffer collects a handler's log lines (concurrency-safe).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// check fails if the log carries an address or a body, and returns it.
func (l *logBuffer) check(t *testing.T, contents ...string) string {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	for _, c := range append(contents, "@") {
		if strings.Contains(s, c) {
			t.Errorf("logs contain %q:\n%s", c, s)
		}
	}
	return s
}

// logTo makes h log, at debug level in the production format, to a buffer.
func logTo(h *notify.Handler) *logBuffer {
	l := &logBuffer{}
	h.Logger = logging.New(l, slog.LevelDebug)
	return l
}

// capture is a private mail capture server, so failure injection and
// counts concern this test only.
type capture struct {
	*mailcapture.Server
	URL string
}

func newCapture(t *testing.T, wrap func(http.Handler) http.Handler) *capture {
	t.Helper()
	s := mailcapture.NewServer(mailcapture.Config{})
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &capture{Server: s, URL: srv.URL}
}

// to returns the captured messages to address.
func (c *capture) to(address string) []mailcapture.Message {
	var out []mailcapture.Message
	for _, m := range c.Messages() {
		if m.HasRecipient(address) {
			out = append(out, m)
		}
	}
	return out
}

// pushEvent wraps ev the way functions-framework hands a Pub/Sub push to a
// CloudEvent function (the push body is the CloudEvent's data).
func pushEvent(t *testing.T, ev events.Event) event.Event {
	t.Helper()
	data, err := events.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return pushBody(t, "m-"+ev.ID, map[string]any{"subscription": "projects/p/subscriptions/notify-push",
		"message": map[string]any{"data": data, "messageId": "m-" + ev.ID, "attributes": events.Attributes(ev)}})
}

func pushBody(t *testing.T, id string, body any) event.Event {
	t.Helper()
	e := event.New()
	e.SetID(id)
	e.SetSource("//pubsub.googleapis.com/projects/p/topics/" + events.CaseEventsTopic)
	e.SetType("google.cloud.pubsub.topic.v1.messagePublished")
	if err := e.SetData("application/json", body); err != nil {
		t.Fatal(err)
	}
	return e
}

// stackMail returns what the stack's capture server holds for address.
func stackMail(t testing.TB, env *testenv.Env, address string) []mailcapture.Message {
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

// about keeps the messages whose subject names case id.
func about(msgs []mailcapture.Message, caseID string) []mailcapture.Message {
	var out []mailcapture.Message
	for _, m := range msgs {
		if strings.Contains(m.Subject, " "+caseID+"]") {
			out = append(out, m)
		}
	}
	return out
}

// waitMail polls the stack's capture server until address has n messages
// about caseID, and returns them.
func waitMail(t *testing.T, env *testenv.Env, address, caseID string, n int) []mailcapture.Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs := about(stackMail(t, env, address), caseID)
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d e-mails about case %s after 30 s, want %d", address, len(msgs), caseID, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setProfile writes a person's profile as PATCH /v2/me would.
func setProfile(t *testing.T, env *testenv.Env, email, lang, pref string) {
	t.Helper()
	if _, err := env.Writer.Store.SaveProfile(context.Background(), email,
		store.ProfileChange{Language: &lang, NotificationPreference: &pref}, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
}

// fixture is a case written straight to Firestore, with a comment, for
// tests that drive the handler directly.
type fixture struct {
	Case    *store.Case
	Comment *store.Comment
}

// newFixture files a case in tn by creator (a member of tn) with
// subscribers, and adds a comment by commenter (support when bySupport).
func newFixture(t *testing.T, env *testenv.Env, tn *testenv.Tenant, creator string, subscribers []string, testCase bool,
	commenterUID, commenterEmail string, bySupport bool) *fixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(env.FS())
	now := time.Now().UTC()
	u, err := env.Writer.Auth.GetUserByEmail(ctx, creator)
	if err != nil {
		t.Fatal(err)
	}
	c := &store.Case{OrgID: tn.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-connectivity", DisplayName: "Fixture <case>",
		Description: "Described.", SubscriberEmailAddresses: subscribers, LanguageCode: "en", Priority: "P3", State: casestate.New,
		Open: true, TestCase: testCase, CreatorUID: u.UID, CreatorEmail: creator, CreateTime: now, UpdateTime: now}
	if _, err := st.CreateCase(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	var cm *store.Comment
	if _, _, err := st.MutateCase(ctx, c.ID, func(tx *store.CaseTx, c *store.Case) (bool, error) {
		capacity := string(access.Customer)
		if bySupport {
			capacity = string(access.Support)
		}
		cm = &store.Comment{Body: "Hello <script>alert(1)</script>", CreateTime: now, CreatorUID: commenterUID,
			CreatorEmail: commenterEmail, CreatorIsSupport: bySupport, CreatorCapacity: capacity}
		c.CommentCount++
		return true, tx.AddComment(cm)
	}); err != nil {
		t.Fatal(err)
	}
	return &fixture{Case: c, Comment: cm}
}

// commented is the case.commented event of the fixture's comment.
func (f *fixture) commented() events.Event {
	e := events.New(events.CaseCommented, time.Now(), f.Case.OrgID, f.Case.ID)
	e.CommentID = f.Comment.ID
	e.SetActor(f.Comment.CreatorUID, store.ProfileID(f.Comment.CreatorEmail), f.Comment.CreatorIsSupport)
	return e
}

// customer writes a customer tenant with one active org admin (the
// creator of fixtures) and returns it with the admin's address.
func customer(t *testing.T, env *testenv.Env) (*testenv.Tenant, string) {
	t.Helper()
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	admin := tn.Email("admin")
	env.AddUser(t, tn.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	return tn, admin
}

// agentUID is the demo support agent's uid.
func agentUID(t *testing.T, env *testenv.Env) string {
	t.Helper()
	u, err := env.Writer.Auth.GetUserByEmail(context.Background(), "agent@support.example")
	if err != nil {
		t.Fatal(err)
	}
	return u.UID
}
