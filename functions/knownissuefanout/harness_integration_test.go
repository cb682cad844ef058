//go:build integration

package knownissuefanout_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/knownissuefanout"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

// fakeSender records what each recipient was sent and fails chosen
// requests (by index, counting from 0).
type fakeSender struct {
	mu        sync.Mutex
	requests  int
	perPerson map[string]int
	sizes     []int
	fail      map[int]failure
}

type failure struct {
	err    error
	accept bool   // SendGrid took the request before the failure (no answer, crash)
	then   func() // runs after recording (a crash: cancel the delivery's context)
}

func newSender() *fakeSender {
	return &fakeSender{perPerson: map[string]int{}, fail: map[int]failure{}}
}

func (s *fakeSender) Send(_ context.Context, m mail.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.requests
	s.requests++
	f, failing := s.fail[n]
	if failing && !f.accept {
		return "", f.err
	}
	if len(m.Personal) > mail.MaxRecipients {
		return "", &mail.Error{StatusCode: 400, Message: "too many personalizations"}
	}
	for _, p := range m.Personal {
		s.perPerson[p.To.Email]++
	}
	s.sizes = append(s.sizes, len(m.Personal))
	if failing {
		if f.then != nil {
			f.then()
		}
		return "", f.err
	}
	return "msg", nil
}

func (s *fakeSender) counts() (people, duplicates int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.perPerson {
		people++
		if n > 1 {
			duplicates++
		}
	}
	return people, duplicates
}

// world is one issue with its subscribers, and a handler over the emulator.
type world struct {
	env     *testenv.Env
	store   *store.Store
	count   *testenv.OpCounter
	handler *knownissuefanout.Handler
	sender  *fakeSender
	issue   *store.KnownIssue
	orgs    []*testenv.Tenant
}

func newWorld(t testing.TB, orgs int) *world {
	t.Helper()
	env := testenv.Get(t)
	fs, cnt := env.CountingFirestore(t)
	st := store.New(fs)
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), st, nil, clock.Real{})
	signer, err := unsubscribe.New(unsubscribe.LocalKeys)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{env: env, store: st, count: cnt, sender: newSender()}
	w.handler = &knownissuefanout.Handler{Store: st, Access: deps.Resolver, Mail: w.sender, Signer: signer,
		Clock: clock.Real{}, Logger: deps.Logger, PortalURL: "https://support.example"}
	for range orgs {
		w.orgs = append(w.orgs, env.NewCustomer(t, "GOLD", "clouddb"))
	}
	ki := &store.KnownIssue{Title: "Fan-out " + testenv.UniqueID("t"), Summary: "s", ProductIDs: []string{"clouddb"},
		State: store.KnownIssueActive, CreateTime: time.Now().UTC(), UpdateTime: time.Now().UTC()}
	if err := st.CreateKnownIssue(context.Background(), ki); err != nil {
		t.Fatal(err)
	}
	w.issue = ki
	return w
}

// seed writes n subscribers spread over the world's organisations, whole
// buckets at a time (one write per bucket), and returns their addresses.
func (w *world) seed(t testing.TB, n int) []string {
	t.Helper()
	byBucket := make([][]store.Subscriber, store.SubscriberBuckets)
	emails := make([]string, 0, n)
	now := time.Now().UTC()
	for i := range n {
		tn := w.orgs[i%len(w.orgs)]
		email := tn.Email(fmt.Sprintf("user%06d", i))
		b := store.SubscriberBucket(store.SubscriberKey(email))
		lang := mail.English
		if i%3 == 0 {
			lang = mail.Korean
		}
		byBucket[b] = append(byBucket[b], store.Subscriber{Email: email, OrgID: tn.OrgID, ViaOrgID: tn.OrgID,
			Capacity: "CUSTOMER", Lang: lang, Time: now})
		emails = append(emails, email)
	}
	var wg sync.WaitGroup
	errs := make(chan error, store.SubscriberBuckets)
	sem := make(chan struct{}, 16)
	for b, subs := range byBucket {
		if len(subs) == 0 {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs <- w.store.PutSubscriberBucket(context.Background(), w.issue.ID, b, subs)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return emails
}

// update posts an update and returns its event, taking it out of the
// outbox so the stack's relay never publishes it to the stack's own
// fan-out function (the test delivers it itself).
func (w *world) update(t testing.TB) events.KnownIssueEvent {
	t.Helper()
	u := &store.KnownIssueUpdate{Body: "Update body", AuthorEmail: "agent@support.example", CreateTime: time.Now().UTC()}
	var ev events.KnownIssueEvent
	_, msgs, err := w.store.AddKnownIssueUpdate(context.Background(), w.issue.ID, u, func(ki *store.KnownIssue, u *store.KnownIssueUpdate) events.KnownIssueEvent {
		ev = events.NewKnownIssueUpdated(u.CreateTime, ki.ID, u.ID, false)
		return ev
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.DeleteOutbox(context.Background(), msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	return ev
}
