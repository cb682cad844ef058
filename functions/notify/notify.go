// Package notify is the "notify" event function: it e-mails people about
// changes to their support cases (case events, Pub/Sub topic case-events,
// pushed as CloudEvents).
//
// Who is told. The candidates are the case creator's sign-in address (the
// one the case was filed with) and the case's subscriber addresses. Of
// those, an address is e-mailed only if
//   - it is not the person who caused the change (the actor's uid matches
//     the creator's, or the actor's address — from the comment, attachment
//     or escalation, else from Firebase Auth — matches it);
//   - package access, resolving the address as it would a signed-in person,
//     lets it read the case now (access.Resolver.Resolve, then CheckCase
//     with CaseRead). So a reseller whose customer revoked its access, a
//     removed or disabled member, a pending member, and an address that is
//     no member of anything get nothing: no subscriber outside the case's
//     readers ever receives case content;
//   - the person's profile does not say NONE (store.Profile.Notify);
//   - for a test case, it is not support staff (test cases never reach the
//     support team; the customer side is told as usual).
//
// Support comments and state changes are e-mailed to the customer side
// like every other change. A state change or reopening that a comment
// caused is not e-mailed separately: the comment's e-mail (which shows the
// case's state) is the one e-mail for it. Support staff are e-mailed only
// when they subscribe to a case; there is no queue e-mail.
//
// What is sent. One e-mail per recipient, in the recipient's language
// (profile, else membership, else English; Korean or English), with the
// case number and title in the subject, text and HTML parts (user content
// escaped by html/template), a link to the case in the portal (PORTAL_URL)
// and only what every reader of the case sees anyway: the comment, the
// escalation reason and justification, the attachment's name and size. No
// sign-in links or tokens. Bodies are never stored or logged: case history
// stays the comments; logs and failure records carry ids only (recipients
// appear as store.ProfileID keys).
//
// Exactly once. Each e-mail is guarded by a dedupe record keyed by event id
// and recipient (dedupe.Claim: a must-not-exist create, expiring by TTL).
// A retryable SendGrid failure (429, 5xx, timeout) releases the claim and
// returns an error, so Pub/Sub redelivers with backoff and the retry sends
// what is left; after the subscription's max delivery attempts the message
// goes to the dead-letter topic. A permanent refusal (another 4xx) is
// recorded in notificationFailures (ids and status only) and acknowledged.
// Messages that can never be processed are recorded and acknowledged too.
package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("notify", Entry) }

// Entry is the function's entry point; the handler is built on the first event.
var Entry = runtime.Event("notify", Build)

// Config is what the function reads from its environment besides
// runtime.Config (whose PortalURL is where case links in e-mails point).
type Config struct {
	Mail mail.Config
	// SLAAlertEmail is where SLA breach alerts go: the support team's
	// address; "" means MAIL_FROM (the support team's sender address).
	SLAAlertEmail string `env:"SLA_ALERT_EMAIL"`
}

// Sender sends e-mail (shared/mail.Sender).
type Sender interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// Handler e-mails case events.
type Handler struct {
	Store     *store.Store
	Access    *access.Resolver
	Mail      Sender
	Dedupe    *dedupe.Deduper
	Clock     clock.Clock
	Logger    *slog.Logger
	PortalURL string
	// SLAAlertEmail receives case.slaBreached alerts (clocks.go).
	SLAAlertEmail string
}

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	sender, err := mail.New(cfg.Mail)
	if err != nil {
		return nil, err
	}
	return &Handler{
		Store:     d.Store,
		Access:    d.Resolver,
		Mail:      sender,
		Dedupe:    &dedupe.Deduper{Store: d.Store, Clock: d.Clock},
		Clock:     d.Clock,
		Logger:    d.Logger,
		PortalURL: d.Config.PortalURL,

		SLAAlertEmail: cmp.Or(cfg.SLAAlertEmail, cfg.Mail.From),
	}, nil
}

// scopeEmail is the dedupe scope of one case e-mail (event id + recipient).
const scopeEmail = "case-email"

// failureTTL is how long notificationFailures records are kept.
const failureTTL = 30 * 24 * time.Hour

// Handle processes one pushed case event. It returns nil when the message
// should be acknowledged, an error when it should be redelivered.
func (h *Handler) Handle(ctx context.Context, e event.Event) error {
	ev, push, err := events.DecodePush(e.Data())
	if err != nil {
		msgID := e.ID()
		if push != nil && push.Message.MessageID != "" {
			msgID = push.Message.MessageID
		}
		h.Logger.WarnContext(ctx, "notify: dropping an event that can never be processed", "messageId", msgID, "error", err.Error())
		return h.record(ctx, invalidID(msgID), store.NotificationFailure{Kind: store.NotifyInvalidEvent,
			MessageID: msgID, Reason: err.Error()})
	}
	log := h.Logger.With("eventId", ev.ID, "type", ev.Type, "caseId", ev.CaseID)
	if coveredByComment(ev) {
		log.DebugContext(ctx, "notify: state change told by its comment's e-mail", "commentId", ev.CommentID)
		return nil
	}
	n, err := h.load(ctx, ev, log)
	if err != nil || n == nil {
		return err
	}
	if ev.Type == events.CaseSLABreached {
		return h.alertSupport(ctx, n, log)
	}
	if reminderOutdated(n) {
		log.InfoContext(ctx, "notify: the wait the reminder was about has ended; nothing to tell")
		return nil
	}
	rs, err := h.recipients(ctx, n, log)
	if err != nil {
		log.WarnContext(ctx, "notify: will retry", "error", err.Error())
		return err
	}
	for _, r := range rs {
		if err := h.deliver(ctx, n, r, log); err != nil {
			// Stop here: a rate-limited or failing SendGrid is not helped
			// by more requests. The redelivery sends what is left.
			log.WarnContext(ctx, "notify: will retry", "recipient", r.Key, "error", err.Error())
			return err
		}
	}
	return nil
}

// load reads what ev's e-mail needs. It returns nil (and no error) when
// there is nothing to tell: the case, comment or attachment is gone, or the
// event does not match them.
func (h *Handler) load(ctx context.Context, ev events.Event, log *slog.Logger) (*notice, error) {
	c, err := h.Store.Case(ctx, ev.CaseID)
	if store.IsNotFound(err) {
		log.InfoContext(ctx, "notify: case not found; nothing to tell")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.OrgID != ev.OrgID {
		log.WarnContext(ctx, "notify: event names another organisation than its case; dropped", "orgId", ev.OrgID)
		return nil, h.record(ctx, invalidID(ev.ID), store.NotificationFailure{Kind: store.NotifyInvalidEvent,
			EventID: ev.ID, EventType: ev.Type, OrgID: ev.OrgID, CaseID: ev.CaseID, Reason: "organisation does not match the case"})
	}
	n := &notice{Event: ev, Case: c}
	switch ev.Type {
	case events.CaseCommented:
		n.Comment, err = h.Store.Comment(ctx, c.ID, ev.CommentID)
	case events.CaseAttachmentAdded:
		n.Attachment, err = h.Store.AttachmentNotice(ctx, c.ID, ev.AttachmentID)
		if err == nil && n.Attachment.State != "READY" {
			log.InfoContext(ctx, "notify: attachment is not ready; nothing to tell", "attachmentId", ev.AttachmentID)
			return nil, nil
		}
	}
	if store.IsNotFound(err) {
		log.InfoContext(ctx, "notify: comment or attachment not found; nothing to tell",
			"commentId", ev.CommentID, "attachmentId", ev.AttachmentID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// recipients applies the rules of the package comment to the case's
// candidates. Reads: every candidate's profile (one batched get) and access (one batched get each, plus one for
// a reseller).
func (h *Handler) recipients(ctx context.Context, n *notice, log *slog.Logger) ([]recipient, error) {
	c := n.Case
	addrs := candidates(c)
	actorEmail := actorEmail(n)
	profiles, err := h.Store.Profiles(ctx, addrs)
	if err != nil {
		return nil, err
	}
	var out []recipient
	for _, addr := range addrs {
		key := store.ProfileID(addr)
		if isActor(addr, n.Event, c, actorEmail) {
			log.DebugContext(ctx, "notify: not e-mailed", "recipient", key, "reason", skipActor)
			continue
		}
		a, err := h.reader(ctx, addr, c)
		if err != nil {
			return nil, err
		}
		if a == nil {
			log.InfoContext(ctx, "notify: not e-mailed", "recipient", key, "reason", skipNoAccess)
			continue
		}
		r, skip := decide(addr, c, a, profiles[addr])
		if skip != "" {
			log.DebugContext(ctx, "notify: not e-mailed", "recipient", key, "reason", skip)
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// reader resolves addr with package access as a signed-in person with that
// verified address would be, and returns the actor if it may read c now;
// nil if not. Only a failure to decide (Firestore unavailable) is an error.
func (h *Handler) reader(ctx context.Context, addr string, c *store.Case) (*access.Actor, error) {
	a, err := h.Access.ResolveAddress(ctx, addr, c.OrgID)
	if err == nil {
		err = a.CheckCase(access.CaseRead, access.RefOf(c))
	}
	if err == nil {
		return a, nil
	}
	if apierror.Retryable(err) {
		return nil, err
	}
	return nil, nil
}

// actorEmail is the address of whoever caused an event that carries no
// ActorKey (events written before it existed), from the documents the event
// names; "" when they do not name the actor.
func actorEmail(n *notice) string {
	uid, c := n.Event.ActorUID, n.Case
	switch {
	case uid == "":
		return ""
	case n.Comment != nil && n.Comment.CreatorUID == uid:
		return n.Comment.CreatorEmail
	case n.Attachment != nil && n.Attachment.CreatorUID == uid:
		return n.Attachment.CreatorEmail
	case c.CreatorUID == uid:
		return c.CreatorEmail
	case c.Escalation != nil && c.Escalation.ActorUID == uid:
		return c.Escalation.ActorEmail
	}
	return ""
}

// deliver sends n's e-mail to r once. It returns an error only when the
// event should be redelivered.
func (h *Handler) deliver(ctx context.Context, n *notice, r recipient, log *slog.Logger) error {
	ev := n.Event
	key := dedupe.Key{Scope: scopeEmail, ID: ev.ID, Recipient: r.Email}
	claim, err := h.Dedupe.Claim(ctx, key)
	switch {
	case errors.Is(err, dedupe.ErrDone):
		log.DebugContext(ctx, "notify: already sent", "recipient", r.Key)
		return nil
	case errors.Is(err, dedupe.ErrBusy):
		return fmt.Errorf("notify: another delivery is sending event %s to %s", ev.ID, r.Key)
	case err != nil:
		return err
	}
	msg, err := message(n, r, h.PortalURL)
	var status int
	if err == nil {
		_, err = h.Mail.Send(ctx, msg)
		var me *mail.Error
		if errors.As(err, &me) {
			status = me.StatusCode
		}
		if apierror.Retryable(err) {
			if rerr := claim.Release(ctx); rerr != nil {
				log.WarnContext(ctx, "notify: release claim", "recipient", r.Key, "error", rerr.Error())
			}
			return err
		}
	}
	if err != nil {
		// Refused for good (or unrenderable): record it, and never retry.
		log.WarnContext(ctx, "notify: e-mail refused; recorded", "recipient", r.Key, "status", status, "error", err.Error())
		rec := store.NotificationFailure{Kind: store.NotifySendRefused, EventID: ev.ID, EventType: ev.Type,
			OrgID: ev.OrgID, CaseID: ev.CaseID, RecipientKey: r.Key, Status: status,
			Reason: fmt.Sprintf("SendGrid refused the e-mail (status %d)", status)}
		if status == 0 {
			rec.Reason = "the e-mail could not be rendered"
		}
		if err := h.record(ctx, key.DocID(), rec); err != nil {
			if rerr := claim.Release(ctx); rerr != nil {
				log.WarnContext(ctx, "notify: release claim", "recipient", r.Key, "error", rerr.Error())
			}
			return err
		}
	} else {
		log.InfoContext(ctx, "notify: e-mail sent", "recipient", r.Key, "lang", r.Lang)
	}
	if err := claim.Done(ctx); err != nil {
		// Sent (or recorded); a redelivery before the lease runs out is
		// told ErrBusy, after it would send again. Rare; logged.
		log.WarnContext(ctx, "notify: mark sent", "recipient", r.Key, "error", err.Error())
	}
	return nil
}

// invalidID is the failure record id of an unprocessable message (a hash:
// message ids are not ours to trust as document ids).
func invalidID(id string) string { return dedupe.Key{Scope: "invalid-event", ID: id}.DocID() }

// record writes a failure record (timed now, expiring after failureTTL).
func (h *Handler) record(ctx context.Context, id string, f store.NotificationFailure) error {
	now := h.Clock.Now()
	f.Time, f.ExpireTime = now, now.Add(failureTTL)
	return h.Store.RecordNotificationFailure(ctx, id, f)
}
