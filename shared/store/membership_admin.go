package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
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
	FieldStatus       = "status"
	FieldRoles        = "roles"
	FieldActivateTime = "activateTime"
	FieldUpdateTime   = "updateTime"
	FieldUID          = "uid"
	FieldProvision    = "provision"
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

// MembershipRef is the document of a membership id.
func (s *Store) MembershipRef(id string) *firestore.DocumentRef {
	return s.FS.Collection(MembershipsCollection).Doc(id)
}

func decodeMembershipDoc(snap *firestore.DocumentSnapshot) (*MembershipDoc, error) {
	var m MembershipDoc
	if err := snap.DataTo(&m); err != nil {
		return nil, fmt.Errorf("decode membership %s: %w", snap.Ref.ID, err)
	}
	m.ID = snap.Ref.ID
	return &m, nil
}

// MembershipDocByID reads a membership document by id.
func (s *Store) MembershipDocByID(ctx context.Context, id string) (*MembershipDoc, error) {
	snap, err := s.MembershipRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "membership", id)
	}
	return decodeMembershipDoc(snap)
}

// TxMembershipDoc reads a membership document inside a transaction.
func (s *Store) TxMembershipDoc(tx *firestore.Transaction, id string) (*MembershipDoc, error) {
	snap, err := tx.Get(s.MembershipRef(id))
	if err != nil {
		return nil, wrapGet(err, "membership", id)
	}
	return decodeMembershipDoc(snap)
}

// OrgMemberships lists orgID's memberships by document id, starting after
// afterID ("" = from the start), at most limit. Served by the single-field
// index on orgId (equality plus document-id order needs no composite index).
func (s *Store) OrgMemberships(ctx context.Context, orgID, afterID string, limit int) ([]*MembershipDoc, error) {
	q := s.FS.Collection(MembershipsCollection).Where("orgId", "==", orgID).OrderBy(firestore.DocumentID, firestore.Asc)
	if afterID != "" {
		q = q.StartAfter(afterID)
	}
	return collectMemberships(q.Limit(limit).Documents(ctx))
}

// ActiveOrgAdmins returns up to limit ids of orgID's active org admins
// (outside any transaction: see TxCountActiveOrgAdmins).
func (s *Store) ActiveOrgAdmins(ctx context.Context, orgID string, limit int) ([]string, error) {
	q := s.FS.Collection(MembershipsCollection).
		Where("orgId", "==", orgID).
		Where("status", "==", StatusActive).
		Where("roles", "array-contains", Role{Role: RoleOrgAdmin}).
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

// TxCountActiveOrgAdmins reads the memberships ids inside tx and counts
// those that are still active org admins. Reading them in the transaction
// is what keeps "at least one org admin" true under concurrency: two
// transactions that each remove an admin while relying on the other's
// membership read each other's documents, so they conflict and the second
// one sees the first one's change. (A query inside the transaction would do
// the same, but the Firestore emulator locks a whole collection for it.)
func (s *Store) TxCountActiveOrgAdmins(tx *firestore.Transaction, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = s.MembershipRef(id)
	}
	snaps, err := tx.GetAll(refs)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		m, err := decodeMembershipDoc(snap)
		if err != nil {
			return 0, err
		}
		if m.Status == StatusActive && slices.ContainsFunc(m.Roles, func(r Role) bool { return r.Role == RoleOrgAdmin }) {
			n++
		}
	}
	return n, nil
}

// DueActivations lists PENDING memberships whose activateTime is at or
// before now, oldest first (composite index: status, activateTime). orgID
// "" means every organisation; otherwise only that one (tests and manual
// runs; that shape has no production index).
func (s *Store) DueActivations(ctx context.Context, orgID string, now time.Time, limit int) ([]*MembershipDoc, error) {
	q := s.FS.Collection(MembershipsCollection).Query
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
	q := s.FS.Collection(MembershipsCollection).Query
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
	err := s.FS.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		activated = false
		m, err := s.TxMembershipDoc(tx, id)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Status != StatusPending || m.ActivateTime.After(now) {
			return nil
		}
		if err := tx.Update(s.MembershipRef(id), []firestore.Update{
			{Path: FieldStatus, Value: StatusActive},
			{Path: FieldActivateTime, Value: now},
			{Path: FieldUpdateTime, Value: now},
		}); err != nil {
			return err
		}
		activated = true
		return s.AddAudit(tx, AuditEntry{OrgID: m.OrgID, Actor: actor, Action: AuditUserActivate, Target: m.Email,
			Details: map[string]string{"expectedTime": wire.Timestamp(m.ActivateTime)}, Time: now})
	})
	if err != nil {
		return false, fmt.Errorf("activate membership %s: %w", id, err)
	}
	return activated, nil
}

// MembershipIndexes are the composite indexes the membership queries above
// need (infra/firestore.indexes.json, collection MembershipsCollection):
// DueActivations, DueProvisioning and ActiveOrgAdmins. OrgMemberships
// needs none.
func MembershipIndexes() [][]IndexField {
	return [][]IndexField{
		{{Path: "status", Order: "ASCENDING"}, {Path: "activateTime", Order: "ASCENDING"}},
		{{Path: "provision.state", Order: "ASCENDING"}, {Path: "provision.retryTime", Order: "ASCENDING"}},
		{{Path: "orgId", Order: "ASCENDING"}, {Path: "status", Order: "ASCENDING"}, {Path: "roles", Array: true}},
	}
}
