package access

import (
	"context"
	"slices"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Known issues. An issue is visible to support staff, and to whoever acts
// for a customer organisation that bought one of its products under a
// package that includes the Support Center: the organisation's own members
// (any role) and its current reseller's members while the customer grants
// access. Nobody else learns that it exists (404).

// Known-issue actions.
const (
	KnownIssueRead     Action = "knownIssue.read"
	KnownIssueMeToo    Action = "knownIssue.meToo"    // subscribe and open the organisation's linked case
	KnownIssuePostNote Action = "knownIssue.postNote" // post an update (support staff)
)

// IssueScope is what a person may see of known issues: every issue
// (support staff), or those touching Products.
type IssueScope struct {
	All bool
	// Products are the products of every customer the person acts for
	// with an eligible package.
	Products []string
}

// Sees reports whether an issue about productIDs is in the scope.
func (sc *IssueScope) Sees(productIDs []string) bool {
	return sc.All || slices.ContainsFunc(productIDs, func(p string) bool { return slices.Contains(sc.Products, p) })
}

// KnownIssueScope resolves a signed-in person's known-issue scope. Without
// usable access anywhere it is ACCESS_REQUIRED. Reads: the person's access
// status (memberships M, their organisations M, packages cached), plus per
// reseller membership its customers (GrantedCustomers).
func (r *Resolver) KnownIssueScope(ctx context.Context, id *auth.Identity) (*IssueScope, error) {
	st, err := r.Usable(ctx, id)
	if err != nil {
		return nil, err
	}
	rc := r.Reach(st)
	if rc.Support {
		return &IssueScope{All: true}, nil
	}
	sc := &IssueScope{}
	add := func(o *store.Org) {
		for _, p := range o.ProductIDs {
			if !slices.Contains(sc.Products, p) {
				sc.Products = append(sc.Products, p)
			}
		}
	}
	for _, o := range rc.Direct {
		if o.Kind == store.KindCustomer {
			add(o) // Direct holds only customers with an eligible package
		}
	}
	for _, rid := range rc.Resellers {
		customers, err := r.GrantedCustomers(ctx, rc, rid)
		if err != nil {
			return nil, err
		}
		for _, c := range customers {
			add(c)
		}
	}
	return sc, nil
}

// CheckKnownIssue decides a known-issue action of an actor resolved for a
// target organisation (support staff: any organisation). An issue the
// actor may not see through that organisation is NOT_FOUND.
func (a *Actor) CheckKnownIssue(action Action, productIDs []string) error {
	if a.Capacity == Support {
		switch action {
		case KnownIssueRead, KnownIssuePostNote:
			return nil
		case KnownIssuesPublish:
			return a.Check(KnownIssuesPublish)
		}
		return denied("support staff follow known issues without subscribing")
	}
	if !SubscriberMayRead(a.Org, a.Package, a.Membership.OrgID, a.Capacity, productIDs) || a.anyLevel() < levelViewer {
		return apierror.NotFound("known issue not found")
	}
	switch action {
	case KnownIssueRead:
		return nil
	case KnownIssueMeToo:
		return a.Check(CaseCreate)
	}
	return denied("only the support team can do this")
}

// SubscriberMayRead is the organisation-level rule for a known issue about
// productIDs, seen through customer org (package pkg) by a person whose
// membership is in viaOrgID with capacity: the customer is eligible and
// bought one of the products, and a reseller is still its current,
// granted reseller. The fan-out asks it for every subscriber (the
// person-level part — membership still active with a role — is re-checked
// with ResolveAddress for people whose membership changed).
func SubscriberMayRead(org *store.Org, pkg *store.Package, viaOrgID string, capacity Capacity, productIDs []string) bool {
	if org == nil || org.Kind != store.KindCustomer || pkg == nil || !pkg.SupportCenterAccess {
		return false
	}
	if !slices.ContainsFunc(productIDs, func(p string) bool { return slices.Contains(org.ProductIDs, p) }) {
		return false
	}
	switch capacity {
	case Customer:
		return viaOrgID == org.ID
	case Reseller:
		return org.ResellerID != "" && org.ResellerID == viaOrgID && org.ResellerAccess.Granted
	}
	return false
}
