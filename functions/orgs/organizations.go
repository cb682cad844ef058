package orgs

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// listKey is the page-token key of organizations.list.
const listKey = "organizations"

// entry is an organisation the caller can act for, and how.
type entry struct {
	org      *store.Org
	capacity access.Capacity
}

// list serves GET /v2/organizations?pageSize=&pageToken= : the
// organisations the caller can act for, ordered by id. Support staff see
// all; a customer's member sees its own; a reseller's member sees its own
// and the reseller's current customers. Without usable access anywhere:
// 403 ACCESS_REQUIRED with the cause.
//
// Reads: memberships M (≥ 1) + their organisations M, then for staff
// ≤ pageSize+1 organisations, or ≤ pageSize+1 customers per reseller
// membership (≥ 1 each). Writes: 0.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	if err := access.RequireVerified(id); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	tok, _, err := decodeToken(r, listKey)
	if err != nil {
		return err
	}
	ctx := r.Context()
	st, err := h.deps.Resolver.Usable(ctx, id)
	if err != nil {
		return err
	}
	reach := h.deps.Resolver.Reach(st)
	var page []entry
	var next string
	if reach.Support {
		orgs, err := h.deps.Store.OrgsPage(ctx, tok.ID, size+1)
		if err != nil {
			return apierror.From(err)
		}
		var cands []entry
		for _, o := range orgs {
			cands = append(cands, entry{o, access.Support})
		}
		page, next = paginate(cands, size)
	} else {
		page, next, err = h.reachable(ctx, reach, tok.ID, size)
		if err != nil {
			return err
		}
	}
	catalog, err := h.deps.Store.Catalog(ctx)
	if err != nil {
		return apierror.From(err)
	}
	out := ListOrganizationsResponse{Organizations: []Organization{}}
	for _, e := range page {
		pkg, err := h.pkg(ctx, e.org)
		if err != nil {
			return err
		}
		out.Organizations = append(out.Organizations, orgView(e.org, e.capacity, pkg, catalog))
	}
	if next != "" {
		out.NextPageToken = encodeToken(listKey, zeroTime, next)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// reachable is one page (after the id after) of the organisations a person
// who is not support staff acts for: their own, merged with each reseller
// membership's customers, read from Firestore a page at a time.
func (h *Handler) reachable(ctx context.Context, reach *access.Reach, after string, size int) ([]entry, string, error) {
	var cands []entry
	for _, o := range reach.Direct {
		if o.ID > after {
			cands = append(cands, entry{o, access.Customer})
		}
	}
	// bound is the smallest last id of a reseller's customer page that came
	// back full: past it, that reseller may have more customers unread, so
	// this page stops there.
	bound := ""
	for _, rid := range reach.Resellers {
		cs, err := h.deps.Store.CustomersPage(ctx, rid, after, size+1)
		if err != nil {
			return nil, "", apierror.From(err)
		}
		if len(cs) > size && (bound == "" || cs[len(cs)-1].ID < bound) {
			bound = cs[len(cs)-1].ID
		}
		for _, c := range cs {
			if reach.ResellerFor(c) {
				cands = append(cands, entry{c, access.Reseller})
			}
		}
	}
	slices.SortFunc(cands, func(a, b entry) int { return strings.Compare(a.org.ID, b.org.ID) })
	if bound != "" {
		n := 0
		for n < len(cands) && cands[n].org.ID <= bound {
			n++
		}
		page, next := paginate(cands[:n], size)
		if next == "" {
			next = bound // everything up to bound was seen; resume after it
		}
		return page, next, nil
	}
	page, next := paginate(cands, size)
	return page, next, nil
}

// paginate cuts sorted candidates (read size+1 at a time) to one page
// and returns the id to resume after ("" = no more).
func paginate(cands []entry, size int) ([]entry, string) {
	if len(cands) > size {
		return cands[:size], cands[size-1].org.ID
	}
	return cands, ""
}

// get serves GET /v2/organizations/{org}.
//
// Reads: resolve (4, +2 through a reseller) + 1 for the reseller's name
// when the organisation has one. Writes: 0.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "")
	if err != nil {
		return err
	}
	if err := a.Check(access.OrgRead); err != nil {
		return err
	}
	return h.writeOrg(w, r, a, a.Org)
}

// writeOrg answers with o as actor a sees it, naming its reseller.
func (h *Handler) writeOrg(w http.ResponseWriter, r *http.Request, a *access.Actor, o *store.Org) error {
	ctx := r.Context()
	catalog, err := h.deps.Store.Catalog(ctx)
	if err != nil {
		return apierror.From(err)
	}
	pkg, err := h.pkg(ctx, o)
	if err != nil {
		return err
	}
	out := orgView(o, a.Capacity, pkg, catalog)
	if out.Reseller != nil {
		rs, err := h.deps.Store.Org(ctx, o.ResellerID)
		if err != nil && !store.IsNotFound(err) {
			return apierror.From(err)
		}
		if rs != nil {
			out.Reseller.DisplayName = rs.DisplayName
		}
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// productSupport serves GET /v2/organizations/{org}/productSupport.
//
// Reads: resolve (4, +2 through a reseller). Writes: 0.
func (h *Handler) productSupport(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "")
	if err != nil {
		return err
	}
	if err := a.Check(access.ProductSupportRead); err != nil {
		return err
	}
	ctx := r.Context()
	catalog, err := h.deps.Store.Catalog(ctx)
	if err != nil {
		return apierror.From(err)
	}
	pkg, err := h.pkg(ctx, a.Org)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, productSupportView(a.Org, pkg, catalog))
}

// pkg returns o's support package (nil for organisations without one);
// packages are cached by the store, so this is rarely a read.
func (h *Handler) pkg(ctx context.Context, o *store.Org) (*store.Package, error) {
	if o.Kind != store.KindCustomer || o.PackageID == "" {
		return nil, nil
	}
	p, err := h.deps.Store.Package(ctx, o.PackageID)
	if err != nil && !store.IsNotFound(err) {
		return nil, apierror.From(err)
	}
	return p, nil
}
