package notify

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Limits of what an e-mail quotes; the portal has the rest.
const (
	maxQuotedRunes = 13_000 // a whole comment (Cloud Support allows 12,800 characters)
	maxDescription = 4_000  // the start of a new case's description
)

// notice is an event with what its e-mail needs, read from Firestore: the
// case, and the comment or attachment the event names. Everything in it is
// visible to every reader of the case.
type notice struct {
	Event      events.Event
	Case       *store.Case
	Comment    *store.Comment          // case.commented
	Attachment *store.AttachmentNotice // case.attachmentAdded
}

// emailData is what the caseEmail templates see.
type emailData struct {
	Kind          string // the event type
	What          string // subject ending
	CaseID, Title string
	State         string // the case's state now
	OldState      string
	NewState      string
	BySupport     bool   // the support team made the change
	Author        string // who made it, when the e-mail names them
	Body          string // the comment, or the new case's description
	Truncated     bool
	Escalation    bool
	Reason        string
	Justification string
	Filename      string
	Size          string
	ReopenDays    int
	Link          string
}

// caseLink is the case's page in the portal (the API's resource name under
// PORTAL_URL). It carries ids only: no sign-in tokens.
func caseLink(portalURL string, c *store.Case) string {
	return strings.TrimRight(portalURL, "/") + "/" + wire.CaseName(url.PathEscape(c.OrgID), url.PathEscape(c.ID))
}

// data builds the template data of n in language lang.
func data(n *notice, lang, portalURL string) emailData {
	w := words[mail.Lang(lang)]
	c, ev := n.Case, n.Event
	d := emailData{
		Kind: ev.Type, What: label(w.what, ev.Type),
		CaseID: c.ID, Title: c.DisplayName, State: label(w.states, c.State),
		BySupport: ev.ActorIsSupport, ReopenDays: casestate.ReopenWindowDays, Link: caseLink(portalURL, c),
	}
	switch ev.Type {
	case events.CaseCreated:
		d.Author = person(c.CreatorName, c.CreatorEmail)
		d.Body, d.Truncated = quote(c.Description, maxDescription)
	case events.CaseCommented:
		cm := n.Comment
		d.BySupport = cm.CreatorIsSupport
		d.Author = person(cm.CreatorName, cm.CreatorEmail)
		d.Body, d.Truncated = quote(cm.Body, maxQuotedRunes)
	case events.CaseStateChanged, events.CaseClosed, events.CaseReopened:
		d.OldState, d.NewState = label(w.states, ev.OldState), label(w.states, ev.NewState)
		if ev.Type == events.CaseStateChanged {
			d.What += ": " + d.NewState
		}
	case events.CaseEscalated:
		if e := c.Escalation; e != nil {
			d.Author = person(e.ActorName, e.ActorEmail)
			d.Escalation = true
			d.Reason = label(w.reasons, e.Reason)
			d.Justification, _ = quote(e.Justification, maxQuotedRunes)
		}
	case events.CaseAttachmentAdded:
		a := n.Attachment
		d.BySupport = a.CreatorIsSupport
		d.Author = person(a.CreatorName, a.CreatorEmail)
		d.Filename, d.Size = a.Filename, size(a.SizeBytes)
	}
	if d.Author == "" {
		d.Author = w.support
	}
	return d
}

// message renders n's e-mail for r.
func message(n *notice, r recipient, portalURL string) (mail.Message, error) {
	var out mail.Rendered
	var err error
	if t, d, ok := clockTemplate(n, r.Lang, portalURL); ok {
		out, err = t.Render(r.Lang, d)
	} else {
		out, err = caseEmail.Render(r.Lang, data(n, r.Lang, portalURL))
	}
	if err != nil {
		return mail.Message{}, err
	}
	m := out.Message(mail.Address{Email: r.Email, Name: r.Name})
	m.Categories = []string{"case-notification"}
	return m, nil
}

// person is how an author is named: display name, else address (as the
// API shows them to the case's readers).
func person(name, email string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return email
}

// quote returns s cut to at most n runes, and whether it was cut.
func quote(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	return string([]rune(s)[:n]), true
}

// size formats a byte count for people.
func size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}
