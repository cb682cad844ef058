package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/supportcenter/supportcenter/shared/events"
)

// outboxCollection holds the transactional outbox: every event is written
// here in the same commit as the change that causes it, keyed by event id,
// and deleted once Pub/Sub has accepted it.
//
//	outbox/{eventId}  outboxDoc
//
// The relay (package outbox) re-publishes what stays behind. Its query
// (heldSince <= t, ordered by heldSince) is served by the automatic
// single-field index.
const outboxCollection = "outbox"

// outboxDoc is one stored message.
type outboxDoc struct {
	Topic      string            `firestore:"topic"`
	Type       string            `firestore:"type"`
	Data       []byte            `firestore:"data"`
	Attributes map[string]string `firestore:"attributes"`
	OrgID      string            `firestore:"orgId"` // the "orgId" attribute, so a relay run can be scoped (tests)
	// HeldSince is when the message was written, or last claimed by a
	// relay run; the relay takes messages held for at least its minimum age.
	HeldSince time.Time `firestore:"heldSince"`
}

func (s *Store) outboxRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(outboxCollection).Doc(id)
}

func newOutboxDoc(m events.Message, now time.Time) (*outboxDoc, error) {
	if m.ID == "" || m.Topic == "" || len(m.Data) == 0 {
		return nil, fmt.Errorf("outbox: message %q without id, topic or data", m.ID)
	}
	return &outboxDoc{Topic: m.Topic, Type: m.Type, Data: m.Data, Attributes: m.Attributes, OrgID: m.Attributes["orgId"], HeldSince: now}, nil
}

// putOutbox writes msgs to the outbox with set (txSet or batchSet): one
// write each, in the commit of the change. A message already there (a
// re-driven event keeps its id) is overwritten. HeldSince is the wall
// clock: the relay's age threshold is measured in real time.
func (s *Store) putOutbox(set func(*firestore.DocumentRef, any) error, msgs []events.Message) error {
	now := time.Now()
	for _, m := range msgs {
		d, err := newOutboxDoc(m, now)
		if err != nil {
			return err
		}
		if err := set(s.outboxRef(m.ID), d); err != nil {
			return err
		}
	}
	return nil
}

func txSet(tx *firestore.Transaction) func(*firestore.DocumentRef, any) error {
	return func(ref *firestore.DocumentRef, v any) error { return tx.Set(ref, v) }
}

// batchSet adds sets to b; their errors surface at b.Commit.
func batchSet(b *firestore.WriteBatch) func(*firestore.DocumentRef, any) error { //nolint:staticcheck // see CreateCase
	return func(ref *firestore.DocumentRef, v any) error { b.Set(ref, v); return nil }
}

// DeleteOutbox removes published messages: one commit, one write per
// message. A message already gone (deleted by a relay) is no error.
func (s *Store) DeleteOutbox(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	b := s.fs.Batch() //nolint:staticcheck // one atomic commit without a transaction round trip; nothing else does that
	for _, id := range ids {
		b.Delete(s.outboxRef(id))
	}
	if _, err := b.Commit(ctx); err != nil {
		return fmt.Errorf("delete outbox messages: %w", err)
	}
	return nil
}

// OutboxEntry is a message waiting in the outbox.
type OutboxEntry struct {
	events.Message
	HeldSince time.Time
	version   time.Time // the document's update time, for ClaimOutbox
}

// HeldOutbox lists up to limit messages held since heldBefore or earlier,
// oldest first; orgID "" means every organisation (otherwise only that
// one's: tests and manual runs; that shape has no production index).
// Reads: one per message (one if none).
func (s *Store) HeldOutbox(ctx context.Context, orgID string, heldBefore time.Time, limit int) ([]*OutboxEntry, error) {
	q := s.fs.Collection(outboxCollection).Query
	if orgID != "" {
		q = q.Where("orgId", "==", orgID)
	}
	q = q.Where("heldSince", "<=", heldBefore).OrderBy("heldSince", firestore.Asc).Limit(limit)
	return collect(q.Documents(ctx), "list outbox", func(snap *firestore.DocumentSnapshot) (*OutboxEntry, error) {
		d, err := decode[outboxDoc](snap, "outbox message")
		if err != nil {
			return nil, err
		}
		return &OutboxEntry{Message: events.Message{ID: snap.Ref.ID, Topic: d.Topic, Type: d.Type, Data: d.Data, Attributes: d.Attributes},
			HeldSince: d.HeldSince, version: snap.UpdateTime}, nil
	})
}

// ErrConflict is returned by a conditional write when the document changed
// (or went) since it was read: someone else got there first (a gRPC
// status: ABORTED, worth retrying).
var ErrConflict = status.Error(codes.Aborted, "changed since read")

// ClaimOutbox marks e as taken by this relay run (heldSince = now) unless
// it changed since HeldOutbox listed it (ErrConflict: claimed by another
// run, or cleared): so of two concurrent
// runs only one publishes it, and a run that dies leaves it for a later
// one. One write (a precondition failure costs none).
func (s *Store) ClaimOutbox(ctx context.Context, e *OutboxEntry, now time.Time) error {
	_, err := s.outboxRef(e.ID).Update(ctx, []firestore.Update{{Path: "heldSince", Value: now}}, firestore.LastUpdateTime(e.version))
	if isConflict(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("claim outbox message %s: %w", e.ID, err)
	}
	return nil
}

// isConflict reports whether err is a failed update-time precondition or a
// missing document: what a conditional write meets when it lost a race.
func isConflict(err error) bool {
	return IsNotFound(err) || status.Code(err) == codes.FailedPrecondition
}
