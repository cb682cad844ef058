// Package access is the one place that decides who may do what. Deny by
// default: an actor may perform an action only where a rule below says so.
//
// Every request is resolved into an Actor for one target organisation
// (Resolver.Resolve): the tenant comes from the verified identity and stored
// memberships, never from the request body. Another tenant's resource is
// 404 NOT_FOUND (its existence is never revealed); the caller's own tenant
// without the needed role is 403 PERMISSION_DENIED; a signed-in person with no
// usable access at all is 403 with reason ACCESS_REQUIRED and its cause.
// How the caller signed in counts too (sso.go): an organisation's identity
// provider vouches only for that organisation's people, and an
// organisation that requires it refuses other sign-ins (SSO_REQUIRED).
package access

import (
	"slices"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Capacity is how an actor relates to the target organisation.
type Capacity string

// Capacities.
const (
	Customer Capacity = "CUSTOMER" // a member of the organisation itself
	Reseller Capacity = "RESELLER" // a member of the organisation's current reseller
	Support  Capacity = "SUPPORT"  // the vendor's support team
)

// Action is something an actor wants to do.
type Action string

// Organisation-level actions.
const (
	OrgRead              Action = "org.read"
	ProductSupportRead   Action = "org.productSupport.read"
	ResellerAccessManage Action = "org.resellerAccess.manage"
	AuditRead            Action = "org.audit.read"
	SSORead              Action = "org.sso.read" // the organisation's identity provider and SSO policy
	UsersRead            Action = "org.users.read"
	UsersManage          Action = "org.users.manage"
	CaseList             Action = "cases.list"
	CaseCreate           Action = "cases.create"
)

// Case-level actions.
const (
	CaseRead     Action = "case.read"
	CaseComment  Action = "case.comment"
	CaseUpdate   Action = "case.update" // displayName, subscribers; priority for customers
	CaseClose    Action = "case.close"
	CaseSurvey   Action = "case.survey"
	CaseUpload   Action = "case.upload"
	CaseEscalate Action = "case.escalate"
	CaseSetState Action = "case.setState" // support working states, priority
)

// Support-team actions (no target organisation needed).
const (
	SupportQueue       Action = "support.queue"
	AccessRequestsRead Action = "support.accessRequests.read"
	OrgsManage         Action = "support.orgs.manage" // organisations, packages, products, transfers
	KnownIssuesPublish Action = "support.knownIssues.publish"
	// Private resources: publish, withdraw and read who downloaded
	// (support admins); feedback: list and triage (support staff).
	ResourcesPublish      Action = "support.resources.publish"
	ResourceDownloadsRead Action = "support.resources.downloads.read"
	FeedbackRead          Action = "support.feedback.read"
	FeedbackTriage        Action = "support.feedback.triage"
)

// SSOManage is changing an organisation's identity provider and SSO policy.
// Support admins only: the provider decides who may sign in as anyone at
// the organisation's domains, its org admins included, and a broken one
// with SSO required locks everyone out but the vendor.
const SSOManage Action = "support.sso.manage"

// Role levels within a customer (or reseller) organisation.
const (
	levelNone = iota
	levelViewer
	levelMember
	levelProductAdmin
	levelOrgAdmin
)

// Actor is a verified caller resolved against one target organisation.
type Actor struct {
	Identity *auth.Identity
	Capacity Capacity
	// Org is the target organisation; nil only for support-wide actors.
	Org *store.Org
	// Package is the target customer's support package (nil for resellers'
	// and the vendor's own organisations).
	Package *store.Package
	// Membership is the one through which the actor acts: in Org (Customer),
	// in Org's reseller (Reseller) or in the vendor organisation (Support).
	Membership *store.Membership
}

// CaseRef is what the policy needs to know about a case.
type CaseRef struct {
	OrgID      string
	ProductID  string
	ResellerID string // the customer's reseller when the case was filed ("" = none)
	CreateTime time.Time
	TestCase   bool
}

// RefOf is what the policy needs to know about the stored case c.
func RefOf(c *store.Case) CaseRef {
	return CaseRef{OrgID: c.OrgID, ProductID: c.ProductID, ResellerID: c.ResellerID, CreateTime: c.CreateTime, TestCase: c.TestCase}
}

// Email is the actor's sign-in address.
func (a *Actor) Email() string { return a.Identity.Email }

// DisplayName is the name shown for the actor (as case creator, commenter
// or uploader): the membership's display name, else the e-mail — never a
// token claim, which the account holder can edit.
func (a *Actor) DisplayName() string {
	if a.Membership != nil && a.Membership.DisplayName != "" {
		return a.Membership.DisplayName
	}
	return a.Email()
}

// IsSupport reports whether the actor is vendor support staff.
func (a *Actor) IsSupport() bool { return a.Capacity == Support }

// IsSupportAdmin reports whether the actor is a support admin.
func (a *Actor) IsSupportAdmin() bool {
	return a.Capacity == Support && hasRole(a.Membership, store.RoleSupportAdmin)
}

func hasRole(m *store.Membership, role string) bool {
	if m == nil {
		return false
	}
	return slices.ContainsFunc(m.Roles, func(r store.Role) bool { return r.Role == role })
}

// level is the actor's role level for a product in its acting membership
// ("" product = the organisation as a whole: only org-wide roles count).
func (a *Actor) level(productID string) int {
	if a.Membership == nil {
		return levelNone
	}
	best := levelNone
	for _, r := range a.Membership.Roles {
		l := roleLevel(r.Role)
		if r.Role == store.RoleOrgAdmin {
			best = max(best, l)
			continue
		}
		if len(r.ProductIDs) == 0 && r.Role != store.RoleProductAdmin {
			best = max(best, l)
			continue
		}
		if productID != "" && slices.Contains(r.ProductIDs, productID) {
			best = max(best, l)
		}
	}
	return best
}

// anyLevel is the highest level the actor holds on any product.
func (a *Actor) anyLevel() int {
	if a.Membership == nil {
		return levelNone
	}
	best := levelNone
	for _, r := range a.Membership.Roles {
		best = max(best, roleLevel(r.Role))
	}
	return best
}

func roleLevel(role string) int {
	switch role {
	case store.RoleOrgAdmin:
		return levelOrgAdmin
	case store.RoleProductAdmin:
		return levelProductAdmin
	case store.RoleMember:
		return levelMember
	case store.RoleViewer:
		return levelViewer
	}
	return levelNone
}

// ReadableProducts returns the products whose cases the actor may read in
// the target organisation; nil means every product.
func (a *Actor) ReadableProducts() []string {
	if a.Capacity != Customer || a.level("") >= levelViewer {
		return nil
	}
	var out []string
	for _, r := range a.Membership.Roles {
		for _, p := range r.ProductIDs {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if out == nil {
		out = []string{} // no products at all: nothing readable
	}
	return out
}

// AdministeredProducts returns the products on which the actor may change
// other users' roles; nil means all (org admin), empty means none.
func (a *Actor) AdministeredProducts() []string {
	if a.ManagesStaff() {
		return nil
	}
	if a.Capacity != Customer {
		return []string{}
	}
	if a.level("") >= levelOrgAdmin {
		return nil
	}
	out := []string{}
	for _, r := range a.Membership.Roles {
		if r.Role == store.RoleProductAdmin {
			out = append(out, r.ProductIDs...)
		}
	}
	return out
}

// CanGrantOrgAdmin reports whether the actor may make someone org admin.
func (a *Actor) CanGrantOrgAdmin() bool {
	return a.Capacity == Customer && a.level("") >= levelOrgAdmin
}

func denied(format string, args ...any) error { return apierror.PermissionDenied(format, args...) }

// Check decides an organisation-level or support-wide action.
func (a *Actor) Check(action Action) error {
	switch a.Capacity {
	case Support:
		return a.checkSupport(action)
	case Reseller:
		return a.checkReseller(action)
	case Customer:
		return a.checkCustomer(action)
	}
	return denied("not allowed")
}

func (a *Actor) checkSupport(action Action) error {
	admin := hasRole(a.Membership, store.RoleSupportAdmin)
	switch action {
	case OrgRead, ProductSupportRead, CaseList, SupportQueue, AccessRequestsRead, UsersRead, AuditRead, SSORead, AccessReviewRead,
		FeedbackRead, FeedbackTriage:
		return nil
	case UsersManage, AccessRequestsAnswer:
		return a.checkStaffAdmin(action)
	case OrgsManage, KnownIssuesPublish, SSOManage, ResourcesPublish, ResourceDownloadsRead:
		if admin {
			return nil
		}
		return denied("only support admins may do this")
	}
	return denied("the support team cannot do this on a customer's behalf")
}

func (a *Actor) checkReseller(action Action) error {
	// Deny by default here too: a reseller membership without any role
	// (a half-written or stripped membership) acts for no customer.
	if a.anyLevel() < levelViewer {
		return denied("your role in your reseller organisation does not allow this")
	}
	switch action {
	case OrgRead, ProductSupportRead:
		return nil
	case CaseList, CaseCreate:
		if !a.Org.ResellerAccess.Granted {
			return denied("%s has not granted its reseller access to its support cases", a.Org.DisplayName)
		}
		if !a.customerEligible() {
			return denied("%s's support package does not include the Support Center", a.Org.DisplayName)
		}
		need := levelViewer
		if action == CaseCreate {
			need = levelMember
		}
		if a.anyLevel() < need {
			return denied("your role in your reseller organisation does not allow this")
		}
		return nil
	}
	return denied("resellers cannot do this for their customers")
}

func (a *Actor) checkCustomer(action Action) error {
	lvl := a.anyLevel()
	orgWide := a.level("")
	ok := false
	switch action {
	case OrgRead, ProductSupportRead, CaseList:
		ok = lvl >= levelViewer
	case CaseCreate:
		ok = lvl >= levelMember
	case UsersRead, UsersManage:
		ok = lvl >= levelProductAdmin
	case ResellerAccessManage:
		// Only a customer has a reseller to grant access to.
		ok = orgWide >= levelOrgAdmin && a.Org != nil && a.Org.Kind == store.KindCustomer
	case AuditRead:
		ok = orgWide >= levelOrgAdmin
	case SSORead:
		// Its admins read their customer organisation's SSO settings (what
		// their identity provider must be told); changing them is SSOManage.
		ok = orgWide >= levelOrgAdmin && a.Org != nil && a.Org.Kind == store.KindCustomer
	case AccessReviewRead:
		ok = orgWide >= levelOrgAdmin
	}
	if a.Org != nil && a.Org.Kind == store.KindVendor && action == UsersManage {
		return denied("only support admins manage the support team")
	}
	if a.Org != nil && a.Org.Kind != store.KindCustomer && (action == CaseList || action == CaseCreate || action == AccessReviewRead) {
		return denied("%s is not a customer organisation and has no support cases of its own", a.Org.DisplayName)
	}
	if !ok {
		return denied("your role in %s does not allow this", a.Org.DisplayName)
	}
	return nil
}

// CheckCreate decides whether the actor may file a case for a product.
func (a *Actor) CheckCreate(productID string) error {
	if err := a.Check(CaseCreate); err != nil {
		return err
	}
	if a.Capacity == Customer && a.level(productID) < levelMember {
		return denied("your role does not allow filing cases for this product")
	}
	if !slices.Contains(a.Org.ProductIDs, productID) {
		return apierror.InvalidArgument("%s has no support for product %q", a.Org.DisplayName, productID)
	}
	return nil
}

// CheckCase decides a case-level action. A case the actor may not even know
// about is NOT_FOUND; a visible case without the needed role is
// PERMISSION_DENIED.
func (a *Actor) CheckCase(action Action, c CaseRef) error {
	if a.Org == nil || c.OrgID != a.Org.ID {
		return apierror.NotFound("case not found")
	}
	switch a.Capacity {
	case Support:
		switch action {
		case CaseRead, CaseComment, CaseSetState, CaseUpload:
			return nil
		}
		return denied("only the customer can do this")
	case Reseller:
		// A reseller member without any role lists no cases (Check), so it
		// may not know of any either.
		lvl := a.anyLevel()
		if !a.resellerSees(c) || lvl < levelViewer {
			return apierror.NotFound("case not found")
		}
		return a.checkLevel(action, lvl)
	case Customer:
		lvl := a.level(c.ProductID)
		if lvl < levelViewer {
			return denied("your role does not cover this case's product")
		}
		return a.checkLevel(action, lvl)
	}
	return apierror.NotFound("case not found")
}

func (a *Actor) checkLevel(action Action, lvl int) error {
	switch action {
	case CaseRead:
		return nil
	case CaseComment, CaseUpdate, CaseClose, CaseSurvey, CaseUpload:
		if lvl >= levelMember {
			return nil
		}
		return denied("viewers can read cases but not change them")
	case CaseEscalate:
		if lvl < levelMember {
			return denied("viewers can read cases but not change them")
		}
		if a.Package == nil || !a.Package.Escalation {
			return denied("escalation is available with the Platinum support package only")
		}
		return nil
	}
	return denied("only the support team can do this")
}

// customerEligible reports whether the target customer's package includes
// the Support Center. Resolve refuses the customer's own members otherwise;
// its reseller must not act for it either.
func (a *Actor) customerEligible() bool {
	return a.Package != nil && a.Package.SupportCenterAccess
}

// resellerSees is the reseller rule: the customer's current reseller is the
// actor's organisation, the customer currently grants access, and the case
// was filed during this reseller's current term.
func (a *Actor) resellerSees(c CaseRef) bool {
	return a.Membership != nil &&
		a.customerEligible() &&
		a.Org.ResellerID != "" &&
		a.Org.ResellerID == a.Membership.OrgID &&
		a.Org.ResellerAccess.Granted &&
		c.ResellerID == a.Org.ResellerID &&
		!c.CreateTime.Before(a.Org.ResellerSince)
}

// ResellerScope returns, for a reseller actor, the filter its case lists must
// apply (cases filed via this reseller during its current term); ok is false
// for other capacities.
func (a *Actor) ResellerScope() (resellerID string, since time.Time, ok bool) {
	if a.Capacity != Reseller {
		return "", time.Time{}, false
	}
	return a.Org.ResellerID, a.Org.ResellerSince, true
}
