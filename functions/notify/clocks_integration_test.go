//go:build integration

package notify_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestNotifyClockEvents: the case clocks' events, each delivered twice at
// once and then again (Pub/Sub's at-least-once), give one e-mail per
// recipient: the reminder to the creator and the subscriber, the automatic
// close's e-mail, the SLA alert to the support team's address only. A
// reminder that arrives after the wait ended, and an alert about a test
// case, send nothing.
func TestNotifyClockEvents(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	const alerts = "sla-alerts@support.example"
	tests := []struct {
		name     string
		typ      string
		testCase bool
		setup    func(c *store.Case, ev *events.Event)
		want     map[string]string // recipient → subject ending; absent = no e-mail
	}{
		{"reminder", events.CaseReminded, false, func(c *store.Case, _ *events.Event) {
			c.State, c.Clocks.WaitingSince, c.Clocks.ReminderTime = casestate.SolutionProvided, time.Now().Add(-3*24*time.Hour), time.Now()
			c.Clocks.AutoCloseTime = time.Now().Add(4 * 24 * time.Hour)
		}, map[string]string{"creator": "— waiting for your reply", "subscriber": "— waiting for your reply"}},
		{"reminder after the customer answered", events.CaseReminded, false, func(*store.Case, *events.Event) {}, map[string]string{}},
		{"automatic close", events.CaseClosed, false, func(c *store.Case, ev *events.Event) {
			ev.Reason = events.ReasonAutoClose
			c.State, c.Open, c.CloseTime, c.Clocks.WaitingSince = casestate.Closed, false, time.Now(), time.Now().Add(-7*24*time.Hour)
		}, map[string]string{"creator": "— closed automatically", "subscriber": "— closed automatically"}},
		{"SLA breach", events.CaseSLABreached, false, func(_ *store.Case, ev *events.Event) { ev.DueTime = time.Now().Add(-time.Minute) },
			map[string]string{"alerts": "— SLA breached (P3)"}},
		{"SLA breach of a test case", events.CaseSLABreached, true, func(_ *store.Case, ev *events.Event) { ev.DueTime = time.Now() },
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tn, admin := customer(t, env)
			sub := tn.Email(testenv.UniqueID("sub"))
			env.AddUser(t, tn.OrgID, sub, store.StatusActive, store.Role{Role: store.RoleMember})
			f := newFixture(t, env, tn, admin, []string{sub}, tt.testCase, agentUID(t, env), "agent@support.example", true)
			ev := events.New(tt.typ, time.Now(), tn.OrgID, f.Case.ID)
			ev.ActorIsSupport = true
			st := store.New(env.FS())
			if _, _, err := st.MutateCase(t.Context(), f.Case.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
				tt.setup(c, &ev)
				return true, nil
			}); err != nil {
				t.Fatal(err)
			}
			mc := newCapture(t, nil)
			h := handler(t, env, sender(t, mc.URL, 10*time.Second))
			h.SLAAlertEmail = alerts
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() { errs[i] = h.Handle(t.Context(), pushEvent(t, ev)) })
			}
			wg.Wait()
			// A concurrent duplicate may be told to retry (the other one
			// holds the claim); the redelivery then finds it sent.
			if err := h.Handle(t.Context(), pushEvent(t, ev)); err != nil {
				t.Fatalf("redelivery: %v (concurrent: %v)", err, errs)
			}
			for who, addr := range map[string]string{"creator": admin, "subscriber": sub, "alerts": alerts} {
				got := mc.to(addr)
				want, ok := tt.want[who]
				switch {
				case !ok && len(got) != 0:
					t.Errorf("%s got %d e-mails, want none: %s", who, len(got), got[0].Subject)
				case ok && (len(got) != 1 || !strings.HasSuffix(got[0].Subject, want)):
					t.Errorf("%s got %d e-mails %v, want one ending %q", who, len(got), subjects(got), want)
				}
			}
		})
	}
}

func subjects(ms []mailcapture.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Subject
	}
	return out
}
