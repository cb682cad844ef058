package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// readyOnCase reads the case in tx and applies fn (an attachment's
// AttachmentCheck.OnReady), writing the case when fn changed it. It must
// run before the transaction's first write (Firestore reads come first).
// A missing case is left alone.
func readyOnCase(tx *firestore.Transaction, ref *firestore.DocumentRef, fn func(*Case) bool) error {
	snap, err := tx.Get(ref)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get case: %w", err)
	}
	c, err := decodeCase(snap)
	if err != nil {
		return err
	}
	if !fn(c) {
		return nil
	}
	return tx.Set(ref, c)
}

// JobStateCollection holds the progress of long-running scheduled work,
// one document per job, so each run continues where the last stopped.
const JobStateCollection = "jobState"

// BackfillState is the progress of the case clocks' backfill (the
// close-stale-cases sweep derives the clocks of open cases filed before
// them, a page per run).
type BackfillState struct {
	// Version is the clock rules version this pass derives; a newer
	// version starts a new pass from the first case.
	Version int `firestore:"version"`
	// After is the id of the last case the pass looked at.
	After string `firestore:"after"`
	// Done is set when the pass reached the last open case.
	Done       bool      `firestore:"done"`
	UpdateTime time.Time `firestore:"updateTime"`
}

func (s *Store) backfillRef(orgID string) *firestore.DocumentRef {
	id := "case-clocks-backfill"
	if orgID != "" {
		id += "-" + orgID
	}
	return s.fs.Collection(JobStateCollection).Doc(id)
}

// ClockBackfill reads the backfill's progress (of one organisation's pass
// when orgID is not "", as scoped runs keep their own); the zero state when
// none is stored. Reads: 1.
func (s *Store) ClockBackfill(ctx context.Context, orgID string) (BackfillState, error) {
	snap, err := s.backfillRef(orgID).Get(ctx)
	if IsNotFound(err) {
		return BackfillState{}, nil
	}
	if err != nil {
		return BackfillState{}, wrapGet(err, "backfill state", orgID)
	}
	st, err := decode[BackfillState](snap, "backfill state")
	if err != nil {
		return BackfillState{}, err
	}
	return *st, nil
}

// SaveClockBackfill stores the backfill's progress. Writes: 1.
func (s *Store) SaveClockBackfill(ctx context.Context, orgID string, st BackfillState) error {
	if _, err := s.backfillRef(orgID).Set(ctx, st); err != nil {
		return fmt.Errorf("save backfill state: %w", err)
	}
	return nil
}

// OpenCasesAfter lists open cases by document id after the id after (""
// = from the first), at most limit, of one organisation when orgID is not
// "" (an index). Costs one read per case returned (one when none is).
func (s *Store) OpenCasesAfter(ctx context.Context, orgID, after string, limit int) ([]*Case, error) {
	q := s.fs.Collection(CasesCollection).Query
	if orgID != "" {
		q = q.Where(CaseFieldOrgID, "==", orgID)
	}
	q = q.Where(CaseFieldOpen, "==", true).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != "" {
		q = q.StartAfter(s.caseRef(after))
	}
	return collect(q.Documents(ctx), "list open cases", decodeCase)
}
