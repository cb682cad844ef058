// Package knownissuefanout is the "knownissue-fanout" event function: it
// e-mails each known-issue update (knownIssue.updated on the Pub/Sub topic
// knownissue-events) to every subscriber who may still see the issue.
//
// Batches. The subscribers are read bucket by bucket (store
// SubscriberBuckets: one read per bucket document, ~N/1000 for N
// subscribers) in position order — bucket number, then subscriber key —
// and cut into batches of up to 1,000 recipients, one SendGrid request
// each with one personalization per recipient: the recipient's own
// subject, List-Unsubscribe header and unsubscribe link. Memory holds one
// bucket and one batch at a time, whatever N.
//
// At most once per recipient and update. Before a batch is sent its claim
// is created (must-not-exist) with the exact range of positions it covers,
// so a redelivered or concurrent event — whatever the subscriber list
// looks like by then — never puts a person in two batches:
//   - SENT or SENDING claims are skipped. SENDING means the process died
//     or the request timed out after the claim: SendGrid may have taken
//     it, so it is not sent again (at most once beats twice).
//   - A 429 or 5xx from SendGrid means nothing was accepted: the claim
//     becomes RETRY and the event is redelivered (Pub/Sub backoff); the
//     redelivery sends that range again and continues after it, never
//     touching batches that went.
//   - Another 4xx is recorded as REJECTED and skipped.
//   - A crash while reading (before the claim) loses nothing: the
//     redelivery reads again.
//
// When every batch is decided the update is marked fanoutDone, so later
// redeliveries stop after one read.
//
// Who gets it. A subscriber is e-mailed only if the organisation-level
// rule still holds (access.SubscriberMayRead: the customer's package is
// eligible, it bought one of the issue's products, a reseller is still its
// granted reseller) — one read per organisation per fan-out — and, for the
// few people whose membership was removed, disabled or changed since the
// issue was published (the audit trail, one query per membership
// organisation), a fresh access.Resolver.ResolveAddress says they still
// see the issue.
//
// Cost of one update to N subscribers in O organisations, C of whose
// people changed membership: reads ≈ 2 (issue, update) + 1 (claims) +
// max(128, N/1000) (buckets) + 2·O (organisations, audit queries) + ~3·C;
// writes 2 per batch (claim, outcome) + 1. SendGrid requests: ⌈N/1000⌉.
package knownissuefanout

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

func init() { functions.CloudEvent("knownissue-fanout", Entry) }

// Entry is the function's entry point; the handler is built on the first event.
var Entry = runtime.Event("knownissue-fanout", Build)

// Config is what the function reads besides runtime.Config (whose
// PortalURL is where issue and unsubscribe links point).
type Config struct {
	Mail        mail.Config
	Unsubscribe unsubscribe.Config
}

// Sender sends e-mail (shared/mail.Sender).
type Sender interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// Handler fans updates out.
type Handler struct {
	Store     *store.Store
	Access    *access.Resolver
	Mail      Sender
	Signer    *unsubscribe.Signer
	Clock     clock.Clock
	Logger    *slog.Logger
	PortalURL string
	// BatchSize is the most recipients per request (0 = mail.MaxRecipients).
	BatchSize int
}

// Build returns the production Handler over the runtime's dependencies.
func Build(_ context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	sender, err := mail.New(cfg.Mail)
	if err != nil {
		return nil, err
	}
	signer, err := unsubscribe.New(cfg.Unsubscribe.Keys)
	if err != nil {
		return nil, err
	}
	return &Handler{Store: d.Store, Access: d.Resolver, Mail: sender, Signer: signer, Clock: d.Clock,
		Logger: d.Logger, PortalURL: d.Config.PortalURL}, nil
}

// Handle processes one pushed event: nil acknowledges it, an error has it
// redelivered.
func (h *Handler) Handle(ctx context.Context, e event.Event) error {
	ev, err := events.DecodeKnownIssuePush(e.Data())
	if err != nil {
		if errors.Is(err, events.ErrInvalid) {
			h.Logger.ErrorContext(ctx, "knownissue-fanout: message refused", "messageId", e.ID(), "error", err.Error())
			return nil
		}
		return err
	}
	return h.Fanout(ctx, ev)
}

// Result counts what one Fanout call did.
type Result struct {
	Requests   int // SendGrid requests accepted
	Recipients int // personalizations in them
	Skipped    int // batches decided by an earlier or concurrent delivery
	Excluded   int // subscribers who lost access
}

// Fanout e-mails update ev.UpdateID of issue ev.KnownIssueID to its
// subscribers (see the package comment).
func (h *Handler) Fanout(ctx context.Context, ev events.KnownIssueEvent) error {
	_, err := h.Run(ctx, ev)
	return err
}

// Run is Fanout with its counts.
func (h *Handler) Run(ctx context.Context, ev events.KnownIssueEvent) (Result, error) {
	var res Result
	ki, u, err := h.Store.KnownIssueAndUpdate(ctx, ev.KnownIssueID, ev.UpdateID)
	if err != nil {
		return res, err
	}
	if ki == nil || u == nil {
		h.Logger.ErrorContext(ctx, "knownissue-fanout: no such issue or update; acknowledged", "eventId", ev.ID,
			"knownIssueId", ev.KnownIssueID, "updateId", ev.UpdateID)
		return res, nil
	}
	if u.FanoutDone {
		return res, nil
	}
	claims, err := h.Store.FanoutBatches(ctx, ki.ID, u.ID)
	if err != nil {
		return res, err
	}
	size := h.BatchSize
	if size <= 0 || size > mail.MaxRecipients {
		size = mail.MaxRecipients
	}
	msg := newContent(ki, u, h.PortalURL)
	rd := newReader(h, ki)
	cursor := ""
	for k := 0; cursor != store.PositionEnd; k++ {
		var claim *store.FanoutBatch
		var recipients []*store.Subscriber
		if k < len(claims) {
			claim = claims[k]
			if claim.State != store.BatchRetry {
				res.Skipped++
				cursor = claim.To
				continue
			}
			ok, err := h.Store.RetakeFanoutBatch(ctx, ki.ID, u.ID, k, h.Clock.Now())
			if err != nil {
				return res, err
			}
			if !ok { // a concurrent delivery took it
				res.Skipped++
				cursor = claim.To
				continue
			}
			if recipients, _, err = rd.collect(ctx, claim.From, claim.To, size); err != nil {
				_ = h.Store.SetFanoutBatchState(ctx, ki.ID, u.ID, k, store.BatchRetry, 0, 0, h.Clock.Now())
				return res, err
			}
		} else {
			var to string
			if recipients, to, err = rd.collect(ctx, cursor, store.PositionEnd, size); err != nil {
				return res, err
			}
			if len(recipients) == 0 {
				break // nobody (left) to tell
			}
			claim = &store.FanoutBatch{K: k, From: cursor, To: to, Recipients: len(recipients), UpdateTime: h.Clock.Now()}
			if err := h.Store.ClaimFanoutBatch(ctx, ki.ID, u.ID, claim); err != nil {
				if !store.IsAlreadyExists(err) {
					return res, err
				}
				// A concurrent delivery claimed batch k first: follow its range.
				theirs, err := h.Store.FanoutBatch(ctx, ki.ID, u.ID, k)
				if err != nil {
					return res, err
				}
				res.Skipped++
				cursor = theirs.To
				continue
			}
		}
		cursor = claim.To
		if len(recipients) == 0 {
			if err := h.Store.SetFanoutBatchState(ctx, ki.ID, u.ID, k, store.BatchSent, 0, 0, h.Clock.Now()); err != nil {
				return res, err
			}
			continue
		}
		if err := h.send(ctx, ki, u, k, msg, recipients); err != nil {
			return res, err
		}
		res.Requests++
		res.Recipients += len(recipients)
	}
	res.Excluded = rd.excluded
	if err := h.Store.FinishKnownIssueFanout(ctx, ki.ID, u.ID); err != nil {
		return res, err
	}
	h.Logger.InfoContext(ctx, "knownissue-fanout: update sent", "knownIssueId", ki.ID, "updateId", u.ID,
		"requests", res.Requests, "recipients", res.Recipients, "skippedBatches", res.Skipped, "excluded", res.Excluded)
	return res, nil
}

// send sends batch k and records its outcome. A retryable refusal (429,
// 5xx: SendGrid took nothing) marks it RETRY and returns the error, so the
// event is redelivered; a send whose outcome is unknown (timeout, broken
// connection) stays SENDING and is never repeated; a permanent refusal is
// recorded and the fan-out goes on.
func (h *Handler) send(ctx context.Context, ki *store.KnownIssue, u *store.KnownIssueUpdate, k int, c *content, recipients []*store.Subscriber) error {
	m := c.message(recipients, h.Signer, h.PortalURL)
	_, err := h.Mail.Send(ctx, m)
	now := h.Clock.Now()
	if err == nil {
		return h.Store.SetFanoutBatchState(ctx, ki.ID, u.ID, k, store.BatchSent, len(recipients), 0, now)
	}
	var me *mail.Error
	status := 0
	if errors.As(err, &me) {
		status = me.StatusCode
	}
	switch {
	case status != 0 && apierror.Retryable(err):
		if serr := h.Store.SetFanoutBatchState(ctx, ki.ID, u.ID, k, store.BatchRetry, len(recipients), status, now); serr != nil {
			return errors.Join(err, serr)
		}
		h.Logger.WarnContext(ctx, "knownissue-fanout: SendGrid refused a batch for now; redelivery retries it",
			"knownIssueId", ki.ID, "updateId", u.ID, "batch", k, "status", status)
		return err
	case status == 0 && (apierror.Retryable(err) || ctx.Err() != nil):
		// No answer: SendGrid may have accepted it. The claim stays
		// SENDING, so it is never sent twice.
		h.Logger.ErrorContext(ctx, "knownissue-fanout: batch outcome unknown; not sent again",
			"knownIssueId", ki.ID, "updateId", u.ID, "batch", k, "recipients", len(recipients), "error", err.Error())
		return ctx.Err() // nil unless the delivery itself is over
	default:
		h.Logger.ErrorContext(ctx, "knownissue-fanout: SendGrid rejected a batch",
			"knownIssueId", ki.ID, "updateId", u.ID, "batch", k, "status", status, "error", err.Error())
		return h.Store.SetFanoutBatchState(ctx, ki.ID, u.ID, k, store.BatchRejected, len(recipients), status, now)
	}
}

// sinceSlack widens the audit window a little before the issue's creation
// (clock skew between instances).
const sinceSlack = time.Minute
