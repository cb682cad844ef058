// Package outbox publishes the events of committed changes and relays the
// ones left behind: the transactional outbox.
//
// A change and its events commit together: the store writes each event,
// keyed by its id, into the outbox collection in the same Firestore
// commit (store methods that cause events take or build them and
// return them). Right after the commit the caller hands those messages to
// Send, which publishes them at once (no batching delay) with a bounded
// timeout and deletes them from the outbox. Anything Send could not
// publish — Pub/Sub down, a timeout, the instance gone between commit and
// publish — stays in the outbox, and Relay (run by the relay-events
// scheduled function) publishes it again with its original id, so
// consumers' dedupe by event id keeps the effect exactly-once.
//
// Cost per event: +1 write in the change's commit and +1 write (the
// delete) after the publish. A left-over event costs the relay 1 read, 1
// write (its claim) and 1 delete. Worst-case delay of a left-over event:
// MinAge plus the relay's schedule period (with the defaults, 30 s + 1 min).
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Timeout bounds how long Send waits for Pub/Sub and the delete; the
// request that caused the events waits at most this long.
const Timeout = 10 * time.Second

// MinAge is how long a message must have been held before the relay takes
// it: longer than Timeout, so the relay does not race a request that is
// still publishing (if it does, consumers dedupe the second copy).
const MinAge = 30 * time.Second

// Outbox sends committed events.
type Outbox struct {
	store  *store.Store
	pub    events.Publisher
	logger *slog.Logger
}

// New returns an Outbox publishing with pub and clearing through st.
func New(st *store.Store, pub events.Publisher, logger *slog.Logger) *Outbox {
	return &Outbox{store: st, pub: pub, logger: logger}
}

// Send publishes msgs, which a store method has just committed to the
// outbox, and deletes them from it. It never fails the caller: the change
// is committed, and what was not published stays for the relay (a failure
// is logged). It is not cancelled with ctx (a client that hangs up does
// not hold the events back) but bounded by Timeout.
func (o *Outbox) Send(ctx context.Context, msgs ...events.Message) {
	if len(msgs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), Timeout)
	defer cancel()
	if err := o.pub.Publish(ctx, msgs...); err != nil {
		for _, m := range msgs {
			o.logger.WarnContext(ctx, "event not published; the relay will send it", "eventId", m.ID, "type", m.Type, "error", err.Error())
		}
		return
	}
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	if err := o.store.DeleteOutbox(ctx, ids...); err != nil {
		// Published but still held: the relay sends it once more and
		// consumers drop the duplicate.
		o.logger.WarnContext(ctx, "published events not cleared from the outbox", "eventIds", ids, "error", err.Error())
	}
}

// RelayResult counts what one relay run did.
type RelayResult struct {
	Published int // re-published and cleared
	Skipped   int // claimed by a concurrent run, or cleared meanwhile
	Failed    int // still held; a later run retries
}

// Relay re-publishes messages held for at least minAge at now, with their
// original ids, oldest first, in pages of page, until none is left or ctx
// ends. Each message is first claimed (so a concurrent run skips it; a
// claimed message becomes due again minAge later if this run dies), then
// published, then deleted. orgID "" relays every organisation's messages
// (otherwise only that one's: tests). Messages that fail stay held and do
// not stop the run.
func (o *Outbox) Relay(ctx context.Context, now time.Time, minAge time.Duration, orgID string, page int) (RelayResult, error) {
	var res RelayResult
	var errs []error
	seen := map[string]bool{} // handled in this run (with minAge 0 a claimed message is listed again)
	for {
		held, err := o.store.HeldOutbox(ctx, orgID, now.Add(-minAge), page)
		if err != nil {
			return res, errors.Join(append(errs, err)...)
		}
		progress := false
		for _, e := range held {
			if seen[e.ID] {
				continue
			}
			seen[e.ID], progress = true, true
			switch err := o.relayOne(ctx, e, now); {
			case errors.Is(err, store.ErrConflict):
				res.Skipped++
			case err != nil:
				res.Failed++
				errs = append(errs, err)
			default:
				res.Published++
			}
		}
		if !progress || len(held) < page {
			return res, errors.Join(errs...)
		}
	}
}

func (o *Outbox) relayOne(ctx context.Context, e *store.OutboxEntry, now time.Time) error {
	if err := o.store.ClaimOutbox(ctx, e, now); err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := o.pub.Publish(pctx, e.Message); err != nil {
		return fmt.Errorf("relay %s %s: %w", e.Type, e.ID, err)
	}
	if err := o.store.DeleteOutbox(pctx, e.ID); err != nil {
		return fmt.Errorf("clear relayed %s: %w", e.ID, err)
	}
	return nil
}
