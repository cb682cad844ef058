package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cloud.google.com/go/firestore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
)

// Provisioning is a membership's provisioning state (document field
// "provision"), for memberships added through the users API (seeded
// memberships have none). Package provisioning holds its rules.
type Provisioning struct {
	State string `firestore:"state"` // a provisioning state

	// EventID is the membership event that provisions this membership; the
	// sweep re-publishes it with the same id, so dedupe records still apply.
	EventID string `firestore:"eventId"`
	// RetryTime is when the sweep re-drives a still-PENDING provisioning.
	RetryTime    time.Time `firestore:"retryTime,omitempty"`
	Attempts     int       `firestore:"attempts"` // re-drives so far
	Error        string    `firestore:"error,omitempty"`
	CompleteTime time.Time `firestore:"completeTime,omitempty"`
}

// MembershipDoc is a membership document with the fields only user
// management and provisioning read.
type MembershipDoc struct {
	Membership
	Provision *Provisioning `firestore:"provision,omitempty"`
}

// Membership document fields, for partial updates.
const (
	fieldStatus       = "status"
	fieldRoles        = "roles"
	fieldActivateTime = "activateTime"
	fieldUpdateTime   = "updateTime"
	fieldUID          = "uid"
	fieldProvision    = "provision"
)

// Audit actions of user management.
const (
	AuditUserAdd      = "user.add"
	AuditUserRoles    = "user.roles.update"
	AuditUserDisable  = "user.disable"
	AuditUserRemove   = "user.remove"
	AuditUserActivate = "user.activate"
)

// SystemActor is the audit actor of changes no person made (the sweep).
const SystemActor = "system"

// membershipRef is the document of a membership id.
func (s *Store) membershipRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(MembershipsCollection).Doc(id)
}

// MembershipDocByID reads a membership document by id.
func (s *Store) MembershipDocByID(ctx context.Context, id string) (*MembershipDoc, error) {
	snap, err := s.membershipRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "membership", id)
	}
	return decodeMembershipDoc(snap)
}

// txMembershipDoc reads a membership document inside a transaction.
func (s *Store) txMembershipDoc(tx *firestore.Transaction, id string) (*MembershipDoc, error) {
	snap, err := tx.Get(s.membershipRef(id))
	if err != nil {
		return nil, wrapGet(err, "membership", id)
	}
	return decodeMembershipDoc(snap)
}

// OrgMemberships lists orgID's memberships by document id, starting after
// afterID ("" = from the start), at most limit. Served by the single-field
// index on orgId (equality plus document-id order needs no composite index).
func (s *Store) OrgMemberships(ctx context.Context, orgID, afterID string, limit int) ([]*MembershipDoc, error) {
	q := s.fs.Collection(MembershipsCollection).Where("orgId", "==", orgID).OrderBy(firestore.DocumentID, firestore.Asc)
	if afterID != "" {
		q = q.StartAfter(afterID)
	}
	return collectMemberships(q.Limit(limit).Documents(ctx))
}

// activeWithRole returns up to limit ids of orgID's active members holding
// the organisation-wide role (outside any transaction: see
// MembershipTx.OtherActiveWithRole).
func (s *Store) activeWithRole(ctx context.Context, orgID, role string, limit int) ([]string, error) {
	q := s.fs.Collection(MembershipsCollection).
		Where("orgId", "==", orgID).
		Where("status", "==", StatusActive).
		Where("roles", "array-contains", Role{Role: role}).
		Limit(limit)
	ms, err := collectMemberships(q.Documents(ctx))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids, nil
}

// DueActivations lists PENDING memberships whose activateTime is at or
// before now, oldest first (composite index: status, activateTime). orgID
// "" means every organisation; otherwise only that one (tests and manual
// runs; that shape has no production index).
func (s *Store) DueActivations(ctx context.Context, orgID string, now time.Time, limit int) ([]*MembershipDoc, error) {
	q := s.fs.Collection(MembershipsCollection).Query
	if orgID != "" {
		q = q.Where("orgId", "==", orgID)
	}
	q = q.Where("status", "==", StatusPending).
		Where("activateTime", "<=", now).
		OrderBy("activateTime", firestore.Asc).
		Limit(limit)
	return collectMemberships(q.Documents(ctx))
}

// DueProvisioning lists memberships whose provisioning is still PENDING at
// its retry time (composite index: provision.state, provision.retryTime).
// orgID as for DueActivations.
func (s *Store) DueProvisioning(ctx context.Context, orgID string, now time.Time, limit int) ([]*MembershipDoc, error) {
	q := s.fs.Collection(MembershipsCollection).Query
	if orgID != "" {
		q = q.Where("orgId", "==", orgID)
	}
	q = q.Where("provision.state", "==", provisioning.Pending).
		Where("provision.retryTime", "<=", now).
		OrderBy("provision.retryTime", firestore.Asc).
		Limit(limit)
	return collectMemberships(q.Documents(ctx))
}

func collectMemberships(it *firestore.DocumentIterator) ([]*MembershipDoc, error) {
	return collect(it, "list memberships", decodeMembershipDoc)
}

// ActivateIfDue makes membership id ACTIVE if it is PENDING and its
// activateTime is at or before now, with an audit entry by actor, in one
// transaction. It reports whether it activated (false: already active,
// disabled, removed or not yet due), so repeated calls have one effect.
func (s *Store) ActivateIfDue(ctx context.Context, id string, now time.Time, actor string) (bool, error) {
	activated := false
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		activated = false
		m, err := s.txMembershipDoc(tx, id)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Status != StatusPending || m.ActivateTime.After(now) {
			return nil
		}
		if err := tx.Update(s.membershipRef(id), []firestore.Update{
			{Path: fieldStatus, Value: StatusActive},
			{Path: fieldActivateTime, Value: now},
			{Path: fieldUpdateTime, Value: now},
		}); err != nil {
			return err
		}
		activated = true
		return s.txAddAudit(tx, AuditEntry{OrgID: m.OrgID, Actor: actor, Action: AuditUserActivate, Target: m.Email,
			Details: map[string]string{"expectedTime": wire.Timestamp(m.ActivateTime)}, Time: now})
	})
	if err != nil {
		return false, fmt.Errorf("activate membership %s: %w", id, err)
	}
	return activated, nil
}

// membershipIndexes are the composite indexes the membership queries above
// need (infra/firestore.indexes.json, collection MembershipsCollection):
// DueActivations, DueProvisioning and ActiveOrgAdmins. OrgMemberships
// needs none.
func membershipIndexes() [][]IndexField {
	return [][]IndexField{
		{{Path: "status", Order: "ASCENDING"}, {Path: "activateTime", Order: "ASCENDING"}},
		{{Path: "provision.state", Order: "ASCENDING"}, {Path: "provision.retryTime", Order: "ASCENDING"}},
		{{Path: "orgId", Order: "ASCENDING"}, {Path: "status", Order: "ASCENDING"}, {Path: "roles", Array: true}},
	}
}

// ErrAlreadyExists is returned when a document to create exists already
// (a gRPC status, so apierror maps it to ALREADY_EXISTS).
var ErrAlreadyExists = status.Error(codes.AlreadyExists, "already exists")

// AddMembership creates membership m with its audit entry and its
// membership event (in the outbox), in one commit without a transaction
// round trip, and returns the committed message for outbox.Send.
// ErrAlreadyExists when the person is already a member. Reads: 0. Writes: 3
// (membership, audit entry, event).
func (s *Store) AddMembership(ctx context.Context, m *MembershipDoc, audit AuditEntry, ev events.MembershipEvent) ([]events.Message, error) {
	msg, err := ev.Message()
	if err != nil {
		return nil, err
	}
	msgs := []events.Message{msg}
	b := s.fs.Batch() //nolint:staticcheck // see CreateCase
	create := func(ref *firestore.DocumentRef, v any) error { b.Create(ref, v); return nil }
	if err := s.putNewMembership(create, batchSet(b), m, audit, msgs); err != nil {
		return nil, err
	}
	if _, err := b.Commit(ctx); err != nil {
		if IsAlreadyExists(err) {
			return nil, fmt.Errorf("membership %s: %w", m.ID, ErrAlreadyExists)
		}
		return nil, fmt.Errorf("add membership %s: %w", m.ID, err)
	}
	return msgs, nil
}

// putNewMembership writes new membership m with its audit entry and its
// events in the outbox, through create and set (a batch's or a
// transaction's): what adding a user and approving an access request both
// commit.
func (s *Store) putNewMembership(create, set func(*firestore.DocumentRef, any) error, m *MembershipDoc, audit AuditEntry, msgs []events.Message) error {
	if err := create(s.membershipRef(m.ID), m); err != nil {
		return err
	}
	if err := create(s.fs.Collection(AuditCollection).NewDoc(), audit); err != nil {
		return err
	}
	return s.putOutbox(set, msgs)
}

// MembershipTx is what a membership change may read inside its
// transaction.
type MembershipTx struct {
	ctx context.Context
	s   *Store
	tx  *firestore.Transaction
}

// OtherActiveOrgAdmins counts the active org admins of m's organisation
// other than m, at most limit of them. It finds them with a query, then
// reads them inside the transaction: two transactions that each take the
// admin role from someone while relying on the other's membership read
// each other's documents, so they conflict and the second one sees the
// first one's change. (A query inside the transaction would do the same,
// but the Firestore emulator locks a whole collection for it.) Reads: up to
// limit for the query (one if none) and the same documents again.
func (t *MembershipTx) OtherActiveOrgAdmins(m *MembershipDoc, limit int) (int, error) {
	return t.OtherActiveWithRole(m, RoleOrgAdmin, limit)
}

// OtherActiveWithRole is OtherActiveOrgAdmins for any organisation-wide
// role (the vendor organisation keeps its last SUPPORT_ADMIN the same way).
func (t *MembershipTx) OtherActiveWithRole(m *MembershipDoc, role string, limit int) (int, error) {
	ids, err := t.s.activeWithRole(t.ctx, m.OrgID, role, limit)
	if err != nil {
		return 0, err
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == m.ID })
	if len(ids) == 0 {
		return 0, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = t.s.membershipRef(id)
	}
	snaps, err := t.tx.GetAll(refs)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		o, err := decodeMembershipDoc(snap)
		if err != nil {
			return 0, err
		}
		if o.Status == StatusActive && slices.ContainsFunc(o.Roles, func(r Role) bool { return r.Role == role }) {
			n++
		}
	}
	return n, nil
}

// MembershipChange decides a change to membership m, read inside a
// transaction: it edits m's roles or status and returns the audit entry
// that records the change (its Actor set; organisation, target and time
// are filled in), or nil when there is nothing to change. It runs again if
// the transaction is retried, so it must depend only on its arguments and
// what it reads through t.
type MembershipChange func(t *MembershipTx, m *MembershipDoc) (*AuditEntry, error)

// UpdateMembership applies change to membership id in one transaction and
// writes its roles, status and update time with the audit entry. It
// returns the membership as written (or as read, when change made none).
// ErrNotFound if id does not exist; errors from change pass through.
// Reads: 1 plus change's. Writes: 2, or 0 when nothing changed.
func (s *Store) UpdateMembership(ctx context.Context, id string, now time.Time, change MembershipChange) (*MembershipDoc, error) {
	var out *MembershipDoc
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		m, err := s.txMembershipDoc(tx, id)
		if err != nil {
			return err
		}
		audit, err := change(&MembershipTx{ctx: ctx, s: s, tx: tx}, m)
		out = m
		if err != nil || audit == nil {
			return err
		}
		m.UpdateTime = now
		if err := tx.Update(s.membershipRef(id), []firestore.Update{
			{Path: fieldRoles, Value: m.Roles},
			{Path: fieldStatus, Value: m.Status},
			{Path: fieldUpdateTime, Value: now},
		}); err != nil {
			return err
		}
		return s.txAudit(tx, m, *audit, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMembership deletes membership id with the audit entry check
// returns for it (check may refuse with an error) in one transaction.
// ErrNotFound if id does not exist. Reads: 1 plus check's. Writes: 2.
func (s *Store) RemoveMembership(ctx context.Context, id string, now time.Time, check MembershipChange) error {
	return s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		m, err := s.txMembershipDoc(tx, id)
		if err != nil {
			return err
		}
		audit, err := check(&MembershipTx{ctx: ctx, s: s, tx: tx}, m)
		if err != nil {
			return err
		}
		if audit == nil {
			return fmt.Errorf("remove membership %s: no audit entry", id)
		}
		if err := tx.Delete(s.membershipRef(id), firestore.Exists); err != nil {
			return err
		}
		return s.txAudit(tx, m, *audit, now)
	})
}

// txAudit writes e about membership m, filling in its organisation, target
// and time.
func (s *Store) txAudit(tx *firestore.Transaction, m *MembershipDoc, e AuditEntry, now time.Time) error {
	e.OrgID, e.Target, e.Time = m.OrgID, m.Email, now
	return s.txAddAudit(tx, e)
}

// ChangeProvisioning applies change to membership id in one transaction.
// change decides a provisioning transition of m, read inside the
// transaction: it edits m.Provision (and m.UID) and reports whether it
// changed anything, and the membership event to publish again (nil: none);
// it runs again if the transaction is retried. The store then writes the
// provisioning state and the uid (and the update time when
// the provisioning state moved), with the event change asked for in the
// outbox, and returns the committed messages for outbox.Send. A missing
// membership is ErrNotFound. Reads: 1. Writes: 1 (2 with an event), or 0.
func (s *Store) ChangeProvisioning(ctx context.Context, id string, now time.Time,
	change func(m *MembershipDoc) (changed bool, redrive *events.MembershipEvent, err error)) ([]events.Message, error) {
	var msgs []events.Message
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		msgs = nil
		m, err := s.txMembershipDoc(tx, id)
		if err != nil {
			return err
		}
		before := ""
		if m.Provision != nil {
			before = m.Provision.State
		}
		changed, redrive, err := change(m)
		if err != nil || !changed || m.Provision == nil {
			return err
		}
		updates := []firestore.Update{{Path: fieldProvision, Value: m.Provision}}
		if m.UID != "" {
			updates = append(updates, firestore.Update{Path: fieldUID, Value: m.UID})
		}
		if m.Provision.State != before {
			m.UpdateTime = now
			updates = append(updates, firestore.Update{Path: fieldUpdateTime, Value: now})
		}
		if err := tx.Update(s.membershipRef(id), updates); err != nil {
			return err
		}
		if redrive == nil {
			return nil
		}
		msg, err := redrive.Message()
		if err != nil {
			return err
		}
		msgs = []events.Message{msg}
		return s.putOutbox(txSet(tx), msgs)
	})
	if err != nil {
		return nil, fmt.Errorf("change provisioning of %s: %w", id, err)
	}
	return msgs, nil
}
