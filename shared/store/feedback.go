package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/events"
)

// FeedbackCollection holds "Send feedback" submissions:
//
//	feedback/{auto}  Feedback
const FeedbackCollection = "feedback"

// Feedback kinds.
const (
	FeedbackIdea    = "IDEA"
	FeedbackProblem = "PROBLEM"
	FeedbackPraise  = "PRAISE"
)

// FeedbackKinds lists the kinds.
var FeedbackKinds = []string{FeedbackIdea, FeedbackProblem, FeedbackPraise}

// Feedback states.
const (
	FeedbackNew     = "NEW"
	FeedbackTriaged = "TRIAGED"
)

// FeedbackStates lists the states.
var FeedbackStates = []string{FeedbackNew, FeedbackTriaged}

// Feedback is one submission. Of its sender only the e-mail address and
// the organisation are kept (no uid, name, browser or address).
type Feedback struct {
	ID         string    `firestore:"-"`
	Kind       string    `firestore:"kind"`
	Message    string    `firestore:"message"`
	PageURL    string    `firestore:"pageUrl,omitempty"`
	Email      string    `firestore:"email"`
	OrgID      string    `firestore:"orgId,omitempty"`
	State      string    `firestore:"state"`
	CreateTime time.Time `firestore:"createTime"`
	TriageTime time.Time `firestore:"triageTime,omitempty"`
	TriagedBy  string    `firestore:"triagedBy,omitempty"` // staff e-mail
}

var decodeFeedback = decoder("feedback", func(v *Feedback, id string) { v.ID = id })

// CreateFeedback stores f under a fresh id (set on f) together with the
// event newEvent builds for it (in the outbox, same commit: the
// acknowledgement e-mail is neither lost nor sent twice), and returns the
// committed message for outbox.Send. One commit without a transaction round
// trip. Writes: 2.
func (s *Store) CreateFeedback(ctx context.Context, f *Feedback, newEvent func(*Feedback) events.FeedbackEvent) ([]events.Message, error) {
	ref := s.fs.Collection(FeedbackCollection).NewDoc()
	f.ID = ref.ID
	m, err := newEvent(f).Message()
	if err != nil {
		return nil, err
	}
	msgs := []events.Message{m}
	b := s.fs.Batch() //nolint:staticcheck // one atomic commit without a transaction round trip; nothing else does that
	b.Create(ref, f)
	if err := s.putOutbox(batchSet(b), msgs); err != nil {
		return nil, err
	}
	if _, err := b.Commit(ctx); err != nil {
		return nil, fmt.Errorf("create feedback: %w", err)
	}
	return msgs, nil
}

// Feedback returns feedback id. Reads: 1.
func (s *Store) Feedback(ctx context.Context, id string) (*Feedback, error) {
	snap, err := s.fs.Collection(FeedbackCollection).Doc(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "feedback", id)
	}
	return decodeFeedback(snap)
}

// TriageFeedback marks feedback id TRIAGED by staff (again is a no-op).
// Reads: 1. Writes: 1 (0 when already triaged).
func (s *Store) TriageFeedback(ctx context.Context, id, by string, now time.Time) (*Feedback, error) {
	var out *Feedback
	ref := s.fs.Collection(FeedbackCollection).Doc(id)
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(ref)
		if err != nil {
			return wrapGet(err, "feedback", id)
		}
		f, err := decodeFeedback(snap)
		if err != nil {
			return err
		}
		out = f
		if f.State == FeedbackTriaged {
			return nil
		}
		f.State, f.TriageTime, f.TriagedBy = FeedbackTriaged, now, by
		return tx.Set(ref, f)
	})
	return out, err
}

// FeedbackFilter narrows FeedbackPage ("" = any).
type FeedbackFilter struct {
	Kind  string
	State string
}

// FeedbackPage lists feedback newest first after the cursor (nil = from
// the newest), at most limit. Reads: one per submission returned (one if
// none). Indexes: feedback (kind?, state?, createTime DESC, __name__ ASC).
func (s *Store) FeedbackPage(ctx context.Context, f FeedbackFilter, after *Cursor, limit int) ([]*Feedback, error) {
	q := s.fs.Collection(FeedbackCollection).Query
	if f.Kind != "" {
		q = q.Where("kind", "==", f.Kind)
	}
	if f.State != "" {
		q = q.Where("state", "==", f.State)
	}
	q = q.OrderBy("createTime", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list feedback", decodeFeedback)
}
