package access

// The support team's own administration, answers to access requests and
// the access review. The vendor organisation's users are the support
// staff: its support admins add them, grant SUPPORT_AGENT and
// SUPPORT_ADMIN, disable, enable and remove them; nobody else does (a
// vendor member without a staff role acts as a plain member and may not).

// Actions added for staff administration, access requests and reviews.
const (
	// AccessRequestsAnswer: approve or reject an access request (support
	// staff; into the vendor organisation, support admins only).
	AccessRequestsAnswer Action = "support.accessRequests.answer"
	// AccessReviewRead: who can read a customer's cases and why (the
	// customer's org admins, support staff).
	AccessReviewRead Action = "org.accessReview.read"
)

// ManagesStaff reports whether the actor is a support admin acting on the
// vendor organisation itself: the one actor who adds support staff and
// grants the support roles.
func (a *Actor) ManagesStaff() bool {
	return a.IsSupportAdmin() && a.Org != nil && a.Membership != nil && a.Org.ID == a.Membership.OrgID
}

// AdministersUsers reports whether the actor may add, disable, enable and
// remove the target organisation's users: a customer's or reseller's org
// admins, and the vendor organisation's support admins.
func (a *Actor) AdministersUsers() bool { return a.CanGrantOrgAdmin() || a.ManagesStaff() }

// checkStaffAdmin decides, for support staff, the actions that touch the
// vendor organisation's membership: managing users there needs a support
// admin, elsewhere the support team never manages a customer's users;
// answering an access request is any staff member's, except that only
// support admins let someone into the vendor organisation.
func (a *Actor) checkStaffAdmin(action Action) error {
	own := a.Org != nil && a.Membership != nil && a.Org.ID == a.Membership.OrgID
	switch action {
	case UsersManage:
		if !own {
			return denied("the support team cannot do this on a customer's behalf")
		}
		if !a.ManagesStaff() {
			return denied("only support admins manage the support team")
		}
		return nil
	case AccessRequestsAnswer:
		if own && !a.IsSupportAdmin() {
			return denied("only support admins add support staff")
		}
		return nil
	}
	return denied("not allowed")
}
