//go:build integration

package notify_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Handler-level tests: the handler is built directly and sends to a private
// capture server, so failure injection and counts are this test's own.

func TestNotifyDuplicateDeliverySendsOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin := customer(t, env)
	f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
	mc := newCapture(t, nil)
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	ce := pushEvent(t, f.commented())

	// Redelivered, one after the other.
	for i := range 3 {
		if err := h.Handle(t.Context(), ce); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	// Redelivered, at once.
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.Handle(context.Background(), ce); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := mc.to(admin); len(got) != 1 {
		t.Fatalf("%d e-mails to the creator, want 1", len(got))
	}
}

func TestNotifyConcurrentFirstDeliveriesSendOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin := customer(t, env)
	f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
	mc := newCapture(t, nil)
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	ce := pushEvent(t, f.commented())
	// Pub/Sub may deliver a message twice at once: one wins the claim; the
	// others are told to retry (an error) and their retries find it done.
	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = h.Handle(context.Background(), ce) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			if err := h.Handle(t.Context(), ce); err != nil {
				t.Fatalf("redelivery of %d: %v", i, err)
			}
		}
	}
	if got := mc.to(admin); len(got) != 1 {
		t.Fatalf("%d e-mails, want 1", len(got))
	}
}

// claimExists reports whether the dedupe record of (event, recipient) exists.
func claimExists(t *testing.T, env *testenv.Env, eventID, recipient string) bool {
	t.Helper()
	_, err := env.FS().Collection(dedupe.Collection).Doc(dedupe.Key{Scope: "case-email", ID: eventID, Recipient: recipient}.DocID()).Get(t.Context())
	if store.IsNotFound(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

// failureRecord reads the notificationFailures record of (event, recipient).
func failureRecord(t *testing.T, env *testenv.Env, eventID, recipient string) map[string]any {
	t.Helper()
	snap, err := env.FS().Collection(store.NotificationFailuresCollection).
		Doc(dedupe.Key{Scope: "case-email", ID: eventID, Recipient: recipient}.DocID()).Get(t.Context())
	if store.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return snap.Data()
}

func TestNotifyRetryableFailureThenOneSend(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			tn, admin := customer(t, env)
			f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
			mc := newCapture(t, nil)
			if err := mc.FailNext(mailcapture.Failure{Status: status, Count: 1}); err != nil {
				t.Fatal(err)
			}
			h := handler(t, env, sender(t, mc.URL, 10*time.Second))
			ev := f.commented()
			ce := pushEvent(t, ev)

			if err := h.Handle(t.Context(), ce); err == nil {
				t.Fatal("SendGrid failed transiently, but the handler acknowledged the event")
			}
			if n := len(mc.Messages()); n != 0 {
				t.Fatalf("%d e-mails captured after a failed send", n)
			}
			if claimExists(t, env, ev.ID, admin) {
				t.Fatal("the failed send left its claim: the retry could not send")
			}
			if failureRecord(t, env, ev.ID, admin) != nil {
				t.Fatal("a transient failure was recorded as permanent")
			}
			// Pub/Sub redelivers: the retry sends, once.
			for range 2 {
				if err := h.Handle(t.Context(), ce); err != nil {
					t.Fatalf("redelivery: %v", err)
				}
			}
			if got := mc.to(admin); len(got) != 1 {
				t.Fatalf("%d e-mails after retries, want 1", len(got))
			}
		})
	}
}

func TestNotifyTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin := customer(t, env)
	f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
	// The first request hangs past the client's timeout and is never
	// accepted (a SendGrid that accepted and then timed out would send
	// twice: SendGrid has no idempotency key).
	var calls atomic.Int32
	mc := newCapture(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v3/mail/send" && calls.Add(1) == 1 {
				select {
				case <-r.Context().Done():
				case <-time.After(time.Second):
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	h := handler(t, env, sender(t, mc.URL, 300*time.Millisecond))
	ce := pushEvent(t, f.commented())
	if err := h.Handle(t.Context(), ce); err == nil {
		t.Fatal("a timed-out send was acknowledged")
	}
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	if got := mc.to(admin); len(got) != 1 {
		t.Fatalf("%d e-mails, want 1", len(got))
	}
}

func TestNotifyPartialFailureResumes(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin := customer(t, env)
	sub := tn.Email("sub")
	env.AddUser(t, tn.OrgID, sub, store.StatusActive, store.Role{Role: store.RoleViewer})
	f := newFixture(t, env, tn, admin, []string{sub}, false, agentUID(t, env), "agent@support.example", true)
	// The creator's e-mail goes through; the subscriber's is rate limited.
	var calls atomic.Int32
	mc := newCapture(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v3/mail/send" && calls.Add(1) == 2 {
				http.Error(w, `{"errors":[{"message":"too many requests"}]}`, http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	logs := logTo(h)
	ce := pushEvent(t, f.commented())
	if err := h.Handle(t.Context(), ce); err == nil {
		t.Fatal("a rate-limited send was acknowledged")
	}
	if len(mc.to(admin)) != 1 || len(mc.to(sub)) != 0 {
		t.Fatalf("after the first delivery: creator %d, subscriber %d", len(mc.to(admin)), len(mc.to(sub)))
	}
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	if len(mc.to(admin)) != 1 || len(mc.to(sub)) != 1 {
		t.Fatalf("after the retry: creator %d, subscriber %d; want 1 each", len(mc.to(admin)), len(mc.to(sub)))
	}
	// Logs name events, cases and recipients by id only.
	out := logs.check(t, "Hello", "Fixture")
	for _, want := range []string{`"caseId":"` + f.Case.ID + `"`, `"recipient":"` + store.ProfileID(sub) + `"`, `"severity":"WARNING"`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
}

func TestNotifyPermanentFailureIsRecordedAndAcknowledged(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin := customer(t, env)
	f := newFixture(t, env, tn, admin, nil, false, agentUID(t, env), "agent@support.example", true)
	mc := newCapture(t, nil)
	if err := mc.FailNext(mailcapture.Failure{Status: http.StatusBadRequest, Count: 1}); err != nil {
		t.Fatal(err)
	}
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	logs := logTo(h)
	ev := f.commented()
	ce := pushEvent(t, ev)
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("a refused e-mail must be acknowledged, got %v", err)
	}
	logs.check(t, "Hello", "Fixture")
	rec := failureRecord(t, env, ev.ID, admin)
	if rec == nil {
		t.Fatal("no notificationFailures record")
	}
	if rec["kind"] != store.NotifySendRefused || rec["status"] != int64(400) || rec["eventId"] != ev.ID ||
		rec["caseId"] != f.Case.ID || rec["recipientKey"] != store.ProfileID(admin) {
		t.Errorf("record %v", rec)
	}
	// Ids and a status only: no body, subject or address.
	allowed := map[string]bool{"kind": true, "eventId": true, "eventType": true, "orgId": true, "caseId": true,
		"recipientKey": true, "status": true, "reason": true, "time": true, "expireTime": true}
	for k, v := range rec {
		if !allowed[k] {
			t.Errorf("record has field %q", k)
		}
		if s, ok := v.(string); ok && (strings.Contains(s, "@") || strings.Contains(s, "Hello")) {
			t.Errorf("record field %s = %q carries content", k, s)
		}
	}
	// A redelivery (e.g. a duplicate) does not try again.
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatal(err)
	}
	if n := len(mc.Messages()); n != 0 {
		t.Fatalf("%d e-mails captured, want 0", n)
	}
}

func TestNotifyInvalidEventIsRecordedAndAcknowledged(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	mc := newCapture(t, nil)
	h := handler(t, env, sender(t, mc.URL, 10*time.Second))
	id := testenv.UniqueID("bad")
	ce := pushBody(t, id, map[string]any{"message": map[string]any{"data": []byte(`{"id":"x","type":"case.exploded","version":1}`), "messageId": id}})
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("an unprocessable event must be acknowledged, got %v", err)
	}
	snap, err := env.FS().Collection(store.NotificationFailuresCollection).Doc(dedupe.Key{Scope: "invalid-event", ID: id}.DocID()).Get(t.Context())
	if err != nil {
		t.Fatalf("no record of the invalid event: %v", err)
	}
	if d := snap.Data(); d["kind"] != store.NotifyInvalidEvent || d["messageId"] != id {
		t.Errorf("record %v", d)
	}
}

func TestNotifyTestCaseSkipsSupport(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	for _, testCase := range []bool{false, true} {
		t.Run(map[bool]string{false: "normal", true: "test case"}[testCase], func(t *testing.T) {
			t.Parallel()
			tn, admin := customer(t, env)
			dev := tn.Email("dev")
			env.AddUser(t, tn.OrgID, dev, store.StatusActive, store.Role{Role: store.RoleMember})
			u, err := env.Writer.Auth.GetUserByEmail(t.Context(), dev)
			if err != nil {
				t.Fatal(err)
			}
			// dev comments; the creator and a subscribed support agent are told.
			f := newFixture(t, env, tn, admin, []string{"agent@support.example", dev}, testCase, u.UID, dev, false)
			mc := newCapture(t, nil)
			if err := handler(t, env, sender(t, mc.URL, 10*time.Second)).Handle(t.Context(), pushEvent(t, f.commented())); err != nil {
				t.Fatal(err)
			}
			wantAgent := map[bool]int{false: 1, true: 0}[testCase]
			if a, c, d := len(mc.to("agent@support.example")), len(mc.to(admin)), len(mc.to(dev)); a != wantAgent || c != 1 || d != 0 {
				t.Fatalf("agent %d (want %d), creator %d (want 1), commenter %d (want 0)", a, wantAgent, c, d)
			}
		})
	}
}

// Events whose documents do not name the actor (close, support's state
// change) find the actor's address through Firebase Auth; the others take
// it from the escalation or the attachment. Either way the actor — here a
// subscriber — is not told, and the creator is.
func TestNotifyOtherEventTypes(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tests := []struct {
		typ     string
		support bool
		subject string
	}{
		{events.CaseClosed, false, "— closed"},
		{events.CaseStateChanged, true, "— status changed: Solution provided"},
		{events.CaseEscalated, false, "— escalated"},
		{events.CaseAttachmentAdded, false, "— new attachment"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			tn, admin := customer(t, env)
			dev := tn.Email("dev")
			env.AddUser(t, tn.OrgID, dev, store.StatusActive, store.Role{Role: store.RoleMember})
			u, err := env.Writer.Auth.GetUserByEmail(t.Context(), dev)
			if err != nil {
				t.Fatal(err)
			}
			actorUID, actorEmail := u.UID, dev
			subscribers := []string{dev}
			if tt.support {
				actorUID, actorEmail = agentUID(t, env), "agent@support.example"
				subscribers = append(subscribers, actorEmail)
			}
			f := newFixture(t, env, tn, admin, subscribers, false, actorUID, actorEmail, tt.support)
			ev := events.New(tt.typ, time.Now(), tn.OrgID, f.Case.ID)
			ev.SetActor(actorUID, store.ProfileID(actorEmail), tt.support)
			ev.OldState, ev.NewState = casestate.InProgress, casestate.SolutionProvided
			st := store.New(env.FS())
			switch tt.typ {
			case events.CaseEscalated:
				if _, _, err := st.MutateCase(t.Context(), f.Case.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
					c.Escalated = true
					c.Escalation = &store.Escalation{Time: time.Now(), ActorUID: actorUID, ActorEmail: actorEmail,
						Reason: "BUSINESS_IMPACT", Justification: "Checkout <down>"}
					return true, nil
				}); err != nil {
					t.Fatal(err)
				}
			case events.CaseAttachmentAdded:
				ev.AttachmentID = "0000000000000001abcdef01"
				if _, err := env.FS().Collection(store.CasesCollection).Doc(f.Case.ID).Collection("attachments").Doc(ev.AttachmentID).
					Set(t.Context(), store.AttachmentNotice{ID: ev.AttachmentID, State: "READY", Filename: "trace<1>.log",
						SizeBytes: 2048, CreatorUID: actorUID, CreatorEmail: actorEmail}); err != nil {
					t.Fatal(err)
				}
			}
			mc := newCapture(t, nil)
			if err := handler(t, env, sender(t, mc.URL, 10*time.Second)).Handle(t.Context(), pushEvent(t, ev)); err != nil {
				t.Fatal(err)
			}
			got := mc.to(admin)
			if len(got) != 1 || !strings.HasSuffix(got[0].Subject, tt.subject) {
				t.Fatalf("creator got %d e-mails (%+v), want 1 ending %q", len(got), got, tt.subject)
			}
			if n := len(mc.to(actorEmail)); n != 0 {
				t.Errorf("the actor got %d e-mails about its own change", n)
			}
			if tt.support && len(mc.to(dev)) != 1 {
				t.Errorf("the subscriber got %d e-mails, want 1", len(mc.to(dev)))
			}
			if html := got[0].Part("text/html"); strings.Contains(html, "<down>") || strings.Contains(html, "trace<1>") {
				t.Errorf("unescaped user content:\n%s", html)
			}
		})
	}
}
