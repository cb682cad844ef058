// Package me is the "me" HTTP function: who the signed-in caller is, which
// organisations they can act for, in what capacity (the account switcher),
// and their own profile.
//
//	GET   /v2/me  identity, access summary, organisations, profile
//	PATCH /v2/me  change the profile: displayName, language (en, ko),
//	              notificationPreference (ALL, NONE)
//
// The profile belongs to the person (profiles/{MembershipKey(email)}), not
// to a membership: it applies in every organisation, and a person without
// access yet may set it too (their language applies to what they are told).
package me

import (
	"context"
	"net/http"
	"slices"
	"sync"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.HTTP("me", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("me", Build)

// Build returns the function's HTTP handler over the runtime's dependencies.
func Build(_ context.Context, deps *runtime.Deps, _ runtime.NoConfig) (http.Handler, error) {
	return New(deps).Routes(), nil
}

// Handler serves /v2/me.
type Handler struct{ deps *runtime.Deps }

// New returns a Handler over deps.
func New(deps *runtime.Deps) *Handler { return &Handler{deps: deps} }

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v2/me", httpapi.Methods{"GET": h.deps.Handle(h.get), "PATCH": h.deps.Handle(h.patch)})
	mux.Handle("/", httpapi.NotFoundHandler())
	return h.deps.Wrap(mux, 0)
}

// Me is the response of GET /v2/me.
type Me struct {
	UID           string         `json:"uid"`
	Email         string         `json:"email"`
	EmailVerified bool           `json:"emailVerified"`
	DisplayName   string         `json:"displayName,omitempty"`
	Access        AccessSummary  `json:"access"`
	Organizations []Organization `json:"organizations"`
	Profile       Profile        `json:"profile"`
}

// AccessSummary says whether the caller can use the Support Center and, if
// not, why (the same cause ACCESS_REQUIRED errors carry).
type AccessSummary struct {
	Usable       bool   `json:"usable"`
	Cause        string `json:"cause,omitempty"`
	ActivateTime string `json:"activateTime,omitempty"`
}

// Organization is one entry of the account switcher.
type Organization struct {
	Name         string       `json:"name"` // organizations/{id}
	DisplayName  string       `json:"displayName"`
	Kind         string       `json:"kind"`
	Capacity     string       `json:"capacity"` // CUSTOMER | RESELLER | SUPPORT
	Status       string       `json:"status"`   // membership status
	ActivateTime string       `json:"activateTime,omitempty"`
	Roles        []store.Role `json:"roles"`
	// For customers reached through their reseller: whether the customer
	// currently grants the reseller access to its cases.
	ResellerAccessGranted *bool `json:"resellerAccessGranted,omitempty"`
}

// maxCustomers bounds the reseller customers listed per reseller here; the
// complete, paginated list is GET /v2/organizations.
const maxCustomers = 200

func membershipIn(st *access.AccessStatus, orgID string) *store.Membership {
	for _, m := range st.Memberships {
		if m.OrgID == orgID {
			return m
		}
	}
	return &store.Membership{}
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	// The access status and the profile are independent reads: one round
	// trip instead of two (and both beside a pending account check).
	var (
		id *auth.Identity
		st *access.AccessStatus
		p  *store.Profile
	)
	_, err := runtime.Read(h.deps, r, func(ctx context.Context, caller *auth.Identity) (struct{}, error) {
		id = caller
		var (
			profErr error
			wg      sync.WaitGroup
		)
		wg.Go(func() { p, profErr = h.deps.Store.Profile(ctx, caller.Email) })
		var err error
		st, err = h.deps.Resolver.Status(ctx, caller)
		wg.Wait()
		if err != nil {
			return struct{}{}, err
		}
		if profErr != nil {
			return struct{}{}, apierror.From(profErr)
		}
		return struct{}{}, nil
	})
	if err != nil {
		return err
	}
	// Status tells an unverified caller only that cause: no organisations,
	// roles or activation times.
	out := Me{UID: id.UID, Email: id.Email, EmailVerified: id.EmailVerified,
		Access: AccessSummary{Usable: st.Usable, Cause: st.Cause}, Organizations: []Organization{},
		Profile: toProfile(p)}
	if out.Profile.DisplayName != "" {
		out.DisplayName = out.Profile.DisplayName
	}
	if !st.ActivateTime.IsZero() {
		out.Access.ActivateTime = wire.Timestamp(st.ActivateTime)
	}
	for _, m := range st.Memberships {
		org := st.Orgs[m.OrgID]
		if org == nil || m.Status == store.StatusDisabled {
			continue
		}
		capacity := h.deps.Resolver.MembershipCapacity(m)
		entry := Organization{Name: wire.OrgName(org.ID), DisplayName: org.DisplayName, Kind: org.Kind,
			Capacity: string(capacity), Status: m.Status, Roles: m.Roles}
		if m.Status == store.StatusPending {
			entry.ActivateTime = wire.Timestamp(m.ActivateTime)
		}
		out.Organizations = append(out.Organizations, entry)
	}
	// Reseller members also act for their resellers' customers, with the
	// precedence the access package applies (access.Reach): a customer where
	// the person has their own membership is listed once, as that membership.
	reach := h.deps.Resolver.Reach(st)
	for _, rid := range reach.Resellers {
		customers, err := h.deps.Store.CustomersOf(r.Context(), rid, maxCustomers)
		if err != nil {
			return apierror.From(err)
		}
		roles := membershipIn(st, rid).Roles
		for _, c := range customers {
			if !reach.ResellerFor(c) {
				continue
			}
			granted := c.ResellerAccess.Granted
			out.Organizations = append(out.Organizations, Organization{Name: wire.OrgName(c.ID),
				DisplayName: c.DisplayName, Kind: c.Kind, Capacity: string(access.Reseller),
				Status: store.StatusActive, Roles: roles, ResellerAccessGranted: &granted})
		}
	}
	slices.SortStableFunc(out.Organizations, func(a, b Organization) int {
		if a.Capacity != b.Capacity {
			return capOrder(a.Capacity) - capOrder(b.Capacity)
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

func capOrder(c string) int {
	switch access.Capacity(c) {
	case access.Customer:
		return 0
	case access.Reseller:
		return 1
	}
	return 2
}
