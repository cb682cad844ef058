package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

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
// and its events, in one transaction, with a must-not-exist precondition,
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
func (s *Store) CreateCaseOnceUntil(ctx context.Context, c *Case, requestKey string, expire time.Time, newEvents func(*Case) []events.Event) (first *Case, msgs []events.Message, err error) {
	reqRef := s.fs.Collection(CaseRequestsCollection).Doc(requestKey)
	for range caseIDAttempts {
		first = nil
		id := newCaseID()
		c.ID = id
		msgs = nil
		if newEvents != nil {
			if msgs, err = messages(newEvents(c)); err != nil {
				return nil, nil, err
			}
		}
		err = s.fs.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
			first = nil
			snap, err := tx.Get(reqRef)
			switch {
			case err == nil:
				var rec caseRequest
				if err := snap.DataTo(&rec); err != nil {
					return err
				}
				cs, err := tx.Get(s.caseRef(rec.CaseID))
				if err != nil {
					return wrapGet(err, "case", rec.CaseID)
				}
				first, err = decodeCase(cs)
				return err
			case !IsNotFound(err):
				return err
			}
			if err := tx.Create(s.caseRef(id), c); err != nil {
				return err
			}
			if err := tx.Create(reqRef, caseRequest{CaseID: id, ExpireTime: expire}); err != nil {
				return err
			}
			return s.putOutbox(txSet(tx), msgs)
		})
		if err == nil {
			if first != nil {
				return first, nil, nil
			}
			return nil, msgs, nil
		}
		if !IsAlreadyExists(err) {
			return nil, nil, fmt.Errorf("create case: %w", err)
		}
		// A case id collision, or a concurrent create with the same
		// request: the next attempt reads the record if there is one.
	}
	return nil, nil, fmt.Errorf("create case: %d id collisions in a row", caseIDAttempts)
}
