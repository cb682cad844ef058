package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
)

// AuditUserEnable is the audit action of re-enabling a disabled user.
const AuditUserEnable = "user.enable"

// EnableChange decides the re-enabling of membership m, read inside a
// transaction: it sets m's status (and, when the person's account must be
// set up again, m.Provision) and returns the audit entry (its Actor set;
// organisation, target and time are filled in) and the membership event to
// publish when provisioning starts again (nil: none). A nil audit entry
// means nothing to change. It runs again if the transaction is retried.
type EnableChange func(m *MembershipDoc) (*AuditEntry, *events.MembershipEvent, error)

// EnableMembership applies change to membership id in one transaction and
// writes its status, provisioning and update time with the audit entry
// and, when change restarts provisioning, the membership event in the
// outbox. It returns the membership as written (or as read) and the
// committed messages for outbox.Send. ErrNotFound if id does not exist.
// Reads: 1. Writes: 2 (3 with an event), or 0 when nothing changed.
func (s *Store) EnableMembership(ctx context.Context, id string, now time.Time, change EnableChange) (*MembershipDoc, []events.Message, error) {
	var (
		out  *MembershipDoc
		msgs []events.Message
	)
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		msgs = nil
		m, err := s.txMembershipDoc(tx, id)
		if err != nil {
			return err
		}
		out = m
		audit, ev, err := change(m)
		if err != nil || audit == nil {
			return err
		}
		m.UpdateTime = now
		updates := []firestore.Update{{Path: fieldStatus, Value: m.Status}, {Path: fieldUpdateTime, Value: now}}
		if ev != nil {
			msg, err := ev.Message()
			if err != nil {
				return err
			}
			msgs = []events.Message{msg}
			updates = append(updates, firestore.Update{Path: fieldProvision, Value: m.Provision})
			if err := s.putOutbox(txSet(tx), msgs); err != nil {
				return err
			}
		}
		if err := tx.Update(s.membershipRef(id), updates); err != nil {
			return err
		}
		return s.txAudit(tx, m, *audit, now)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("enable membership %s: %w", id, err)
	}
	return out, msgs, nil
}

// StartProvisioning returns a provisioning of membership membershipID
// started at now and the membership.added event that drives it, for a
// re-enabled membership whose account must be set up again. The event id
// is new, so an earlier run's late deliveries find themselves stale.
func StartProvisioning(orgID, membershipID string, now time.Time) (*Provisioning, events.MembershipEvent) {
	p := &Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: provisioning.FirstRetry(now)}
	return p, events.NewMembershipAdded(p.EventID, now, orgID, membershipID)
}
