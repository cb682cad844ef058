package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// DedupeCollection holds the once-only records of event handlers (package
// dedupe decides what they mean); infra sets a TTL policy on expireTime.
//
//	dedupe/{key}  DedupeRecord
const DedupeCollection = "dedupe"

// DedupeRecord is one once-only record.
type DedupeRecord struct {
	Scope      string    `firestore:"scope"`
	State      string    `firestore:"state"`
	ClaimTime  time.Time `firestore:"claimTime"`
	LeaseUntil time.Time `firestore:"leaseUntil"`
	DoneTime   time.Time `firestore:"doneTime,omitempty"`
	ExpireTime time.Time `firestore:"expireTime"`
}

// Version identifies one write of a document, for conditional writes.
type Version struct{ t time.Time }

func (s *Store) dedupeRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(DedupeCollection).Doc(id)
}

// CreateDedupe creates record id; ErrAlreadyExists if it exists. One write.
func (s *Store) CreateDedupe(ctx context.Context, id string, r DedupeRecord) (Version, error) {
	wr, err := s.dedupeRef(id).Create(ctx, r)
	if IsAlreadyExists(err) {
		return Version{}, fmt.Errorf("dedupe record: %w", ErrAlreadyExists)
	}
	if err != nil {
		return Version{}, err
	}
	return Version{wr.UpdateTime}, nil
}

// Dedupe reads record id (ErrNotFound if missing). One read.
func (s *Store) Dedupe(ctx context.Context, id string) (*DedupeRecord, Version, error) {
	snap, err := s.dedupeRef(id).Get(ctx)
	if err != nil {
		return nil, Version{}, wrapGet(err, "dedupe record", id)
	}
	r, err := decode[DedupeRecord](snap, "dedupe record")
	if err != nil {
		return nil, Version{}, err
	}
	return r, Version{snap.UpdateTime}, nil
}

// ReclaimDedupe sets the claim fields of record id (state, claimTime,
// leaseUntil, expireTime) if it is still at version v (ErrConflict if it
// changed or went). One write.
func (s *Store) ReclaimDedupe(ctx context.Context, id string, r DedupeRecord, v Version) (Version, error) {
	wr, err := s.dedupeRef(id).Update(ctx, []firestore.Update{
		{Path: "state", Value: r.State},
		{Path: "claimTime", Value: r.ClaimTime},
		{Path: "leaseUntil", Value: r.LeaseUntil},
		{Path: "expireTime", Value: r.ExpireTime},
	}, firestore.LastUpdateTime(v.t))
	if isConflict(err) {
		return Version{}, ErrConflict
	}
	if err != nil {
		return Version{}, err
	}
	return Version{wr.UpdateTime}, nil
}

// FinishDedupe sets record id's state, doneTime and expireTime. One write.
func (s *Store) FinishDedupe(ctx context.Context, id, state string, done, expire time.Time) error {
	_, err := s.dedupeRef(id).Update(ctx, []firestore.Update{
		{Path: "state", Value: state},
		{Path: "doneTime", Value: done},
		{Path: "expireTime", Value: expire},
	})
	return err
}

// DeleteDedupe deletes record id if it is still at version v; a record
// changed or gone since is left alone (no error). One write.
func (s *Store) DeleteDedupe(ctx context.Context, id string, v Version) error {
	_, err := s.dedupeRef(id).Delete(ctx, firestore.LastUpdateTime(v.t))
	if err == nil || isConflict(err) {
		return nil
	}
	return err
}
