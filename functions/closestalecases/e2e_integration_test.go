//go:build integration

package closestalecases_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// alertAddress is where the stack's notify sends SLA breach alerts: no
// SLA_ALERT_EMAIL is set locally, so the sender address MAIL_FROM (its
// default).
const alertAddress = "support@support.example"

// mails returns the subjects of the stack's captured e-mails to address
// about caseID.
func mails(t *testing.T, env *testenv.Env, address, caseID string) []string {
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
	var out []string
	for _, m := range body.Messages {
		if strings.Contains(m.Subject, " "+caseID+"]") {
			out = append(out, m.Subject)
		}
	}
	return out
}

// eventually polls cond for up to 60 s (the stack shares the machine with
// other tests), failing with what when it never holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s: %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestScheduledSweepEndToEnd drives close-stale-cases as deployed in the
// local stack, the way Cloud Scheduler does: a message on its schedule
// topic (narrowed to this test's organisation, so the real clock touches no
// other test's cases) is pushed to the runner's function, which reminds,
// closes and alerts; notify e-mails through the mail capture server — the
// reminder in each recipient's language (the creator reads Korean, the
// subscriber English), the automatic close with the survey, and one SLA
// breach alert to the support team. A second tick (Cloud Scheduler's
// retry) repeats none of it.
func TestScheduledSweepEndToEnd(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := t.Context()
	tn := env.NewCustomer(t, "PLATINUM", "clouddb")
	creator, sub := tn.Email("admin"), tn.Email("dev")
	env.AddUser(t, tn.OrgID, creator, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	env.AddUser(t, tn.OrgID, sub, store.StatusActive, store.Role{Role: store.RoleMember})
	st := store.New(env.FS())
	ko := "ko"
	if _, err := st.SaveProfile(ctx, creator, store.ProfileChange{Language: &ko}, time.Now()); err != nil {
		t.Fatal(err)
	}
	pkg, err := st.Package(ctx, "PLATINUM")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	put := func(title, state, priority string, created, answered time.Time) *store.Case {
		t.Helper()
		c := &store.Case{OrgID: tn.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: title,
			Description: "end to end", Priority: priority, State: state, Open: true, LanguageCode: "en", TimeZone: "Asia/Seoul",
			SubscriberEmailAddresses: []string{sub}, CreatorEmail: creator, CreateTime: created, UpdateTime: created,
			FirstResponseTime: answered, SupportHours: "24x7"}
		var act *caseclock.Activity
		if !answered.IsZero() {
			c.UpdateTime = answered
			act = &caseclock.Activity{BySupport: true, State: state, At: answered}
		}
		caseclocks.Update(c, pkg, act, false)
		if _, err := st.CreateCase(ctx, c, func(*store.Case) []events.Event { return nil }); err != nil {
			t.Fatal(err)
		}
		return c
	}
	const day = 24 * time.Hour
	remind := put("remind me", casestate.SolutionProvided, "P3", now.Add(-5*day), now.Add(-4*day))
	stale := put("close me", casestate.SolutionProvided, "P3", now.Add(-9*day), now.Add(-8*day))
	late := put("answer me", casestate.New, "P1", now.Add(-2*time.Hour), time.Time{}) // P1: first response within 60 min

	ps, err := pubsub.NewClient(ctx, env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	topic := ps.Publisher(manifest.ScheduleTopic("close-stale-cases"))
	defer topic.Stop()
	tick := func() {
		t.Helper()
		b, err := json.Marshal(runtime.Tick{Job: "close-stale-cases", OrgID: tn.OrgID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := topic.Publish(ctx, &pubsub.Message{Data: b}).Get(ctx); err != nil {
			t.Fatal(err)
		}
	}
	read := func(id string) *store.Case {
		t.Helper()
		c, err := st.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	tick()
	eventually(t, "the stale case is not closed", func() bool { return read(stale.ID).State == casestate.Closed })
	eventually(t, "the waiting case is not reminded", func() bool { return !read(remind.ID).Clocks.ReminderTime.IsZero() })
	eventually(t, "the breach is not recorded", func() bool { return !read(late.ID).Clocks.SLAAlertedClock.IsZero() })

	// The reminder comment is in the creator's language; the case still
	// shows when it will close.
	cms, err := st.Comments(ctx, remind.ID, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cms) != 1 || !strings.Contains(cms[0].Body, "자동으로 종료됩니다") || cms[0].CreatorCapacity != "SYSTEM" {
		t.Fatalf("reminder comments: %+v", cms)
	}
	if got := read(remind.ID); !got.Clocks.AutoCloseTime.Equal(remind.Clocks.AutoCloseTime) || got.State != casestate.SolutionProvided {
		t.Fatalf("after the reminder: state %s, autoCloseTime %v", got.State, got.Clocks.AutoCloseTime)
	}
	// E-mails: each in its recipient's language.
	eventually(t, "no Korean reminder to the creator", func() bool { return len(mails(t, env, creator, remind.ID)) == 1 })
	eventually(t, "no English reminder to the subscriber", func() bool { return len(mails(t, env, sub, remind.ID)) == 1 })
	eventually(t, "no closing e-mail to the creator", func() bool { return len(mails(t, env, creator, stale.ID)) == 1 })
	eventually(t, "no SLA alert to the support team", func() bool { return len(mails(t, env, alertAddress, late.ID)) == 1 })
	if s := mails(t, env, creator, remind.ID)[0]; !strings.HasPrefix(s, "[케이스 "+remind.ID+"]") || !strings.HasSuffix(s, "답변 대기 중") {
		t.Errorf("creator's reminder subject %q, want Korean", s)
	}
	if s := mails(t, env, sub, remind.ID)[0]; !strings.HasSuffix(s, "waiting for your reply") {
		t.Errorf("subscriber's reminder subject %q, want English", s)
	}
	if s := mails(t, env, creator, stale.ID)[0]; !strings.HasSuffix(s, "자동 종료") {
		t.Errorf("closing subject %q", s)
	}
	if s := mails(t, env, alertAddress, late.ID)[0]; !strings.HasSuffix(s, "SLA breached (P1)") {
		t.Errorf("alert subject %q", s)
	}

	// Cloud Scheduler's retry: a second tick. A case that came due in
	// between shows that it ran; nothing of the first tick happens again.
	again := put("remind me too", casestate.SolutionProvided, "P3", now.Add(-5*day), now.Add(-4*day))
	tick()
	eventually(t, "the second tick did not run", func() bool { return len(mails(t, env, sub, again.ID)) == 1 })
	for _, m := range []struct {
		address, caseID string
	}{{creator, remind.ID}, {sub, remind.ID}, {creator, stale.ID}, {alertAddress, late.ID}} {
		if got := mails(t, env, m.address, m.caseID); len(got) != 1 {
			t.Errorf("%s got %d e-mails about case %s after two ticks, want 1: %v", m.address, len(got), m.caseID, got)
		}
	}
	if c := read(stale.ID); c.CloseCount != 1 || c.CommentCount != 1 {
		t.Errorf("the stale case: closeCount %d, commentCount %d after two ticks; want 1 and 1", c.CloseCount, c.CommentCount)
	}
}
