package store

import (
	"context"
	"fmt"
	"time"

	"github.com/supportcenter/supportcenter/shared/events"
)

// CaseRequestsCollection records the request ids (AIP-155 requestId) cases
// were created with: caseRequests/{key} = {caseId, expireTime}, key a hash
// of organisation, person and request id. A retried create finds the first
// case instead of filing a second. Documents expire by TTL on expireTime.
const CaseRequestsCollection = "caseRequests"

// CaseRequestTTL is how long a request id is remembered.
const CaseRequestTTL = 7 * 24 * time.Hour

type caseRequest struct {
	CaseID     string    `firestore:"caseId"`
	ExpireTime time.Time `firestore:"expireTime"`
}

// CreateCaseOnce creates c with its events in the outbox, as CreateCase,
// unless a case was created with requestKey before: then it returns that
// case (and writes nothing). The request record is created with the case
// and its events in one atomic commit, with a must-not-exist precondition,
// so concurrent retries file one case.
//
// Cost: one read and three writes (the case, the request record, the
// event) plus the event's delete after publishing; a replay reads the
// record and the case.
func (s *Store) CreateCaseOnce(ctx context.Context, c *Case, requestKey string, newEvents func(*Case) []events.Event) (first *Case, msgs []events.Message, err error) {
	return s.CreateCaseOnceUntil(ctx, c, requestKey, c.CreateTime.Add(CaseRequestTTL), newEvents)
}

// CreateCaseOnceUntil is CreateCaseOnce with the request record kept until
// expire (a known issue's link to an organisation's case outlives a
// client's retry window).
//
// It reads the record, then commits the case, the record and the events
// in one batch whose creates carry must-not-exist preconditions; when the
// commit fails because the record appeared meanwhile, it reads the winner's
// case. Not a read-write transaction: many concurrent creates with one key
// (a burst of colleagues' "me too" clicks) then fail fast on the
// precondition instead of queueing on transaction locks.
func (s *Store) CreateCaseOnceUntil(ctx context.Context, c *Case, requestKey string, expire time.Time, newEvents func(*Case) []events.Event) (first *Case, msgs []events.Message, err error) {
	reqRef := s.fs.Collection(CaseRequestsCollection).Doc(requestKey)
	replay := func() (*Case, error) {
		snap, err := reqRef.Get(ctx)
		if IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		var rec caseRequest
		if err := snap.DataTo(&rec); err != nil {
			return nil, err
		}
		cs, err := s.caseRef(rec.CaseID).Get(ctx)
		if err != nil {
			return nil, wrapGet(err, "case", rec.CaseID)
		}
		return decodeCase(cs)
	}
	if first, err = replay(); err != nil || first != nil {
		return first, nil, err
	}
	for range caseIDAttempts {
		c.ID = newCaseID()
		msgs = nil
		if newEvents != nil {
			if msgs, err = messages(newEvents(c)); err != nil {
				return nil, nil, err
			}
		}
		b := s.fs.Batch() //nolint:staticcheck // one atomic commit with preconditions, see above
		b.Create(s.caseRef(c.ID), c)
		b.Create(reqRef, caseRequest{CaseID: c.ID, ExpireTime: expire})
		if err := s.putOutbox(batchSet(b), msgs); err != nil {
			return nil, nil, err
		}
		_, err = b.Commit(ctx)
		if err == nil {
			return nil, msgs, nil
		}
		if !IsAlreadyExists(err) {
			return nil, nil, fmt.Errorf("create case: %w", err)
		}
		// The record was created meanwhile (a concurrent create with the
		// same key), or the case id collided: the first is read, the
		// second tried again with another id.
		if first, err = replay(); err != nil || first != nil {
			return first, nil, err
		}
	}
	return nil, nil, fmt.Errorf("create case: %d id collisions in a row", caseIDAttempts)
}
