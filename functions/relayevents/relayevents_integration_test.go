//go:build integration

package relayevents_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/relayevents"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/store"
)

// These tests drive the real path of a left-over event: the store commits
// a case with its case.created event in the outbox; the publish after the
// commit fails or never happens; the relay publishes to the Pub/Sub
// emulator, which pushes to the stack's notify function, which e-mails the
// case's subscriber through the stack's mail capture server.

// tenant is a customer with an org admin (the creator) and a subscribed
// member (the one notify e-mails about a new case).
type tenant struct {
	*testenv.Tenant
	creator, subscriber string
}

func newTenant(t *testing.T, env *testenv.Env) *tenant {
	t.Helper()
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	out := &tenant{Tenant: tn, creator: tn.Email("admin"), subscriber: tn.Email(testenv.UniqueID("sub"))}
	env.AddUser(t, tn.OrgID, out.creator, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	env.AddUser(t, tn.OrgID, out.subscriber, store.StatusActive, store.Role{Role: store.RoleMember})
	return out
}

// commitCase files a case with its case.created event in the outbox, as
// the cases function does, and returns it with the committed messages.
func (tn *tenant) commitCase(t *testing.T, env *testenv.Env, st *store.Store) (*store.Case, []events.Message) {
	t.Helper()
	ctx := t.Context()
	u, err := env.Writer.Auth.GetUserByEmail(ctx, tn.creator)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	c := &store.Case{OrgID: tn.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-connectivity", DisplayName: "Outbox " + testenv.UniqueID("t"),
		Description: "Left behind.", SubscriberEmailAddresses: []string{tn.subscriber}, LanguageCode: "en", Priority: "P3",
		State: casestate.New, Open: true, CreatorUID: u.UID, CreatorEmail: tn.creator, CreateTime: now, UpdateTime: now}
	msgs, err := st.CreateCase(ctx, c, func(c *store.Case) []events.Event {
		e := events.New(events.CaseCreated, now, c.OrgID, c.ID)
		e.ActorUID = u.UID
		return []events.Event{e}
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, msgs
}

// held returns the ids of tn's messages in the outbox.
func held(t *testing.T, st *store.Store, orgID string) []string {
	t.Helper()
	es, err := st.HeldOutbox(t.Context(), orgID, time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

// mailAbout returns the stack's captured e-mails to address about caseID.
func mailAbout(t *testing.T, env *testenv.Env, address, caseID string) int {
	t.Helper()
	resp, err := http.Get(env.MailURL + "/api/messages?to=" + url.QueryEscape(address))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Messages []struct {
			Subject string `json:"subject"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range body.Messages {
		if strings.Contains(m.Subject, " "+caseID+"]") {
			n++
		}
	}
	return n
}

// waitMail polls until address has an e-mail about caseID.
func waitMail(t *testing.T, env *testenv.Env, address, caseID string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for mailAbout(t, env, address, caseID) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail to %s about case %s after 30 s", address, caseID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// relay is the relay-events handler scoped to orgID, publishing with pub,
// taking messages at once (a nanosecond's age).
func relay(st *store.Store, pub events.Publisher, orgID string) *relayevents.Handler {
	logger := slog.New(slog.DiscardHandler)
	return &relayevents.Handler{Outbox: outbox.New(st, pub, logger), Clock: clock.Real{}, Logger: logger,
		MinAge: time.Nanosecond, OrgID: orgID}
}

// TestLeftOverEventEndsInOneEmail: a publish failure after the commit, and
// a crash between commit and publish, each leave the event in the outbox;
// the relay publishes it and exactly one e-mail results; a second relay
// run publishes nothing.
func TestLeftOverEventEndsInOneEmail(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	pub, err := publish.New(context.Background(), env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close() })
	tests := []struct {
		name        string
		afterCommit func(t *testing.T, msgs []events.Message)
	}{
		{"publish fails", func(t *testing.T, msgs []events.Message) {
			down := &events.Recorder{Err: errors.New("pubsub unreachable")}
			outbox.New(st, down, slog.New(slog.DiscardHandler)).Send(t.Context(), msgs...)
		}},
		{"crash between commit and publish", func(*testing.T, []events.Message) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := newTenant(t, env)
			c, msgs := tn.commitCase(t, env, st)
			tc.afterCommit(t, msgs)
			if got := held(t, st, tn.OrgID); len(got) != 1 || got[0] != msgs[0].ID {
				t.Fatalf("outbox holds %v, want the event %s", got, msgs[0].ID)
			}

			h := relay(st, pub, tn.OrgID)
			res, err := h.Relay(t.Context())
			if err != nil || res.Published != 1 || res.Failed != 0 {
				t.Fatalf("relay: %+v %v", res, err)
			}
			waitMail(t, env, tn.subscriber, c.ID)
			if got := held(t, st, tn.OrgID); len(got) != 0 {
				t.Fatalf("outbox still holds %v after the relay", got)
			}

			// A duplicate run (the next tick) sends nothing more.
			if err := h.Run(t.Context()); err != nil {
				t.Fatal(err)
			}
			if res, err := h.Relay(t.Context()); err != nil || res.Published != 0 {
				t.Fatalf("second relay: %+v %v", res, err)
			}
			// Let any stray delivery arrive (a push takes milliseconds here).
			time.Sleep(2 * time.Second)
			if n := mailAbout(t, env, tn.subscriber, c.ID); n != 1 {
				t.Fatalf("%d e-mails about case %s, want 1", n, c.ID)
			}
		})
	}
}

// TestRelayConcurrentRunsPublishOnce: two relay runs over the same left
// behind events publish each exactly once between them and clear the
// outbox; a third run finds nothing.
func TestRelayConcurrentRunsPublishOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	tn := newTenant(t, env)
	want := map[string]bool{}
	for range 6 {
		_, msgs := tn.commitCase(t, env, st)
		want[msgs[0].ID] = true
	}
	recs := []*events.Recorder{{}, {}}
	now := time.Now() // one instant for both runs, as two overlapping ticks see it
	var wg sync.WaitGroup
	results := make([]outbox.RelayResult, len(recs))
	errs := make([]error, len(recs))
	for i, rec := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = outbox.New(st, rec, slog.New(slog.DiscardHandler)).Relay(t.Context(), now, time.Nanosecond, tn.OrgID, 2)
		}()
	}
	wg.Wait()
	published := map[string]int{}
	total := 0
	for i, rec := range recs {
		if errs[i] != nil || results[i].Failed != 0 {
			t.Fatalf("run %d: %+v %v", i+1, results[i], errs[i])
		}
		total += results[i].Published
		for _, m := range rec.Messages() {
			published[m.ID]++
		}
	}
	if total != len(want) || len(published) != len(want) {
		t.Fatalf("published %v (runs %+v), want each of %d events once", published, results, len(want))
	}
	for id, n := range published {
		if !want[id] || n != 1 {
			t.Fatalf("event %s published %d times", id, n)
		}
	}
	if got := held(t, st, tn.OrgID); len(got) != 0 {
		t.Fatalf("outbox still holds %v", got)
	}
	rec := &events.Recorder{}
	if res, err := relay(st, rec, tn.OrgID).Relay(t.Context()); err != nil || res.Published != 0 || len(rec.Messages()) != 0 {
		t.Fatalf("third run: %+v %v", res, err)
	}
}
