package access

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Causes reported with ACCESS_REQUIRED.
const (
	CauseNotAMember         = "NOT_A_MEMBER"
	CausePending            = "PENDING"
	CausePackageNotEligible = "PACKAGE_NOT_ELIGIBLE"
	CauseEmailNotVerified   = "EMAIL_NOT_VERIFIED"
	// CauseSuspended: the vendor suspended the organisation (or, acting
	// through a reseller, the reseller or the customer); nothing is
	// deleted, and access returns when support resumes it.
	CauseSuspended = "SUSPENDED"
	// CauseSSORequired is in sso.go.
)

// maxMemberships bounds how many memberships one person's lookups read.
const maxMemberships = 50

// Resolver turns a verified identity into an Actor for a target organisation.
type Resolver struct {
	Store       *store.Store
	VendorOrgID string // the support team's organisation
	Clock       clock.Clock
}

// AccessRequired is the 403 a signed-in person without usable access gets.
func AccessRequired(cause string, activateTime time.Time) *apierror.Error {
	meta := map[string]string{"cause": cause}
	msg := "You do not have access to the Support Center. "
	switch cause {
	case CausePending:
		meta["activateTime"] = wire.Timestamp(activateTime)
		msg += fmt.Sprintf("Your access is being activated and should be ready by %s.", meta["activateTime"])
	case CausePackageNotEligible:
		msg += "Your organisation's support package does not include the Support Center."
	case CauseEmailNotVerified:
		msg += "Verify your e-mail address, then sign in again."
	case CauseSSORequired:
		msg += "Your organisation requires you to sign in with its identity provider (single sign-on)."
	case CauseSuspended:
		msg += "Your organisation's access is suspended; contact the vendor's support team."
	default:
		msg += "Ask an administrator of your organisation to add you, or file an access request."
	}
	return apierror.PermissionDenied("%s", msg).WithReason(apierror.ReasonAccessRequired, meta)
}

// Resolve returns the actor for id acting on orgID, or the error the caller
// must get: ACCESS_REQUIRED (no usable access anywhere), NOT_FOUND (the
// organisation is not one the caller can act for).
//
// Reads: one batched get (organisation, own membership, vendor membership,
// and the catalogue version on a request's first resolution: 4 documents);
// one more get of 2 documents (the reseller's membership and organisation,
// which may be suspended) when acting through a reseller; a membership
// query only when access is refused (to tell "another tenant" from "no
// access").
func (r *Resolver) Resolve(ctx context.Context, id *auth.Identity, orgID string) (*Actor, error) {
	if err := RequireVerified(id); err != nil {
		return nil, err
	}
	return r.resolve(ctx, id, orgID, true)
}

// ResolveAddress is Resolve for a person known only by an address stored
// with our data — a case's creator or a subscriber an e-mail goes to — not
// by a request: consumers such as notify ask what that person may do now.
// The address proves nothing by itself; what it may do comes only from the
// memberships stored under it, which exist only for addresses provisioned
// and verified through sign-in.
func (r *Resolver) ResolveAddress(ctx context.Context, email, orgID string) (*Actor, error) {
	return r.resolve(ctx, &auth.Identity{Email: store.NormalizeEmail(email), EmailVerified: true}, orgID, false)
}

// resolve is Resolve after the verified-address gate. signIn is false for
// address resolutions, which are no sign-in: the sign-in rules of sso.go
// apply only to requests.
func (r *Resolver) resolve(ctx context.Context, id *auth.Identity, orgID string, signIn bool) (*Actor, error) {
	memberOrgs := []string{orgID}
	if orgID != r.VendorOrgID {
		memberOrgs = append(memberOrgs, r.VendorOrgID)
	}
	org, ms, err := r.Store.OrgAndMemberships(ctx, orgID, id.Email, memberOrgs...)
	if err != nil {
		return nil, apierror.Unavailable(err)
	}
	own := ms[0]
	var vendor *store.Membership
	if len(ms) > 1 {
		vendor = ms[1]
	} else {
		vendor = own
	}
	if org == nil {
		return nil, r.refuse(ctx, id, signIn)
	}
	// A token from an organisation's identity provider acts only for a
	// membership in that organisation (sso.go): never as support staff or
	// through a reseller.
	fed := signIn && federated(id.Provider)
	// Vendor support staff act on every organisation.
	if vendor != nil && vendor.Status == store.StatusActive && isStaff(vendor) && !fed {
		return r.withPackage(ctx, &Actor{Identity: id, Capacity: Support, Org: org, Membership: vendor})
	}
	if own != nil && signIn && own.Status != store.StatusDisabled {
		switch signInCause(id, org) {
		case CauseSSORequired:
			return nil, AccessRequired(CauseSSORequired, time.Time{})
		case CauseNotAMember:
			own = nil // this sign-in's identity provider does not vouch for it
		}
	}
	if own != nil {
		switch own.Status {
		case store.StatusActive:
			if org.Suspended {
				return nil, AccessRequired(CauseSuspended, time.Time{})
			}
			a, err := r.withPackage(ctx, &Actor{Identity: id, Capacity: Customer, Org: org, Membership: own})
			if err != nil {
				return nil, err
			}
			if org.Kind == store.KindCustomer && (a.Package == nil || !a.Package.SupportCenterAccess) {
				return nil, AccessRequired(CausePackageNotEligible, time.Time{})
			}
			return a, nil
		case store.StatusPending:
			// Membership in this very organisation is on its way: say when.
			return nil, AccessRequired(CausePending, own.ActivateTime)
		}
	}
	// A member of the customer's current reseller acts as that reseller.
	if org.Kind == store.KindCustomer && org.ResellerID != "" && !fed {
		// The reseller's own document comes in the same round trip: a
		// suspended reseller acts for no customer.
		rorg, rms, err := r.Store.OrgAndMemberships(ctx, org.ResellerID, id.Email, org.ResellerID)
		if err != nil {
			return nil, apierror.Unavailable(err)
		}
		if rm := rms[0]; rm != nil && rm.Status == store.StatusActive {
			if org.Suspended || rorg == nil || rorg.Suspended {
				return nil, AccessRequired(CauseSuspended, time.Time{})
			}
			return r.withPackage(ctx, &Actor{Identity: id, Capacity: Reseller, Org: org, Membership: rm})
		}
	}
	return nil, r.refuse(ctx, id, signIn)
}

// ResolveSupport returns the actor for a support-wide action (no target
// organisation), or ACCESS_REQUIRED / PERMISSION_DENIED.
func (r *Resolver) ResolveSupport(ctx context.Context, id *auth.Identity) (*Actor, error) {
	if err := RequireVerified(id); err != nil {
		return nil, err
	}
	m, err := r.Store.Membership(ctx, r.VendorOrgID, id.Email)
	if err != nil && !store.IsNotFound(err) {
		return nil, apierror.Unavailable(err)
	}
	if m != nil && m.Status == store.StatusActive && isStaff(m) && !federated(id.Provider) {
		return &Actor{Identity: id, Capacity: Support, Membership: m}, nil
	}
	if err := r.refuse(ctx, id, true); apierror.From(err).Reason() == apierror.ReasonAccessRequired {
		return nil, err
	}
	return nil, apierror.PermissionDenied("only the support team can do this")
}

// RequireVerified is the one e-mail-verified gate: memberships are keyed
// by address, so only a signed-in caller whose address the identity
// provider verified can act on one (ACCESS_REQUIRED, EMAIL_NOT_VERIFIED).
func RequireVerified(id *auth.Identity) error {
	if id == nil {
		return apierror.Unauthenticated("sign in required")
	}
	if id.Email == "" || !id.EmailVerified {
		return AccessRequired(CauseEmailNotVerified, time.Time{})
	}
	return nil
}

// MembershipCapacity is the capacity a membership gives in its own
// organisation, as Resolve decides it there: Support for active support
// staff of the vendor organisation, Customer for everyone else (a vendor
// member without a staff role is a plain member of the vendor organisation).
func (r *Resolver) MembershipCapacity(m *store.Membership) Capacity {
	if m != nil && m.OrgID == r.VendorOrgID && m.Status == store.StatusActive && isStaff(m) {
		return Support
	}
	return Customer
}

func isStaff(m *store.Membership) bool {
	return hasRole(m, store.RoleSupportAgent) || hasRole(m, store.RoleSupportAdmin)
}

func (r *Resolver) withPackage(ctx context.Context, a *Actor) (*Actor, error) {
	if a.Org == nil || a.Org.Kind != store.KindCustomer || a.Org.PackageID == "" {
		return a, nil
	}
	p, err := r.Store.Package(ctx, a.Org.PackageID)
	if err != nil && !store.IsNotFound(err) {
		return nil, apierror.Unavailable(err)
	}
	a.Package = p
	return a, nil
}

// refuse explains a refusal: NOT_FOUND when the caller can act for some
// organisation (so another tenant's existence is not revealed), otherwise
// ACCESS_REQUIRED with the most useful cause.
func (r *Resolver) refuse(ctx context.Context, id *auth.Identity, signIn bool) error {
	st, err := r.status(ctx, id, signIn)
	if err != nil {
		return err
	}
	if st.Usable {
		return apierror.NotFound("not found")
	}
	return AccessRequired(st.Cause, st.ActivateTime)
}

// AccessStatus summarises a person's memberships.
type AccessStatus struct {
	Usable       bool // at least one membership grants access now
	Cause        string
	ActivateTime time.Time // earliest pending activation
	Memberships  []*store.Membership
	Orgs         map[string]*store.Org
	Packages     map[string]*store.Package
}

// Status reads every membership of id and the organisations and packages
// behind them, to explain what access the person has (the account switcher
// and the ACCESS_REQUIRED cause both come from here).
//
// A caller whose address is not verified gets only that cause, without a
// read: nothing about memberships under an unproven address is told.
// Memberships this sign-in cannot use (sso.go) are left out of
// Memberships; one refused for SSO gives the cause SSO_REQUIRED unless
// another membership is usable. Someone without any membership costs one
// more read: the organisation owning the address's domain, whose SSO
// policy applies to everyone at it (SSO_REQUIRED before NOT_A_MEMBER).
func (r *Resolver) Status(ctx context.Context, id *auth.Identity) (*AccessStatus, error) {
	return r.status(ctx, id, true)
}

func (r *Resolver) status(ctx context.Context, id *auth.Identity, signIn bool) (*AccessStatus, error) {
	if err := RequireVerified(id); err != nil {
		if apierror.From(err).Reason() != apierror.ReasonAccessRequired {
			return nil, err
		}
		return &AccessStatus{Cause: CauseEmailNotVerified, Orgs: map[string]*store.Org{}, Packages: map[string]*store.Package{}}, nil
	}
	ms, err := r.Store.MembershipsByEmail(ctx, id.Email, maxMemberships)
	if err != nil {
		return nil, apierror.Unavailable(err)
	}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.OrgID)
	}
	orgs, err := r.Store.Orgs(ctx, ids)
	if err != nil {
		return nil, apierror.Unavailable(err)
	}
	st := &AccessStatus{Cause: CauseNotAMember, Orgs: orgs, Packages: map[string]*store.Package{}}
	sawIneligible, sawSSO, sawSuspended := false, false, false
	for _, m := range ms {
		org := orgs[m.OrgID]
		if org != nil && signIn && m.Status != store.StatusDisabled {
			switch signInCause(id, org) {
			case CauseSSORequired:
				sawSSO = true
				continue
			case CauseNotAMember:
				continue
			}
		}
		st.Memberships = append(st.Memberships, m)
		if org == nil {
			continue
		}
		switch m.Status {
		case store.StatusPending:
			if st.ActivateTime.IsZero() || m.ActivateTime.Before(st.ActivateTime) {
				st.ActivateTime = m.ActivateTime
			}
		case store.StatusActive:
			if org.Suspended && org.ID != r.VendorOrgID {
				sawSuspended = true
				continue
			}
			if org.Kind != store.KindCustomer {
				st.Usable = true
				continue
			}
			p, err := r.Store.Package(ctx, org.PackageID)
			if err != nil && !store.IsNotFound(err) {
				return nil, apierror.Unavailable(err)
			}
			if p != nil {
				st.Packages[p.ID] = p
			}
			if p != nil && p.SupportCenterAccess {
				st.Usable = true
			} else {
				sawIneligible = true
			}
		}
	}
	if signIn && len(ms) == 0 {
		// No membership, so no organisation was read: one query for the
		// organisation that owns the address's domain tells whether it
		// requires SSO of everyone there, members or not.
		org, err := r.Store.OrgByDomain(ctx, domainOf(id.Email))
		if err != nil {
			return nil, apierror.Unavailable(err)
		}
		sawSSO = org != nil && signInCause(id, org) == CauseSSORequired
	}
	switch {
	case st.Usable:
		st.Cause = ""
	case sawSSO:
		st.Cause = CauseSSORequired
	case !st.ActivateTime.IsZero():
		st.Cause = CausePending
	case sawSuspended:
		st.Cause = CauseSuspended
	case sawIneligible:
		st.Cause = CausePackageNotEligible
	}
	return st, nil
}

// Usable is Status for callers that need usable access somewhere: without
// it they get ACCESS_REQUIRED with the cause.
func (r *Resolver) Usable(ctx context.Context, id *auth.Identity) (*AccessStatus, error) {
	st, err := r.Status(ctx, id)
	if err != nil {
		return nil, err
	}
	if !st.Usable {
		return nil, AccessRequired(st.Cause, st.ActivateTime)
	}
	return st, nil
}

// Reach is every organisation a person can act for, derived from their
// AccessStatus with the precedence Resolve applies to one organisation:
// support staff act for every organisation; otherwise an active membership
// acts for its own organisation (a customer's only when its package is
// eligible), and an active membership in a reseller acts for that
// reseller's current customers, except a customer where the person's own
// membership is active or pending (that membership decides instead).
type Reach struct {
	// Support is set for active support staff: every organisation, capacity Support.
	Support bool
	// Direct are the organisations of active, usable memberships (capacity Customer).
	Direct []*store.Org
	// Resellers are the reseller organisations whose customers the person
	// acts for (capacity Reseller; list them, then filter with ResellerFor).
	Resellers []string

	own map[string]bool // organisations where the person's own membership decides
}

// Reach derives a person's Reach from their status (no reads).
func (r *Resolver) Reach(st *AccessStatus) *Reach {
	rc := &Reach{own: map[string]bool{}}
	for _, m := range st.Memberships {
		org := st.Orgs[m.OrgID]
		if org == nil {
			continue
		}
		switch m.Status {
		case store.StatusPending:
			rc.own[org.ID] = true
		case store.StatusActive:
			rc.own[org.ID] = true
			if org.Suspended && org.ID != r.VendorOrgID {
				continue // its people act for nothing, not even through it
			}
			if org.ID == r.VendorOrgID && isStaff(m) {
				rc.Support = true
			}
			if org.Kind == store.KindCustomer {
				if p := st.Packages[org.PackageID]; p == nil || !p.SupportCenterAccess {
					continue
				}
			}
			rc.Direct = append(rc.Direct, org)
			if org.Kind == store.KindReseller {
				rc.Resellers = append(rc.Resellers, org.ID)
			}
		}
	}
	return rc
}

// ResellerFor reports whether the person acts for customer c through one
// of their reseller memberships.
func (rc *Reach) ResellerFor(c *store.Org) bool {
	return c.Kind == store.KindCustomer && c.ResellerID != "" && !rc.own[c.ID] && !c.Suspended &&
		slices.Contains(rc.Resellers, c.ResellerID)
}

// maxResellerCustomers bounds how many customers of one reseller are read
// to find those a reseller's member acts for (known-issue scope, private
// resources).
const maxResellerCustomers = 500

// GrantedCustomers returns the customers of reseller resellerID that the
// person acts for through it right now: the reseller is their current
// reseller, access is granted, and the customer's package includes the
// Support Center. Reads: the reseller's customers (≤ 500, one read each,
// one if none) in pages of 100; packages are cached.
func (r *Resolver) GrantedCustomers(ctx context.Context, rc *Reach, resellerID string) ([]*store.Org, error) {
	const page = 100
	var out []*store.Org
	after := ""
	for read := 0; read < maxResellerCustomers; {
		cs, err := r.Store.CustomersPage(ctx, resellerID, after, page)
		if err != nil {
			return nil, apierror.Unavailable(err)
		}
		for _, c := range cs {
			if !rc.ResellerFor(c) || !c.ResellerAccess.Granted {
				continue
			}
			p, err := r.Store.Package(ctx, c.PackageID)
			if err != nil && !store.IsNotFound(err) {
				return nil, apierror.Unavailable(err)
			}
			if p != nil && p.SupportCenterAccess {
				out = append(out, c)
			}
		}
		if len(cs) < page {
			break
		}
		read += len(cs)
		after = cs[len(cs)-1].ID
	}
	return out, nil
}
