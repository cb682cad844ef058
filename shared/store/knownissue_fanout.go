package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"cloud.google.com/go/firestore"
)

// The fan-out of one update is a sequence of batches, each a claim
// document recording the range of subscriber positions it covers:
//
//	knownIssues/{id}/updates/{updateId}/batches/{k}   FanoutBatch (k = 000000, 000001, …)
//
// A position is "bbb/key" (bucket number, zero-padded, then subscriber
// key), so positions order as the fan-out reads them; batch k covers
// (From, To]. Ranges are fixed when the claim is created, so however the
// subscriber list changes afterwards, no person falls into two batches.
const fanoutBatchesCollection = "batches"

// Fan-out batch states.
const (
	// BatchSending: the claim is taken and the SendGrid request may have
	// been accepted. A redelivery that finds it skips the batch (at most
	// once: nobody can tell whether SendGrid took it).
	BatchSending = "SENDING"
	// BatchSent: SendGrid accepted the request.
	BatchSent = "SENT"
	// BatchRetry: SendGrid refused with a retryable status (429, 5xx), so
	// nothing went out; a redelivery sends the range again.
	BatchRetry = "RETRY"
	// BatchRejected: SendGrid refused it permanently (another 4xx); recorded
	// and skipped.
	BatchRejected = "REJECTED"
)

// PositionEnd is the position after every subscriber.
const PositionEnd = "~"

// SubscriberPosition is the position of subscriber key of bucket.
func SubscriberPosition(bucket int, key string) string { return fmt.Sprintf("%03d/%s", bucket, key) }

// FanoutBatch is one claimed batch of an update's fan-out.
type FanoutBatch struct {
	K          int       `firestore:"k"`
	From       string    `firestore:"from"` // exclusive ("" = the start)
	To         string    `firestore:"to"`   // inclusive
	State      string    `firestore:"state"`
	Recipients int       `firestore:"recipients"`
	Attempts   int       `firestore:"attempts"`
	Status     int       `firestore:"status,omitempty"` // SendGrid's HTTP status of the last failure
	UpdateTime time.Time `firestore:"updateTime"`
}

func (s *Store) fanoutBatchRef(issueID, updateID string, k int) *firestore.DocumentRef {
	return s.knownIssueUpdateRef(issueID, updateID).Collection(fanoutBatchesCollection).Doc(fmt.Sprintf("%06d", k))
}

// FanoutBatches lists an update's batches in order. Reads: one per batch
// (one if none).
func (s *Store) FanoutBatches(ctx context.Context, issueID, updateID string) ([]*FanoutBatch, error) {
	q := s.knownIssueUpdateRef(issueID, updateID).Collection(fanoutBatchesCollection).OrderBy(firestore.DocumentID, firestore.Asc)
	return collect(q.Documents(ctx), "list fan-out batches", func(snap *firestore.DocumentSnapshot) (*FanoutBatch, error) {
		return decode[FanoutBatch](snap, "fan-out batch")
	})
}

// FanoutBatch reads batch k (ErrNotFound). Reads: 1.
func (s *Store) FanoutBatch(ctx context.Context, issueID, updateID string, k int) (*FanoutBatch, error) {
	snap, err := s.fanoutBatchRef(issueID, updateID, k).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "fan-out batch", strconv.Itoa(k))
	}
	return decode[FanoutBatch](snap, "fan-out batch")
}

// ClaimFanoutBatch creates batch b in state SENDING with a must-not-exist
// precondition: of two concurrent deliveries one gets ErrAlreadyExists
// (IsAlreadyExists). Writes: 1.
func (s *Store) ClaimFanoutBatch(ctx context.Context, issueID, updateID string, b *FanoutBatch) error {
	b.State, b.Attempts = BatchSending, 1
	_, err := s.fanoutBatchRef(issueID, updateID, b.K).Create(ctx, b)
	return err
}

// RetakeFanoutBatch moves batch k from RETRY back to SENDING for another
// attempt; it reports false (and writes nothing) when the batch is in any
// other state, e.g. taken by a concurrent delivery. Reads: 1. Writes: 1.
func (s *Store) RetakeFanoutBatch(ctx context.Context, issueID, updateID string, k int, now time.Time) (bool, error) {
	ref := s.fanoutBatchRef(issueID, updateID, k)
	ok := false
	err := s.fs.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
		ok = false
		snap, err := tx.Get(ref)
		if err != nil {
			return err
		}
		b, err := decode[FanoutBatch](snap, "fan-out batch")
		if err != nil || b.State != BatchRetry {
			return err
		}
		ok = true
		return tx.Update(ref, []firestore.Update{{Path: "state", Value: BatchSending},
			{Path: "attempts", Value: firestore.Increment(1)}, {Path: "updateTime", Value: now}})
	})
	return ok, err
}

// SetFanoutBatchState records the outcome of batch k's send (status:
// SendGrid's HTTP status of a failure, else 0). Writes: 1.
func (s *Store) SetFanoutBatchState(ctx context.Context, issueID, updateID string, k int, state string, recipients, status int, now time.Time) error {
	_, err := s.fanoutBatchRef(issueID, updateID, k).Update(ctx, []firestore.Update{
		{Path: "state", Value: state}, {Path: "recipients", Value: recipients},
		{Path: "status", Value: status}, {Path: "updateTime", Value: now}})
	return err
}

// Audit actions that can take a person's access away.
var accessLossActions = []string{AuditUserRemove, AuditUserDisable, AuditUserRoles}

// AccessChangesSince returns the addresses of orgID's members whose
// membership was removed, disabled or had its roles changed at or after
// since (from the audit trail, which every such change writes in its
// transaction). The fan-out re-checks only these people one by one.
// full reports that limit entries came back (there may be more).
// Reads: one per audit entry returned (one if none), at most limit.
func (s *Store) AccessChangesSince(ctx context.Context, orgID string, since time.Time, limit int) (changed map[string]bool, full bool, err error) {
	q := s.fs.Collection(AuditCollection).Where("orgId", "==", orgID).Where("action", "in", accessLossActions).
		Where("time", ">=", since).Limit(limit)
	entries, err := collect(q.Documents(ctx), "list access changes", func(snap *firestore.DocumentSnapshot) (*AuditEntry, error) {
		return decode[AuditEntry](snap, "audit entry")
	})
	if err != nil {
		return nil, false, err
	}
	out := make(map[string]bool, len(entries))
	for _, e := range entries {
		out[NormalizeEmail(e.Target)] = true
	}
	return out, len(entries) >= limit, nil
}
