package orgs

import (
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// AccessReview is who can read an organisation's support cases right now,
// and why (GET /v2/organizations/{org}/accessReview).
type AccessReview struct {
	Name         string `json:"name"` // organizations/{org}/accessReview
	Organization string `json:"organization"`
	ReviewTime   string `json:"reviewTime"`
	// SupportCenterAccess is false when the organisation's package does not
	// include the Support Center: then nobody but support reads its cases.
	SupportCenterAccess bool `json:"supportCenterAccess"`
	// Members read the organisation's cases now, within their scope.
	Members []ReviewMember `json:"members"`
	// PendingMembers will read them once activated, at activateTime.
	PendingMembers []ReviewMember `json:"pendingMembers"`
	// Reseller is the current reseller; its people are listed only while
	// the organisation grants it access.
	Reseller *ReviewReseller `json:"reseller,omitempty"`
	// Support is the vendor's support team, which reads every case.
	Support ReviewSupport `json:"support"`
	// Truncated is set when the organisation or its reseller has more
	// people than one review lists.
	Truncated bool `json:"truncated,omitempty"`
}

// ReviewMember is one person and why they can read.
type ReviewMember struct {
	User        string       `json:"user"` // organizations/{org}/users/{user}
	Email       string       `json:"email"`
	DisplayName string       `json:"displayName,omitempty"`
	Roles       []store.Role `json:"roles"`
	// Scope is ALL_PRODUCTS, or PRODUCTS with productIds; for reseller
	// people RESELLER_TERM: the cases filed through the reseller since
	// its term began.
	Scope        string   `json:"scope,omitempty"`
	ProductIDs   []string `json:"productIds,omitempty"`
	ActivateTime string   `json:"activateTime,omitempty"`
}

// ReviewReseller is the customer's reseller and its grant.
type ReviewReseller struct {
	Organization  string `json:"organization"`
	DisplayName   string `json:"displayName,omitempty"`
	Since         string `json:"since,omitempty"` // its current term began
	AccessGranted bool   `json:"accessGranted"`
	GrantTime     string `json:"grantTime,omitempty"`
	// People act for the customer on the cases filed through the reseller
	// since Since; empty while access is not granted.
	People []ReviewMember `json:"people"`
}

// ReviewSupport describes the vendor's support team as a class.
type ReviewSupport struct {
	Organization string   `json:"organization"`
	Roles        []string `json:"roles"`
	Description  string   `json:"description"`
}

// Review scopes.
const (
	scopeAll      = "ALL_PRODUCTS"
	scopeProducts = "PRODUCTS"
	scopeReseller = "RESELLER_TERM"
)

// accessReview serves GET /v2/organizations/{org}/accessReview: the
// customer's org admins and support staff see everyone who can read the
// organisation's cases now — members with role and scope, pending members
// with their activation time, the reseller (and, while access is granted,
// its people and since when), and the vendor's support team as a class.
// access.Resolver.Review derives it with the policy that decides requests.
//
// Reads: resolve (4) + the organisation's memberships (≥ 1) + with a
// reseller, the reseller (1) and its memberships (≥ 1); the package is
// cached. Writes: 0.
func (h *Handler) accessReview(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "")
	if err != nil {
		return err
	}
	if a.Org.Kind != store.KindCustomer && a.IsSupport() {
		return apierror.FailedPrecondition("%s is not a customer organization and has no support cases", a.Org.DisplayName)
	}
	if err := a.Check(access.AccessReviewRead); err != nil {
		return err
	}
	rv, err := h.deps.Resolver.Review(r.Context(), a.Org)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, h.reviewView(rv))
}

func (h *Handler) reviewView(rv *access.Review) AccessReview {
	out := AccessReview{Name: wire.OrgName(rv.Org.ID) + "/accessReview", Organization: wire.OrgName(rv.Org.ID),
		ReviewTime: wire.Timestamp(h.deps.Clock.Now()), SupportCenterAccess: rv.Package != nil && rv.Package.SupportCenterAccess,
		Members: []ReviewMember{}, PendingMembers: []ReviewMember{}, Truncated: rv.Truncated,
		Support: ReviewSupport{Organization: wire.OrgName(h.deps.Config.VendorOrgID),
			Roles:       []string{store.RoleSupportAgent, store.RoleSupportAdmin},
			Description: "The vendor's support team reads and answers every case of every customer."}}
	for _, e := range rv.Members {
		m := reviewMember(e.Membership)
		m.Scope = scopeAll
		if e.Products != nil {
			m.Scope, m.ProductIDs = scopeProducts, e.Products
		}
		out.Members = append(out.Members, m)
	}
	for _, p := range rv.Pending {
		m := reviewMember(p)
		m.ActivateTime = wire.Timestamp(p.ActivateTime)
		out.PendingMembers = append(out.PendingMembers, m)
	}
	if rs := rv.Reseller; rs != nil {
		v := &ReviewReseller{Organization: wire.OrgName(rs.ID), Since: wire.Timestamp(rs.Since),
			AccessGranted: rs.AccessGranted, GrantTime: wire.Timestamp(rs.GrantTime), People: []ReviewMember{}}
		if rs.Org != nil {
			v.DisplayName = rs.Org.DisplayName
		}
		for _, p := range rs.People {
			m := reviewMember(p)
			m.Scope = scopeReseller
			v.People = append(v.People, m)
		}
		out.Reseller = v
	}
	return out
}

func reviewMember(m *store.Membership) ReviewMember {
	roles := m.Roles
	if roles == nil {
		roles = []store.Role{}
	}
	return ReviewMember{User: wire.UserName(m.OrgID, strings.TrimPrefix(m.ID, m.OrgID+"_")), Email: m.Email,
		DisplayName: m.DisplayName, Roles: roles}
}
