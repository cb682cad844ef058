package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// Audit actions of reseller access and transfers.
const (
	AuditResellerGrant  = "org.resellerAccess.grant"
	AuditResellerRevoke = "org.resellerAccess.revoke"
	AuditOrgTransfer    = "org.transfer"
)

// Access request states.
const (
	AccessRequestOpen     = "OPEN"
	AccessRequestResolved = "RESOLVED"
)

// Organisation document fields, for partial updates.
const (
	fieldResellerID      = "resellerId"
	fieldResellerSince   = "resellerSince"
	fieldResellerAccess  = "resellerAccess"
	fieldResellerHistory = "resellerHistory"
)

// ErrTooManyOpenRequests is returned by CreateAccessRequest when the person
// already has the maximum number of open access requests.
var ErrTooManyOpenRequests = errors.New("too many open access requests")

func (s *Store) orgRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(OrgsCollection).Doc(id)
}

// OrgsPage lists organisations ordered by id, starting after the id after
// ("" = from the first), at most limit of them. Reads: one per document
// returned (one if none).
func (s *Store) OrgsPage(ctx context.Context, after string, limit int) ([]*Org, error) {
	q := s.fs.Collection(OrgsCollection).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != "" {
		q = q.StartAfter(after)
	}
	return s.queryOrgs(ctx, q)
}

// CustomersPage lists the customers whose current reseller is resellerID,
// ordered by id, starting after the id after, at most limit of them. The
// equality filter plus document-id order needs no composite index.
func (s *Store) CustomersPage(ctx context.Context, resellerID, after string, limit int) ([]*Org, error) {
	q := s.fs.Collection(OrgsCollection).Where(fieldResellerID, "==", resellerID).
		OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != "" {
		q = q.StartAfter(after)
	}
	return s.queryOrgs(ctx, q)
}

// OrgTx is what an organisation change may read inside its transaction.
type OrgTx struct {
	s  *Store
	tx *firestore.Transaction
}

// Org reads organisation id inside the transaction (ErrNotFound if
// missing). One read.
func (t *OrgTx) Org(id string) (*Org, error) {
	snap, err := t.tx.Get(t.s.orgRef(id))
	if err != nil {
		return nil, wrapGet(err, "organization", id)
	}
	return decodeOrg(snap)
}

// OrgChange edits an organisation read inside a transaction and returns the
// audit entry that records the change, or nil when there is nothing to
// change (then nothing is written). It may read more documents with t, and
// runs again if the transaction is retried, so it must depend only on its
// arguments and what it reads.
type OrgChange func(t *OrgTx, o *Org) (*AuditEntry, error)

// ChangeOrgReseller applies change to organisation id in one transaction
// and writes back its reseller fields (reseller, since, access grant,
// history) together with the audit entry. It returns the organisation as
// written (or as read, when change made none). ErrNotFound if id does not
// exist; errors from change pass through unchanged.
//
// Reads: 1 (the organisation) plus change's. Writes: 2 (organisation and
// audit entry), or 0 when nothing changed.
func (s *Store) ChangeOrgReseller(ctx context.Context, id string, now time.Time, change OrgChange) (*Org, error) {
	var out *Org
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		ref := s.orgRef(id)
		snap, err := tx.Get(ref)
		if err != nil {
			return wrapGet(err, "organization", id)
		}
		o, err := decodeOrg(snap)
		if err != nil {
			return err
		}
		entry, err := change(&OrgTx{s: s, tx: tx}, o)
		if err != nil || entry == nil {
			out = o
			return err
		}
		o.UpdateTime = now
		if err := tx.Update(ref, []firestore.Update{
			{Path: fieldResellerID, Value: orDelete(o.ResellerID, o.ResellerID == "")},
			{Path: fieldResellerSince, Value: orDelete(o.ResellerSince, o.ResellerSince.IsZero())},
			{Path: fieldResellerAccess, Value: o.ResellerAccess},
			{Path: fieldResellerHistory, Value: o.ResellerHistory},
			{Path: "updateTime", Value: now},
		}); err != nil {
			return err
		}
		entry.OrgID, entry.Time = id, now
		out = o
		return s.txAddAudit(tx, *entry)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// orDelete is v, or a field delete when v is empty, so an update leaves the
// document as writing the struct (omitempty fields) would.
func orDelete(v any, empty bool) any {
	if empty {
		return firestore.Delete
	}
	return v
}

// AuditPage lists orgID's audit entries newest first, starting after the
// position after (nil = from the newest), at most limit of them. Reads: one
// per entry returned (one if none). Index: auditLog (orgId ASC, time DESC,
// __name__ ASC).
func (s *Store) AuditPage(ctx context.Context, orgID string, after *Cursor, limit int) ([]*AuditEntry, error) {
	q := s.fs.Collection(AuditCollection).Where("orgId", "==", orgID).
		OrderBy("time", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list audit entries", decoder("audit entry", func(v *AuditEntry, id string) { v.ID = id }))
}

// CreateAccessRequest stores r (its ID is set) unless its e-mail already has
// maxOpen open requests (ErrTooManyOpenRequests). The count and the create
// share one transaction, so concurrent submissions cannot exceed the limit.
//
// Reads: one per open request found, at most maxOpen (one if none).
// Writes: 1.
func (s *Store) CreateAccessRequest(ctx context.Context, r *AccessRequest, maxOpen int) error {
	col := s.fs.Collection(AccessRequestsCollection)
	return s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		open, err := tx.Documents(col.Where("email", "==", r.Email).Where("state", "==", AccessRequestOpen).
			Limit(maxOpen)).GetAll()
		if err != nil {
			return fmt.Errorf("count open access requests: %w", err)
		}
		if len(open) >= maxOpen {
			return ErrTooManyOpenRequests
		}
		ref := col.NewDoc()
		r.ID = ref.ID
		return tx.Create(ref, r)
	})
}

// AccessRequestsPage lists access requests newest first, starting after
// the position after (nil = from the newest), at most limit of them. Reads:
// one per request returned (one if none). Index: accessRequests
// (createTime DESC, __name__ ASC).
func (s *Store) AccessRequestsPage(ctx context.Context, after *Cursor, limit int) ([]*AccessRequest, error) {
	q := s.fs.Collection(AccessRequestsCollection).
		OrderBy("createTime", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list access requests", decoder("access request", func(v *AccessRequest, id string) { v.ID = id }))
}
