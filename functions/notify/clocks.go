package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The case clocks' e-mails (see clocks_templates.go):
//   - case.reminded goes to the creator and subscribers like any case
//     e-mail, each in their language, telling when the case closes; when
//     the wait it reminded of has ended (the customer answered before the
//     event arrived) nothing is sent;
//   - case.closed with reason AUTO_CLOSE is the closing e-mail of an
//     automatic close, with the survey;
//   - case.slaBreached goes to the support team's SLA alert address only
//     (Handler.SLAAlertEmail), in that address's profile language, never
//     about a test case (test cases never reach the support team). The
//     address is the team's own mailbox, not a reader of one case, so the
//     access rules for case readers do not apply to it.

// clockData is what the clock templates see.
type clockData struct {
	What          string
	CaseID, Title string
	State         string
	Link          string
	CloseTime     string // the reminder: when the case closes ("" = never automatically)
	Days          int    // the automatic close: how long the case waited (0 = unknown)
	ReopenDays    int
	OrgID         string // the breach alert
	Priority      string
	Due           string
	NextResponse  bool
}

// clockTemplate returns the template and data of ev's e-mail when it is one
// of the case clocks' (ok false: the ordinary case e-mail).
func clockTemplate(n *notice, lang, portalURL string) (*mail.Template, clockData, bool) {
	w := words[mail.Lang(lang)]
	c, ev := n.Case, n.Event
	d := clockData{What: label(w.what, ev.Type), CaseID: c.ID, Title: c.DisplayName, State: label(w.states, c.State),
		Link: caseLink(portalURL, c), ReopenDays: casestate.ReopenWindowDays, OrgID: c.OrgID, Priority: c.Priority}
	switch {
	case ev.Type == events.CaseReminded:
		if !c.Clocks.AutoCloseTime.IsZero() {
			d.CloseTime = caseTime(c.Clocks.AutoCloseTime, c.TimeZone)
		}
		return reminderEmail, d, true
	case ev.Type == events.CaseClosed && ev.Reason == events.ReasonAutoClose:
		d.What = autoClosedWhat[mail.Lang(lang)]
		if !c.Clocks.WaitingSince.IsZero() && c.CloseTime.After(c.Clocks.WaitingSince) {
			d.Days = int(c.CloseTime.Sub(c.Clocks.WaitingSince).Round(24*time.Hour) / (24 * time.Hour))
		}
		return autoCloseEmail, d, true
	case ev.Type == events.CaseSLABreached:
		d.Due = ev.DueTime.UTC().Format("2006-01-02 15:04 MST")
		// The next-response clock runs only after support's first answer.
		d.NextResponse = !c.FirstResponseTime.IsZero() && c.FirstResponseTime.Before(ev.DueTime)
		return breachEmail, d, true
	}
	return nil, clockData{}, false
}

// autoClosedWhat ends the subject of the automatic close's e-mail.
var autoClosedWhat = map[string]string{mail.English: "closed automatically", mail.Korean: "자동 종료"}

// caseTime formats t for the case's readers, in its time zone (UTC when it
// has none or an unknown one), as the sweep's system comment does.
func caseTime(t time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// reminderOutdated reports whether a case.reminded event arrives after the
// wait it reminded of has ended (the customer answered, support took the
// case back): then there is nothing to remind of.
func reminderOutdated(n *notice) bool {
	return n.Event.Type == events.CaseReminded && n.Case.Clocks.ReminderTime.IsZero()
}

// alertSupport e-mails a case.slaBreached event to the support team's SLA
// alert address, once (the same dedupe claim as every case e-mail).
func (h *Handler) alertSupport(ctx context.Context, n *notice, log *slog.Logger) error {
	if n.Case.TestCase {
		log.InfoContext(ctx, "notify: no SLA alert about a test case")
		return nil
	}
	addr := store.NormalizeEmail(h.SLAAlertEmail)
	if addr == "" {
		log.WarnContext(ctx, "notify: no SLA alert address configured; breach not e-mailed")
		return nil
	}
	r := recipient{Email: addr, Key: store.ProfileID(addr), Lang: mail.English}
	profiles, err := h.Store.Profiles(ctx, []string{addr})
	if err != nil {
		return err
	}
	if p := profiles[addr]; p != nil {
		r.Name = p.DisplayName
		if p.Language != "" {
			r.Lang = mail.Lang(p.Language)
		}
	}
	return h.deliver(ctx, n, r, log)
}
