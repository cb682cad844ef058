package access

import (
	"context"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

// An access review answers, for one customer, "who can read our cases
// right now, and why". It is derived here, from the same Actor and the same
// rules a request is decided with (Check, ReadableProducts, ResellerScope),
// with Resolve's precedence between capacities, so the list cannot
// disagree with what the API enforces.

// reviewMaxPeople bounds the memberships one review reads per
// organisation (the customer's and its reseller's).
const reviewMaxPeople = 2000

// reviewPage is how many memberships one query reads.
const reviewPage = 500

// Review is who can read an organisation's cases now, and why.
type Review struct {
	Org     *store.Org
	Package *store.Package
	// Members are the organisation's own people who read its cases now,
	// each with the products they read (nil: every product).
	Members []ReviewEntry
	// Pending are members who will read once activated (not yet).
	Pending []*store.Membership
	// Reseller is the customer's current reseller (nil: none).
	Reseller *ReviewReseller
	// Truncated is set when an organisation had more than the memberships
	// one review reads.
	Truncated bool
}

// ReviewEntry is one person who reads the organisation's cases.
type ReviewEntry struct {
	Membership *store.Membership
	// Products are the products whose cases the person reads; nil: all.
	Products []string
}

// ReviewReseller is the customer's reseller and, while the customer grants
// it access, its people who act for the customer.
type ReviewReseller struct {
	Org           *store.Org // nil when the reseller's document is missing
	ID            string
	Since         time.Time // start of its current term
	AccessGranted bool
	GrantTime     time.Time
	// People read the cases filed through this reseller since Since (the
	// reseller rule); empty while access is not granted.
	People []*store.Membership
}

// Review builds org's access review. The caller has checked
// AccessReviewRead.
//
// Reads: the organisation's memberships (one per document, at least 1) +
// its package (cached) + when it has a reseller, the reseller (1) and its
// memberships (at least 1).
func (r *Resolver) Review(ctx context.Context, org *store.Org) (*Review, error) {
	rv := &Review{Org: org}
	if org.PackageID != "" {
		p, err := r.Store.Package(ctx, org.PackageID)
		if err != nil && !store.IsNotFound(err) {
			return nil, apierror.Unavailable(err)
		}
		rv.Package = p
	}
	own, truncated, err := r.allMemberships(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	rv.Truncated = truncated
	// Resolve lets a member of a customer whose package does not include
	// the Support Center read nothing (ACCESS_REQUIRED), nor its reseller.
	eligible := rv.Package != nil && rv.Package.SupportCenterAccess
	decided := map[string]bool{} // addresses whose own membership decides (Reach.own)
	for _, m := range own {
		switch m.Status {
		case store.StatusPending:
			decided[m.Email] = true
			rv.Pending = append(rv.Pending, m)
		case store.StatusActive:
			decided[m.Email] = true
			a := &Actor{Capacity: Customer, Org: org, Package: rv.Package, Membership: m}
			if r.MembershipCapacity(m) == Support {
				a.Capacity = Support // staff of the vendor reviewing itself: no cases anyway
			}
			if !eligible || a.Check(CaseList) != nil {
				continue
			}
			products := a.ReadableProducts()
			if products != nil && len(products) == 0 {
				continue // roles on no product: reads nothing
			}
			rv.Members = append(rv.Members, ReviewEntry{Membership: m, Products: products})
		}
	}
	if org.Kind != store.KindCustomer || org.ResellerID == "" {
		return rv, nil
	}
	rs := &ReviewReseller{ID: org.ResellerID, Since: org.ResellerSince, AccessGranted: org.ResellerAccess.Granted,
		GrantTime: org.ResellerAccess.GrantTime}
	rv.Reseller = rs
	ro, err := r.Store.Org(ctx, org.ResellerID)
	if err != nil && !store.IsNotFound(err) {
		return nil, apierror.Unavailable(err)
	}
	rs.Org = ro
	people, truncated, err := r.allMemberships(ctx, org.ResellerID)
	if err != nil {
		return nil, err
	}
	rv.Truncated = rv.Truncated || truncated
	for _, m := range people {
		if m.Status != store.StatusActive || decided[m.Email] {
			continue
		}
		a := &Actor{Capacity: Reseller, Org: org, Package: rv.Package, Membership: m}
		if a.Check(CaseList) == nil {
			rs.People = append(rs.People, m)
		}
	}
	return rv, nil
}

// allMemberships reads orgID's memberships, at most reviewMaxPeople.
func (r *Resolver) allMemberships(ctx context.Context, orgID string) ([]*store.Membership, bool, error) {
	var out []*store.Membership
	after := ""
	for len(out) < reviewMaxPeople {
		page, err := r.Store.OrgMemberships(ctx, orgID, after, reviewPage)
		if err != nil {
			return nil, false, apierror.Unavailable(err)
		}
		for _, m := range page {
			mm := m.Membership
			out = append(out, &mm)
		}
		if len(page) < reviewPage {
			return out, false, nil
		}
		after = page[len(page)-1].ID
	}
	return out, true, nil
}
