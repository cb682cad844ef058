package notify

import (
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// recipient is one person to e-mail about an event.
type recipient struct {
	Email string // normalised address
	Key   string // store.ProfileID(Email): logs and records name people by it
	Name  string // display name, may be ""
	Lang  string // mail.English or mail.Korean
}

// Why an address is not e-mailed (logged with the recipient key).
const (
	skipActor    = "caused the change"
	skipNoAccess = "may not read the case"
	skipOptedOut = "notification preference NONE"
	skipTestCase = "support staff are not told about test cases"
)

// candidates returns the addresses a case notifies: the creator's sign-in
// address first, then the subscriber addresses; normalised, without blanks
// or duplicates.
func candidates(c *store.Case) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range append([]string{c.CreatorEmail}, c.SubscriberEmailAddresses...) {
		a = store.NormalizeEmail(a)
		if a == "" || !strings.Contains(a, "@") || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// isActor reports whether addr belongs to the person who caused ev: the
// event's ActorKey names them; for events without one, the case's creator
// when the creator's uid is the actor's, or the actor's address
// (actorEmail, "" when unknown). System events have no actor.
func isActor(addr string, ev events.Event, c *store.Case, actorEmail string) bool {
	if ev.ActorKey != "" {
		return store.ProfileID(addr) == ev.ActorKey
	}
	if ev.ActorUID == "" {
		return false
	}
	if addr == store.NormalizeEmail(c.CreatorEmail) && c.CreatorUID == ev.ActorUID {
		return true
	}
	return actorEmail != "" && addr == store.NormalizeEmail(actorEmail)
}

// coveredByComment reports whether ev is a state change (or reopening) a
// comment caused. The comment's own case.commented event e-mails the same
// people and shows the case's state, so one comment is one e-mail.
func coveredByComment(ev events.Event) bool {
	return (ev.Type == events.CaseStateChanged || ev.Type == events.CaseReopened) && ev.CommentID != ""
}

// decide applies the rules that follow the access check, for addr resolved
// as actor a (who may read the case) with profile p (nil: none): support
// staff are not told about test cases, and a NONE preference means no
// e-mail. Otherwise it returns the recipient, in the profile's language,
// else the acting membership's, else English.
func decide(addr string, c *store.Case, a *access.Actor, p *store.Profile) (recipient, string) {
	if c.TestCase && a.IsSupport() {
		return recipient{}, skipTestCase
	}
	if p.Notify() == store.NotifyNone {
		return recipient{}, skipOptedOut
	}
	r := recipient{Email: addr, Key: store.ProfileID(addr), Lang: mail.English}
	if a.Membership != nil {
		r.Name = a.Membership.DisplayName
		if a.Membership.Language != "" {
			r.Lang = mail.Lang(a.Membership.Language)
		}
	}
	if p != nil {
		if p.DisplayName != "" {
			r.Name = p.DisplayName
		}
		if p.Language != "" {
			r.Lang = mail.Lang(p.Language)
		}
	}
	return r, ""
}
