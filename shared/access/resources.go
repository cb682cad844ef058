package access

import (
	"context"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Private resources are not scoped by an organisation in the URL: a
// resource is published for products and the support packages entitled to
// them, and a person sees it through any organisation they act for that
// bought one of those products under one of those packages:
//
//   - a customer's member (any role) through their own organisation, when
//     its package includes the Support Center;
//   - a reseller's member (any role) through each current customer that
//     grants its reseller access (and whose package includes the Support
//     Center), as for that customer's cases;
//   - support staff see every resource in every state.
//
// Anyone else gets 404 for a resource (its existence is not revealed) and
// an empty list; a signed-in person without usable access anywhere gets
// ACCESS_REQUIRED, as elsewhere.

// Entitled is what one person may see of the private resources.
type Entitled struct {
	Identity *auth.Identity
	// Support is set for active support staff (every resource, every state).
	Support bool
	// Staff is the support-wide actor when Support is set (Check tells
	// agents from admins).
	Staff  *Actor
	vendor string
	// via maps each entitlement key (store.Entitlement) to the first
	// organisation (by id) it comes through.
	via map[string]Via
}

// Via is the organisation an entitlement comes through: OrgID the
// entitled customer, ViaOrgID the person's own organisation when that is
// another (their reseller; the vendor organisation for support staff).
type Via struct {
	OrgID    string
	ViaOrgID string
}

// ResourceRef is what the policy needs to know about a resource.
type ResourceRef struct {
	ProductIDs []string
	PackageIDs []string
	// Ready: READY (customers see nothing else).
	Ready bool
}

// Entitled resolves what id may see of the private resources.
//
// Reads: the person's status (memberships M ≥ 1, their organisations M;
// packages are cached), plus for each reseller membership its customers
// (≤ 500, one read each, one if none).
func (r *Resolver) Entitled(ctx context.Context, id *auth.Identity) (*Entitled, error) {
	st, err := r.Usable(ctx, id)
	if err != nil {
		return nil, err
	}
	reach := r.Reach(st)
	e := &Entitled{Identity: id, vendor: r.VendorOrgID, via: map[string]Via{}}
	if reach.Support {
		e.Support = true
		for _, m := range st.Memberships {
			if m.OrgID == r.VendorOrgID {
				e.Staff = &Actor{Identity: id, Capacity: Support, Membership: m}
			}
		}
		return e, nil
	}
	byOrg := map[string]*store.Membership{}
	for _, m := range st.Memberships {
		if m.Status == store.StatusActive {
			byOrg[m.OrgID] = m
		}
	}
	for _, o := range reach.Direct {
		if o.Kind != store.KindCustomer || !hasAnyRole(byOrg[o.ID]) {
			continue
		}
		e.add(o, Via{OrgID: o.ID})
	}
	for _, rid := range reach.Resellers {
		if !hasAnyRole(byOrg[rid]) {
			continue
		}
		customers, err := r.GrantedCustomers(ctx, reach, rid)
		if err != nil {
			return nil, err
		}
		for _, c := range customers {
			e.add(c, Via{OrgID: c.ID, ViaOrgID: rid})
		}
	}
	return e, nil
}

// hasAnyRole: a membership without any role acts for nothing.
func hasAnyRole(m *store.Membership) bool {
	return (&Actor{Membership: m}).anyLevel() >= levelViewer
}

func (e *Entitled) add(o *store.Org, v Via) {
	if o.PackageID == "" {
		return
	}
	for _, p := range o.ProductIDs {
		k := store.Entitlement(o.PackageID, p)
		if cur, ok := e.via[k]; !ok || v.OrgID < cur.OrgID {
			e.via[k] = v
		}
	}
}

// Keys returns the entitlement keys to list resources with (sorted),
// narrowed to one product when productID is not "". Nil for support staff
// (no restriction); empty, not nil, when nothing is entitled.
func (e *Entitled) Keys(productID string) []string {
	if e.Support {
		return nil
	}
	out := []string{}
	for k := range e.via {
		if productID == "" || strings.HasSuffix(k, "/"+productID) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// CheckRead decides whether the person may see (and download) a resource:
// the organisation it comes through, or NOT_FOUND.
func (e *Entitled) CheckRead(ref ResourceRef) (Via, error) {
	if e.Support {
		return Via{OrgID: e.vendor}, nil
	}
	if ref.Ready {
		var keys []string
		for _, k := range store.ResourceEntitlements(ref.PackageIDs, ref.ProductIDs) {
			if _, ok := e.via[k]; ok {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			// The same organisation for the same resource every time.
			best := e.via[keys[0]]
			for _, k := range keys[1:] {
				if v := e.via[k]; v.OrgID < best.OrgID {
					best = v
				}
			}
			return best, nil
		}
	}
	return Via{}, apierror.NotFound("resource not found")
}

// CheckSupport decides a support-wide action on resources (publishing,
// withdrawing, reading downloads): PERMISSION_DENIED for everyone but the
// staff the action is for. A customer or reseller who may see the
// resource learns nothing more from the refusal.
func (e *Entitled) CheckSupport(action Action) error {
	if !e.Support || e.Staff == nil {
		return apierror.PermissionDenied("only the support team can do this")
	}
	return e.Staff.Check(action)
}
