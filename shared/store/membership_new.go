package store

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
)

// NewMember is a person being given a membership: by an admin through the
// users API, or by the support team approving an access request. Both
// store the same document and start the same provisioning.
type NewMember struct {
	OrgID       string
	Email       string // normalised
	DisplayName string
	Language    string
	Roles       []Role
	AddedBy     string
	// ActivateTime is when the membership becomes ACTIVE (PENDING until then).
	ActivateTime time.Time
}

// PendingMembership returns the PENDING membership document of n, added at
// now, with its provisioning started, and the membership.added event that
// provisions it (Auth account, welcome e-mail, activation when due).
func PendingMembership(n NewMember, now time.Time) (*MembershipDoc, events.MembershipEvent) {
	m := &MembershipDoc{
		Membership: Membership{ID: MembershipID(n.OrgID, n.Email), OrgID: n.OrgID, Email: n.Email,
			DisplayName: n.DisplayName, Language: n.Language, Status: StatusPending, ActivateTime: n.ActivateTime,
			Roles: n.Roles, AddedBy: n.AddedBy, CreateTime: now, UpdateTime: now},
	}
	var ev events.MembershipEvent
	m.Provision, ev = StartProvisioning(m.OrgID, m.ID, now)
	return m, ev
}

// StartProvisioning returns a provisioning of membership membershipID
// started at now and the membership.added event that drives it: a new
// membership's, or a re-enabled one's whose account must be set up again.
// The event id is new, so an earlier run's late deliveries find
// themselves stale.
func StartProvisioning(orgID, membershipID string, now time.Time) (*Provisioning, events.MembershipEvent) {
	p := &Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: provisioning.FirstRetry(now)}
	return p, events.NewMembershipAdded(p.EventID, now, orgID, membershipID)
}
