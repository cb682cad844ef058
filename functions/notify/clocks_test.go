package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
)

// TestClockEmails renders the case clocks' e-mails in both languages: the
// reminder names the close time in the case's time zone (or says nothing
// closes), the automatic close says why and how long the case waited and
// links the survey, and the breach alert names the clock that was missed.
func TestClockEmails(t *testing.T) {
	t.Parallel()
	solved := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		typ   string
		setup func(n *notice)
		lang  string
		want  []string
	}{
		{"reminder in Seoul time", events.CaseReminded, func(n *notice) {
			n.Case.TimeZone, n.Case.Clocks.AutoCloseTime = "Asia/Seoul", solved.Add(7*24*time.Hour)
		}, mail.English, []string{"will close automatically on 2026-03-09 10:00 KST", "Any reply keeps it open", "waiting for your reply"}},
		{"reminder in Korean", events.CaseReminded, func(n *notice) {
			n.Case.Clocks.AutoCloseTime = solved.Add(7 * 24 * time.Hour)
		}, mail.Korean, []string{"2026-03-09 01:00 UTC에 자동으로 종료됩니다", "답변 대기 중"}},
		{"reminder of a case never closed automatically (P1)", events.CaseReminded, func(n *notice) {}, mail.English,
			[]string{"Any reply lets us continue."}},
		{"automatic close", events.CaseClosed, func(n *notice) {
			n.Event.Reason = events.ReasonAutoClose
			n.Case.State, n.Case.Clocks.WaitingSince, n.Case.CloseTime = casestate.Closed, solved, solved.Add(7*24*time.Hour+20*time.Minute)
		}, mail.English, []string{"closed automatically: it waited 7 days for your reply", "within 30 days", "Rate our support"}},
		{"automatic close in Korean", events.CaseClosed, func(n *notice) {
			n.Event.Reason = events.ReasonAutoClose
			n.Case.State, n.Case.Clocks.WaitingSince, n.Case.CloseTime = casestate.Closed, solved, solved.Add(7*24*time.Hour)
		}, mail.Korean, []string{"자동으로 종료되었습니다: 마지막 업데이트 후 7일", "평가", "자동 종료"}},
		{"first-response breach", events.CaseSLABreached, func(n *notice) {
			n.Event.DueTime, n.Case.Priority = solved, "P1"
		}, mail.English, []string{"first-response target of case 123456789 was due at 2026-03-02 01:00 UTC", "SLA breached (P1)", "Organisation: acme"}},
		{"next-response breach", events.CaseSLABreached, func(n *notice) {
			n.Event.DueTime, n.Case.FirstResponseTime = solved, solved.Add(-time.Hour)
		}, mail.Korean, []string{"후속 응답 목표 시간(2026-03-02 01:00 UTC)", "SLA 위반"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := testNotice(tt.typ)
			tt.setup(n)
			m, err := message(n, recipient{Email: "kim@acme.example", Lang: tt.lang}, portal)
			if err != nil {
				t.Fatal(err)
			}
			all := m.Subject + "\n" + m.Text
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("e-mail lacks %q:\n%s", w, all)
				}
			}
			if !strings.Contains(m.HTML, `href="https://support.example/organizations/acme/cases/123456789"`) {
				t.Errorf("no case link in the HTML part:\n%s", m.HTML)
			}
			checkEscaped(t, m.HTML)
		})
	}
}

func TestReminderOutdated(t *testing.T) {
	t.Parallel()
	n := testNotice(events.CaseReminded)
	if !reminderOutdated(n) {
		t.Error("a reminder about a case whose wait ended (no reminder time) is not outdated")
	}
	n.Case.Clocks.ReminderTime = time.Now()
	if reminderOutdated(n) {
		t.Error("a reminder about a waiting case is outdated")
	}
	if reminderOutdated(testNotice(events.CaseCommented)) {
		t.Error("a comment is an outdated reminder")
	}
}
