package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// Case ids are random 9-digit numbers: non-sequential (they reveal nothing
// about volume) and created with a must-not-exist precondition, so there is
// no counter document to contend on. With a million cases a collision
// happens once in ~900 creates and costs one retry.
const (
	caseIDMin      = 100_000_000
	caseIDSpan     = 900_000_000
	caseIDAttempts = 5
)

// NewCaseID returns a random case id.
func NewCaseID() string {
	n, err := rand.Int(rand.Reader, big.NewInt(caseIDSpan))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return strconv.FormatInt(caseIDMin+n.Int64(), 10)
}

func (s *Store) caseRef(id string) *firestore.DocumentRef {
	return s.FS.Collection(CasesCollection).Doc(id)
}

// CreateCase writes c under a fresh random id (set on c), retrying on the
// rare collision. One write per attempt.
func (s *Store) CreateCase(ctx context.Context, c *Case) error {
	for range caseIDAttempts {
		c.ID = NewCaseID()
		_, err := s.caseRef(c.ID).Create(ctx, c)
		if err == nil {
			return nil
		}
		if !IsAlreadyExists(err) {
			return fmt.Errorf("create case: %w", err)
		}
	}
	return fmt.Errorf("create case: %d id collisions in a row", caseIDAttempts)
}

// Case reads one case (ErrNotFound if it does not exist).
func (s *Store) Case(ctx context.Context, id string) (*Case, error) {
	if !wire.ValidCaseID(id) {
		return nil, fmt.Errorf("case %q: %w", id, ErrNotFound)
	}
	snap, err := s.caseRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "case", id)
	}
	return decodeCase(snap)
}

func decodeCase(snap *firestore.DocumentSnapshot) (*Case, error) {
	var c Case
	if err := snap.DataTo(&c); err != nil {
		return nil, fmt.Errorf("decode case %s: %w", snap.Ref.ID, err)
	}
	c.ID = snap.Ref.ID
	return &c, nil
}

// CaseTx is what a case mutation may do inside its transaction besides
// changing the case itself.
type CaseTx struct {
	s  *Store
	tx *firestore.Transaction
	id string
}

// AddComment creates a comment (its id is set on cm).
func (t *CaseTx) AddComment(cm *Comment) error {
	ref := t.s.caseRef(t.id).Collection(CommentsCollection).NewDoc()
	cm.ID = ref.ID
	return t.tx.Create(ref, cm)
}

// AddSurvey creates the survey of closure sv.CloseCount; a second survey
// for the same closure fails the commit with AlreadyExists.
func (t *CaseTx) AddSurvey(sv *Survey) error {
	ref := t.s.caseRef(t.id).Collection(SurveysCollection).Doc(strconv.Itoa(sv.CloseCount))
	return t.tx.Create(ref, sv)
}

// MutateCase reads case id in a transaction, lets fn check and change it,
// and writes it back when fn reports a change. fn may run more than once
// (contention retries), so it must only touch c and t. Costs one read, plus
// one write when changed, plus fn's own writes.
func (s *Store) MutateCase(ctx context.Context, id string, fn func(t *CaseTx, c *Case) (changed bool, err error)) (*Case, error) {
	if !wire.ValidCaseID(id) {
		return nil, fmt.Errorf("case %q: %w", id, ErrNotFound)
	}
	var out *Case
	err := s.FS.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.caseRef(id))
		if err != nil {
			return wrapGet(err, "case", id)
		}
		c, err := decodeCase(snap)
		if err != nil {
			return err
		}
		changed, err := fn(&CaseTx{s: s, tx: tx, id: id}, c)
		if err != nil {
			return err
		}
		if changed {
			if err := tx.Set(snap.Ref, c); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Survey reads the survey of one closure of a case.
func (s *Store) Survey(ctx context.Context, caseID string, closeCount int) (*Survey, error) {
	snap, err := s.caseRef(caseID).Collection(SurveysCollection).Doc(strconv.Itoa(closeCount)).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "survey", caseID)
	}
	var sv Survey
	if err := snap.DataTo(&sv); err != nil {
		return nil, fmt.Errorf("decode survey %s/%d: %w", caseID, closeCount, err)
	}
	return &sv, nil
}

// Cursor is a position in a list ordered by (createTime desc, id desc).
type Cursor struct {
	CreateTime time.Time
	ID         string
}

// Comments lists a case's comments newest first (as Cloud Support does),
// starting after cursor (nil = from the newest), at most limit of them.
func (s *Store) Comments(ctx context.Context, caseID string, after *Cursor, limit int) ([]*Comment, error) {
	q := s.caseRef(caseID).Collection(CommentsCollection).
		OrderBy("createTime", firestore.Desc).OrderBy("id", firestore.Desc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.CreateTime, after.ID)
	}
	return collect(q.Documents(ctx), "list comments",
		decodeWithID("comment", func(v *Comment, id string) { v.ID = id }))
}

// SaveUnpublishedEvent records an event whose publish failed after its
// transaction committed, keyed by event id, with the exact message data, so
// a sweep (or an operator) can publish it again; consumers dedupe by id, so
// a re-publish is safe.
func (s *Store) SaveUnpublishedEvent(ctx context.Context, eventID, eventType, caseID string, data []byte) error {
	_, err := s.FS.Collection(UnpublishedEventsCollection).Doc(eventID).Set(ctx, map[string]any{
		"type": eventType, "caseId": caseID, "data": data, "saveTime": firestore.ServerTimestamp,
	})
	return err
}
