package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/events"
)

// Access request states after the support team's answer.
const (
	AccessRequestApproved = "APPROVED"
	AccessRequestRejected = "REJECTED"
)

// AccessRequestStates lists every state a request can be in.
var AccessRequestStates = []string{AccessRequestOpen, AccessRequestApproved, AccessRequestRejected, AccessRequestResolved}

// AuditAccessRequestApprove is the audit action of an approval (in the
// organisation joined).
const AuditAccessRequestApprove = "accessRequest.approve"

// ErrAlreadyAnswered is returned by AnswerAccessRequest for a request that
// is no longer OPEN.
var ErrAlreadyAnswered = errors.New("the access request has already been answered")

// AccessRequestAnswer is the support team's answer to a request.
type AccessRequestAnswer struct {
	By   string    `firestore:"by"` // e-mail of the support staff member
	Time time.Time `firestore:"time"`
	// Reason is why a request was rejected (shown to the requester).
	Reason string `firestore:"reason,omitempty"`
	// OrgID and Roles are what an approval gave.
	OrgID string `firestore:"orgId,omitempty"`
	Roles []Role `firestore:"roles,omitempty"`
	// ActivateTime is when the approved membership becomes active.
	ActivateTime time.Time `firestore:"activateTime,omitempty"`
}

// Answer is what answering an open request writes.
type Answer struct {
	State  string // AccessRequestApproved or AccessRequestRejected
	Answer AccessRequestAnswer
	// Membership, Audit and MembershipEvent (approvals only) are written
	// exactly as AddMembership writes an added user's.
	Membership      *MembershipDoc
	Audit           AuditEntry
	MembershipEvent events.MembershipEvent
	// Answered is the event that e-mails the requester.
	Answered events.AccessRequestEvent
}

func (s *Store) accessRequestRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(AccessRequestsCollection).Doc(id)
}

// AccessRequest reads request id (ErrNotFound if missing). One read.
func (s *Store) AccessRequest(ctx context.Context, id string) (*AccessRequest, error) {
	snap, err := s.accessRequestRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "access request", id)
	}
	return decodeAccessRequest(snap)
}

func decodeAccessRequest(snap *firestore.DocumentSnapshot) (*AccessRequest, error) {
	r, err := decode[AccessRequest](snap, "access request")
	if err != nil {
		return nil, err
	}
	r.ID = snap.Ref.ID
	return r, nil
}

// AnswerAccessRequest answers request id in one transaction: decide sees
// the request as read inside it and returns the answer; the request gets
// its state and answer, an approval's membership is created with its
// audit entry and membership event, and the answered event goes to the
// outbox. A request that is not OPEN is ErrAlreadyAnswered (so it cannot
// be answered twice, even by two staff members at once); one that does
// not exist ErrNotFound; a membership that exists already
// ErrAlreadyExists. It returns the request as written and the committed
// messages for outbox.Send.
//
// Reads: 1. Writes: rejection 2 (request, event); approval 5 (request,
// membership, audit entry, two events).
func (s *Store) AnswerAccessRequest(ctx context.Context, id string, decide func(r *AccessRequest) (*Answer, error)) (*AccessRequest, []events.Message, error) {
	var (
		out  *AccessRequest
		msgs []events.Message
	)
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		msgs = nil
		snap, err := tx.Get(s.accessRequestRef(id))
		if err != nil {
			return wrapGet(err, "access request", id)
		}
		r, err := decodeAccessRequest(snap)
		if err != nil {
			return err
		}
		if r.State != AccessRequestOpen {
			return ErrAlreadyAnswered
		}
		a, err := decide(r)
		if err != nil {
			return err
		}
		answered, err := a.Answered.Message()
		if err != nil {
			return err
		}
		if a.Membership != nil {
			added, err := a.MembershipEvent.Message()
			if err != nil {
				return err
			}
			msgs = append(msgs, added)
		}
		msgs = append(msgs, answered)
		r.State, r.Answer = a.State, &a.Answer
		if err := tx.Update(s.accessRequestRef(id), []firestore.Update{
			{Path: "state", Value: r.State}, {Path: "answer", Value: r.Answer}}); err != nil {
			return err
		}
		out = r
		if a.Membership == nil {
			return s.putOutbox(txSet(tx), msgs)
		}
		return s.putNewMembership(tx.Create, txSet(tx), a.Membership, a.Audit, msgs)
	})
	if IsAlreadyExists(err) {
		return nil, nil, fmt.Errorf("answer access request %s: %w", id, ErrAlreadyExists)
	}
	if err != nil {
		return nil, nil, err
	}
	return out, msgs, nil
}

// AccessRequestsInState lists the requests in state newest first, starting
// after the position after (nil = from the newest), at most limit of them.
// Reads: one per request returned (one if none). Index: accessRequests
// (state, createTime DESC, __name__ ASC).
func (s *Store) AccessRequestsInState(ctx context.Context, state string, after *Cursor, limit int) ([]*AccessRequest, error) {
	q := s.fs.Collection(AccessRequestsCollection).Where("state", "==", state).
		OrderBy("createTime", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list access requests", decoder("access request", func(v *AccessRequest, id string) { v.ID = id }))
}

// accessRequestIndexes are the composite indexes of the queries above.
func accessRequestIndexes() []Index {
	return []Index{{Collection: AccessRequestsCollection, Fields: []IndexField{
		{Path: "state", Order: "ASCENDING"}, {Path: "createTime", Order: "DESCENDING"}, {Path: "__name__", Order: "ASCENDING"}}}}
}
