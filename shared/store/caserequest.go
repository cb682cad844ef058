package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
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

// CreateCaseOnce creates c, as CreateCase, unless a case was created with
// requestKey before: then it returns that case (and c is not written). The
// request record is created with the case, in one transaction, with a
// must-not-exist precondition, so concurrent retries file one case.
//
// Cost: one read and two writes (the case and the request record); a
// replay reads the record and the case.
func (s *Store) CreateCaseOnce(ctx context.Context, c *Case, requestKey string) (first *Case, err error) {
	reqRef := s.FS.Collection(CaseRequestsCollection).Doc(requestKey)
	for range caseIDAttempts {
		first = nil
		id := NewCaseID()
		err = s.FS.RunTransaction(ctx, func(_ context.Context, tx *firestore.Transaction) error {
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
			return tx.Create(reqRef, caseRequest{CaseID: id, ExpireTime: c.CreateTime.Add(CaseRequestTTL)})
		})
		if err == nil {
			if first == nil {
				c.ID = id
			}
			return first, nil
		}
		if !IsAlreadyExists(err) {
			return nil, fmt.Errorf("create case: %w", err)
		}
		// A case id collision, or a concurrent create with the same
		// request: the next attempt reads the record if there is one.
	}
	return nil, fmt.Errorf("create case: %d id collisions in a row", caseIDAttempts)
}
