package store

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
)

// NewMember is a person an admin adds to an organisation: through the users
// API, or as a new organisation's first admin.
type NewMember struct {
	OrgID, Email, DisplayName, Language string
	Roles                               []Role
	AddedBy                             string    // who added them (e-mail)
	ActivateTime                        time.Time // when the membership becomes ACTIVE
}

// PendingMembership is the one shape of an added person: a PENDING
// membership whose provisioning waits for its membership.added event (the
// provision function creates the Auth account and sends the welcome
// e-mail; the activate-users sweep activates it at ActivateTime and
// re-drives provisioning that never completed). It returns the document
// and the event to write with it (AddMembership, CreateOrg).
func PendingMembership(n NewMember, now time.Time) (*MembershipDoc, events.MembershipEvent) {
	email := NormalizeEmail(n.Email)
	m := &MembershipDoc{
		Membership: Membership{ID: MembershipID(n.OrgID, email), OrgID: n.OrgID, Email: email,
			DisplayName: n.DisplayName, Language: n.Language, Status: StatusPending, ActivateTime: n.ActivateTime,
			Roles: n.Roles, AddedBy: n.AddedBy, CreateTime: now, UpdateTime: now},
		Provision: &Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: provisioning.FirstRetry(now)},
	}
	ev := events.NewMembershipAdded(m.Provision.EventID, now, n.OrgID, m.ID)
	return m, ev
}
