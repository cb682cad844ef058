package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
)

// Known-issue collections.
//
//	knownIssues/{id}                                    KnownIssue
//	knownIssues/{id}/updates/{updateId}                 KnownIssueUpdate
//	knownIssues/{id}/subscriberBuckets/{bucket}         subscriber bucket (knownissue_subscribers.go)
//	knownIssues/{id}/updates/{updateId}/batches/{k}     FanoutBatch (knownissue_fanout.go)
//
// A known issue's link to each organisation's case is a caseRequests
// record (CreateCaseOnceUntil) keyed by KnownIssueCaseKey, so the one
// idempotent case-creation path decides it.
const (
	KnownIssuesCollection       = "knownIssues"
	KnownIssueUpdatesCollection = "updates"
)

// Known-issue states.
const (
	KnownIssueActive   = "ACTIVE"
	KnownIssueResolved = "RESOLVED"
)

// Known-issue fields used in queries.
const (
	KnownIssueFieldState      = "state"
	KnownIssueFieldProductIDs = "productIds"
	KnownIssueFieldCreateTime = "createTime"
	KnownIssueFieldID         = "id"
)

// ErrKnownIssueResolved is returned when an update is posted to a resolved
// issue.
var ErrKnownIssueResolved = errors.New("the known issue is resolved")

// KnownIssue is a significant technical issue the support team publishes.
type KnownIssue struct {
	// ID is also the document id; stored so lists can order by it.
	ID           string    `firestore:"id"`
	Title        string    `firestore:"title"`
	Summary      string    `firestore:"summary"`
	Details      string    `firestore:"details"`
	ProductIDs   []string  `firestore:"productIds"`
	State        string    `firestore:"state"`
	CreatorEmail string    `firestore:"creatorEmail"`
	CreatorName  string    `firestore:"creatorName,omitempty"`
	CreateTime   time.Time `firestore:"createTime"`
	UpdateTime   time.Time `firestore:"updateTime"`
	ResolveTime  time.Time `firestore:"resolveTime,omitempty"`
	UpdateCount  int       `firestore:"updateCount"`
}

// KnownIssueUpdate is one update posted to a known issue.
type KnownIssueUpdate struct {
	ID          string    `firestore:"id"` // also the document id
	Body        string    `firestore:"body"`
	AuthorEmail string    `firestore:"authorEmail"`
	AuthorName  string    `firestore:"authorName,omitempty"`
	CreateTime  time.Time `firestore:"createTime"`
	// Resolution marks the final update that resolved the issue.
	Resolution bool `firestore:"resolution,omitempty"`
	// FanoutDone is set once every subscriber's batch of this update is
	// decided, so a redelivered event stops after one read.
	FanoutDone bool `firestore:"fanoutDone,omitempty"`
}

var (
	decodeKnownIssue       = decoder("known issue", func(v *KnownIssue, id string) { v.ID = id })
	decodeKnownIssueUpdate = decoder("known issue update", func(v *KnownIssueUpdate, id string) { v.ID = id })
)

func (s *Store) knownIssueRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(KnownIssuesCollection).Doc(id)
}

func (s *Store) knownIssueUpdateRef(issueID, updateID string) *firestore.DocumentRef {
	return s.knownIssueRef(issueID).Collection(KnownIssueUpdatesCollection).Doc(updateID)
}

// newKnownIssueID returns "ki-" and 12 random hex digits (an id of the
// organisation-id shape, as wire.ParseKnownIssueName wants).
func newKnownIssueID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "ki-" + hex.EncodeToString(b[:])
}

// newUpdateID returns a time-ordered id: 16 hex digits of t in
// nanoseconds and 8 random hex digits.
func newUpdateID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%016x%s", t.UnixNano(), hex.EncodeToString(b[:]))
}

// CreateKnownIssue stores ki under a fresh id (set on ki), with a
// must-not-exist precondition. Writes: 1.
func (s *Store) CreateKnownIssue(ctx context.Context, ki *KnownIssue) error {
	for range caseIDAttempts {
		ki.ID = newKnownIssueID()
		_, err := s.knownIssueRef(ki.ID).Create(ctx, ki)
		if err == nil {
			return nil
		}
		if !IsAlreadyExists(err) {
			return fmt.Errorf("create known issue: %w", err)
		}
	}
	return fmt.Errorf("create known issue: %d id collisions in a row", caseIDAttempts)
}

// KnownIssue reads one known issue (ErrNotFound). Reads: 1.
func (s *Store) KnownIssue(ctx context.Context, id string) (*KnownIssue, error) {
	if !wire.ValidOrgID(id) {
		return nil, fmt.Errorf("known issue %q: %w", id, ErrNotFound)
	}
	snap, err := s.knownIssueRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "known issue", id)
	}
	return decodeKnownIssue(snap)
}

// KnownIssueQuery selects known issues, newest first.
type KnownIssueQuery struct {
	State string // "" = any
	// ProductIDs keeps issues touching any of them (array-contains-any, at
	// most 30); nil = any product.
	ProductIDs []string
	After      *Cursor
	Limit      int
}

// MaxKnownIssueProducts bounds KnownIssueQuery.ProductIDs (Firestore's
// array-contains-any limit).
const MaxKnownIssueProducts = 30

// KnownIssues lists issues matching q, newest first (createTime, id
// descending). Reads: one per issue returned (one if none).
func (s *Store) KnownIssues(ctx context.Context, q KnownIssueQuery) ([]*KnownIssue, error) {
	fq := s.fs.Collection(KnownIssuesCollection).Query
	if q.State != "" {
		fq = fq.Where(KnownIssueFieldState, "==", q.State)
	}
	if q.ProductIDs != nil {
		if len(q.ProductIDs) == 0 {
			return nil, nil
		}
		if len(q.ProductIDs) > MaxKnownIssueProducts {
			return nil, fmt.Errorf("list known issues: %d products, at most %d", len(q.ProductIDs), MaxKnownIssueProducts)
		}
		fq = fq.Where(KnownIssueFieldProductIDs, "array-contains-any", q.ProductIDs)
	}
	fq = fq.OrderBy(KnownIssueFieldCreateTime, firestore.Desc).OrderBy(KnownIssueFieldID, firestore.Desc).Limit(q.Limit)
	if q.After != nil {
		fq = fq.StartAfter(q.After.Time, q.After.ID)
	}
	return collect(fq.Documents(ctx), "list known issues", decodeKnownIssue)
}

// knownIssueIndexes are the composite indexes of KnownIssues.
func knownIssueIndexes() []Index {
	order := []IndexField{{Path: KnownIssueFieldCreateTime, Order: "DESCENDING"}, {Path: KnownIssueFieldID, Order: "DESCENDING"}}
	var out []Index
	for _, prefix := range [][]IndexField{
		{{Path: KnownIssueFieldState, Order: "ASCENDING"}},
		{{Path: KnownIssueFieldProductIDs, Array: true}},
		{{Path: KnownIssueFieldState, Order: "ASCENDING"}, {Path: KnownIssueFieldProductIDs, Array: true}},
	} {
		out = append(out, Index{Collection: KnownIssuesCollection, Fields: append(append([]IndexField{}, prefix...), order...)})
	}
	out = append(out, Index{Collection: KnownIssuesCollection, Fields: order},
		// KnownIssueUpdates: ORDER BY createTime DESC, id DESC.
		Index{Collection: KnownIssueUpdatesCollection, Fields: []IndexField{
			{Path: "createTime", Order: "DESCENDING"}, {Path: "id", Order: "DESCENDING"}}},
		// AccessChangesSince: orgId == X, action IN (…), time >= t.
		Index{Collection: AuditCollection, Fields: []IndexField{
			{Path: "orgId", Order: "ASCENDING"}, {Path: "action", Order: "ASCENDING"}, {Path: "time", Order: "ASCENDING"}}})
	return out
}

// AddKnownIssueUpdate posts u to issue id in one transaction: the update
// (its id and time set on u), the issue's update time and count (and, for
// a resolution, state RESOLVED and resolveTime), and the event newEvent
// builds in the outbox. A resolved issue takes no more updates
// (ErrKnownIssueResolved). It returns the issue as written and the
// committed messages for outbox.Send. Reads: 1. Writes: 3.
func (s *Store) AddKnownIssueUpdate(ctx context.Context, id string, u *KnownIssueUpdate, newEvent func(ki *KnownIssue, u *KnownIssueUpdate) events.KnownIssueEvent) (*KnownIssue, []events.Message, error) {
	if !wire.ValidOrgID(id) {
		return nil, nil, fmt.Errorf("known issue %q: %w", id, ErrNotFound)
	}
	u.ID = newUpdateID(u.CreateTime)
	var out *KnownIssue
	var msgs []events.Message
	err := s.fs.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.knownIssueRef(id))
		if err != nil {
			return wrapGet(err, "known issue", id)
		}
		ki, err := decodeKnownIssue(snap)
		if err != nil {
			return err
		}
		if ki.State == KnownIssueResolved {
			return ErrKnownIssueResolved
		}
		ki.UpdateTime = u.CreateTime
		ki.UpdateCount++
		if u.Resolution {
			ki.State, ki.ResolveTime = KnownIssueResolved, u.CreateTime
		}
		m, err := newEvent(ki, u).Message()
		if err != nil {
			return err
		}
		if err := tx.Create(s.knownIssueUpdateRef(id, u.ID), u); err != nil {
			return err
		}
		if err := tx.Set(snap.Ref, ki); err != nil {
			return err
		}
		out, msgs = ki, []events.Message{m}
		return s.putOutbox(txSet(tx), msgs)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, msgs, nil
}

// KnownIssueUpdates lists issue id's updates newest first, after cursor,
// at most limit. Reads: one per update returned (one if none).
func (s *Store) KnownIssueUpdates(ctx context.Context, id string, after *Cursor, limit int) ([]*KnownIssueUpdate, error) {
	q := s.knownIssueRef(id).Collection(KnownIssueUpdatesCollection).
		OrderBy("createTime", firestore.Desc).OrderBy("id", firestore.Desc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list known issue updates", decodeKnownIssueUpdate)
}

// KnownIssueAndUpdate reads an issue and one of its updates in one round
// trip; either may come back nil when missing. Reads: 2.
func (s *Store) KnownIssueAndUpdate(ctx context.Context, issueID, updateID string) (*KnownIssue, *KnownIssueUpdate, error) {
	if !wire.ValidOrgID(issueID) || updateID == "" {
		return nil, nil, nil
	}
	snaps, err := s.fs.GetAll(ctx, []*firestore.DocumentRef{s.knownIssueRef(issueID), s.knownIssueUpdateRef(issueID, updateID)})
	if err != nil {
		return nil, nil, fmt.Errorf("get known issue and update: %w", err)
	}
	var ki *KnownIssue
	var u *KnownIssueUpdate
	if snaps[0].Exists() {
		if ki, err = decodeKnownIssue(snaps[0]); err != nil {
			return nil, nil, err
		}
	}
	if snaps[1].Exists() {
		if u, err = decodeKnownIssueUpdate(snaps[1]); err != nil {
			return nil, nil, err
		}
	}
	return ki, u, nil
}

// FinishKnownIssueFanout marks an update's fan-out complete. Writes: 1.
func (s *Store) FinishKnownIssueFanout(ctx context.Context, issueID, updateID string) error {
	_, err := s.knownIssueUpdateRef(issueID, updateID).Update(ctx, []firestore.Update{{Path: "fanoutDone", Value: true}})
	return err
}

// KnownIssueCaseKey is the caseRequests key of the case linking orgID to
// known issue issueID: one linked case per organisation and issue.
func KnownIssueCaseKey(issueID, orgID string) string {
	return "ki_" + MembershipKey("knownIssue\x00"+issueID+"\x00"+orgID)
}

// KnownIssueCaseTTL is how long the link between an organisation and its
// known-issue case is kept.
const KnownIssueCaseTTL = 400 * 24 * time.Hour

// CaseByRequest returns the case created under caseRequests key key, or
// nil when there is none. Reads: 1, plus 1 when there is a case.
func (s *Store) CaseByRequest(ctx context.Context, key string) (*Case, error) {
	snap, err := s.fs.Collection(CaseRequestsCollection).Doc(key).Get(ctx)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get case request: %w", err)
	}
	var rec caseRequest
	if err := snap.DataTo(&rec); err != nil {
		return nil, err
	}
	c, err := s.Case(ctx, rec.CaseID)
	if IsNotFound(err) {
		return nil, nil
	}
	return c, err
}
