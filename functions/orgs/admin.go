package orgs

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/address"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Organisation administration (support admins): create customers and
// resellers with their first org admins, change what they bought, their
// domains and name, suspend and resume them.

// Limits of an organisation's lists.
const (
	maxDomains     = 20
	maxAdminEmails = 10
	maxProductIDs  = 50
)

// CreateOrganizationRequest is the body of POST /v2/organizations.
type CreateOrganizationRequest struct {
	DisplayName string   `json:"displayName"`
	Kind        string   `json:"kind"` // CUSTOMER | RESELLER
	Domains     []string `json:"domains"`
	PackageID   string   `json:"packageId,omitempty"`  // customers: required
	ProductIDs  []string `json:"productIds,omitempty"` // customers
	ResellerID  string   `json:"resellerId,omitempty"` // customers: their reseller, if any
	// AdminEmails are the first org admins, at the new domains; each is
	// provisioned like any added user (PENDING, welcome e-mail).
	AdminEmails []string `json:"adminEmails"`
}

// UpdateOrganizationRequest is the body of PATCH /v2/organizations/{org};
// updateMask names the fields that apply.
type UpdateOrganizationRequest struct {
	DisplayName string   `json:"displayName"`
	Domains     []string `json:"domains"`
	PackageID   string   `json:"packageId"`
	ProductIDs  []string `json:"productIds"`
}

// SuspendRequest is the optional body of :suspend.
type SuspendRequest struct {
	Reason string `json:"reason"`
}

// Updatable organisation fields (updateMask).
const (
	maskDisplayName = "displayName"
	maskDomains     = "domains"
	maskPackageID   = "packageId"
	maskProductIDs  = "productIds"
)

// violations collects field violations of one request.
type violations struct{ err *apierror.Error }

func (v *violations) add(field, desc string) {
	if v.err == nil {
		v.err = apierror.InvalidArgument("the organization is not valid: %s: %s", field, desc)
	}
	v.err.WithFieldViolation(field, desc)
}

func (v *violations) result() error {
	if v.err == nil {
		return nil
	}
	return v.err
}

// newOrg is a validated creation request.
type newOrg struct {
	org    store.Org
	admins []string
}

// checkCreate validates a creation request for organisation id (not the
// vendor's) and returns the organisation to write (without times) and the
// admins' normalised addresses. What needs reading (package, products,
// reseller, domain claims) is checked in the store transaction.
func checkCreate(id, vendorID string, in CreateOrganizationRequest) (*newOrg, error) {
	var v violations
	switch {
	case !wire.ValidOrgID(id):
		v.add("organizationId", "required: a lower-case DNS label ([a-z0-9][a-z0-9-], at most 63 characters)")
	case id == vendorID:
		v.add("organizationId", "is the vendor's organization")
	}
	name, err := text.DisplayName("displayName", in.DisplayName)
	if err != nil {
		v.add("displayName", err.Error())
	}
	o := store.Org{ID: id, DisplayName: name, Kind: in.Kind}
	o.Domains = checkDomains(&v, in.Domains)
	switch in.Kind {
	case store.KindCustomer:
		if in.PackageID == "" {
			v.add("packageId", "required for a customer")
		} else if !validCatalogID(in.PackageID) {
			v.add("packageId", "not a package id")
		}
		o.PackageID = in.PackageID
		o.ProductIDs = checkProductIDs(&v, in.ProductIDs)
		if in.ResellerID != "" {
			if !wire.ValidOrgID(in.ResellerID) || in.ResellerID == id || in.ResellerID == vendorID {
				v.add("resellerId", "not a reseller organization id")
			}
			o.ResellerID = in.ResellerID
		}
	case store.KindReseller:
		if in.PackageID != "" || len(in.ProductIDs) > 0 || in.ResellerID != "" {
			v.add("kind", "a reseller has no package, products or reseller of its own")
		}
	default:
		v.add("kind", "CUSTOMER or RESELLER")
	}
	var admins []string
	switch {
	case len(in.AdminEmails) == 0:
		v.add("adminEmails", "name at least one first org admin")
	case len(in.AdminEmails) > maxAdminEmails:
		v.add("adminEmails", fmt.Sprintf("at most %d", maxAdminEmails))
	default:
		for i, raw := range in.AdminEmails {
			a, err := address.Check(raw, o.Domains)
			if err != nil {
				v.add(fmt.Sprintf("adminEmails[%d]", i), err.Error())
				continue
			}
			if !slices.Contains(admins, a) {
				admins = append(admins, a)
			}
		}
	}
	if err := v.result(); err != nil {
		return nil, err
	}
	return &newOrg{org: o, admins: admins}, nil
}

// checkDomains validates and normalises a domain list (1 to maxDomains,
// duplicates dropped).
func checkDomains(v *violations, in []string) []string {
	if len(in) == 0 || len(in) > maxDomains {
		v.add("domains", fmt.Sprintf("give 1 to %d verified e-mail domains", maxDomains))
		return nil
	}
	out := make([]string, 0, len(in))
	for i, raw := range in {
		d, err := address.Domain(raw)
		if err != nil {
			v.add(fmt.Sprintf("domains[%d]", i), err.Error())
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// checkProductIDs validates a product id list (duplicates dropped).
func checkProductIDs(v *violations, in []string) []string {
	if len(in) > maxProductIDs {
		v.add("productIds", fmt.Sprintf("at most %d", maxProductIDs))
		return nil
	}
	var out []string
	for i, p := range in {
		if !validCatalogID(p) {
			v.add(fmt.Sprintf("productIds[%d]", i), "not a product id")
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// validCatalogID accepts the shape of package and product ids (they are
// looked up in the transaction): letters, digits, "-" and "_", at most 63.
func validCatalogID(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkSellable refuses, inside the transaction, a package or products
// that do not exist or are no longer sold (inactive). Only the ones
// in want that are not in have (already the organisation's) are checked.
func checkSellable(t *store.OrgTx, pkg, havePkg string, products, haveProducts []string) error {
	if pkg != "" && pkg != havePkg {
		p, err := t.Package(pkg)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		if p == nil || p.Inactive {
			return apierror.InvalidArgument("packageId: %q is not a package on sale", pkg).
				WithFieldViolation("packageId", "unknown or inactive package")
		}
	}
	var fresh []string
	for _, id := range products {
		if !slices.Contains(haveProducts, id) {
			fresh = append(fresh, id)
		}
	}
	ps, err := t.Products(fresh)
	if err != nil {
		return err
	}
	for _, id := range fresh {
		if p := ps[id]; p == nil || p.Inactive {
			return apierror.InvalidArgument("productIds: %q is not a product on sale", id).
				WithFieldViolation("productIds", "unknown or inactive product "+id)
		}
	}
	return nil
}

// adminActor resolves a support admin for a vendor-wide change.
func (h *Handler) adminActor(r *http.Request) (*access.Actor, error) {
	id, err := h.deps.Identity(r)
	if err != nil {
		return nil, err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := a.Check(access.OrgsManage); err != nil {
		return nil, err
	}
	return a, nil
}

// createOrg serves POST /v2/organizations?organizationId= (support admins):
// a customer or reseller with its domains (each claimed for this
// organisation alone), package, products, reseller and first org admins.
// The admins are added as the users function adds anyone (PENDING until
// the activation delay has passed; the provision function creates their
// accounts and sends the welcome e-mail). One transaction writes the
// organisation, the domain claims, the memberships, the audit entries and
// the events. Answers the Organization.
//
// Reads: vendor membership 1 + transaction: package 1, products P,
// reseller 1 (if any), the id 1, domains D; then the catalogue (cached)
// and the reseller's name. Writes: organisation 1 + claims D + admins A +
// audit 1 + A + events A (+ their deletes A after publishing).
func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) error {
	a, err := h.adminActor(r)
	if err != nil {
		return err
	}
	var in CreateOrganizationRequest
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	n, err := checkCreate(r.URL.Query().Get("organizationId"), h.deps.Config.VendorOrgID, in)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	o := n.org
	if o.ResellerID != "" {
		o.ResellerSince = now
		o.ResellerHistory = []store.ResellerTerm{{ResellerID: o.ResellerID, Start: now}}
	}
	create := store.NewOrg{Org: o,
		Audit: []store.AuditEntry{{Actor: a.Email(), Action: store.AuditOrgCreate, Target: wire.OrgName(o.ID), Details: orgDetails(&o)}},
		Check: func(t *store.OrgTx) error {
			if err := checkSellable(t, o.PackageID, "", o.ProductIDs, nil); err != nil {
				return err
			}
			if o.ResellerID == "" {
				return nil
			}
			rs, err := t.Org(o.ResellerID)
			if err != nil && !store.IsNotFound(err) {
				return err
			}
			if rs == nil || rs.Kind != store.KindReseller {
				return apierror.InvalidArgument("resellerId: %s is not a reseller organization", wire.OrgName(o.ResellerID)).
					WithFieldViolation("resellerId", "not a reseller")
			}
			return nil
		}}
	for _, email := range n.admins {
		m, ev := store.PendingMembership(store.NewMember{OrgID: o.ID, Email: email, Language: text.DefaultLanguage,
			Roles: []store.Role{{Role: store.RoleOrgAdmin}}, AddedBy: a.Email(), ActivateTime: now.Add(h.cfg.ActivationDelay)}, now)
		create.Members = append(create.Members, m)
		create.Events = append(create.Events, ev)
		create.Audit = append(create.Audit, store.AuditEntry{Actor: a.Email(), Action: store.AuditUserAdd, Target: email,
			Details: map[string]string{"roles": store.RoleOrgAdmin, "activateTime": wire.Timestamp(m.ActivateTime)}})
	}
	msgs, err := h.deps.Store.CreateOrg(r.Context(), create, now)
	if err != nil {
		return orgAdminError(err)
	}
	// Stored; if this publish fails the relay sends the events (and the
	// activate-users sweep re-drives provisioning).
	h.outbox.Send(r.Context(), msgs...)
	o.CreateTime, o.UpdateTime = now, now
	return h.writeOrg(w, r, a, &o)
}

// orgAdminError maps the store's refusals to API errors.
func orgAdminError(err error) error {
	if d, ok := store.IsDomainTaken(err); ok {
		return apierror.AlreadyExists("domain %s already belongs to another organization", d).
			WithFieldViolation("domains", d+" is taken")
	}
	return apierror.Describe(err, "organization")
}

// orgDetails are the audit details of an organisation's settings.
func orgDetails(o *store.Org) map[string]string {
	d := map[string]string{"kind": o.Kind, "displayName": o.DisplayName, "domains": strings.Join(o.Domains, ",")}
	if o.PackageID != "" {
		d["packageId"] = o.PackageID
	}
	if len(o.ProductIDs) > 0 {
		d["productIds"] = strings.Join(o.ProductIDs, ",")
	}
	if o.ResellerID != "" {
		d["reseller"] = wire.OrgName(o.ResellerID)
	}
	return d
}

// patchOrg serves PATCH /v2/organizations/{org}?updateMask= (support
// admins): displayName, domains, packageId, productIds. A new package or
// product must be on sale; added domains are claimed (409 when another
// organisation has one), removed ones released — members keep their
// memberships. The change and its audit entry (old and new values) are one
// transaction; a package change applies to the organisation's next
// request. Answers the Organization.
//
// Reads: resolve (4) + 1 in the transaction + a new package 1 + new
// products P + added/removed domains D + the reseller's name 1. Writes: 2
// (organisation, audit entry) + D, or 0 when nothing changed.
func (h *Handler) patchOrg(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "")
	if err != nil {
		return err
	}
	if err := a.Check(access.OrgsManage); err != nil {
		return err
	}
	mask, err := wire.ParseUpdateMask(r.URL.Query().Get("updateMask"), maskDisplayName, maskDomains, maskPackageID, maskProductIDs)
	if err != nil {
		return err
	}
	var in UpdateOrganizationRequest
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	var v violations
	want := store.Org{}
	for _, f := range mask {
		switch f {
		case maskDisplayName:
			name, err := text.DisplayName("displayName", in.DisplayName)
			if err != nil {
				v.add("displayName", err.Error())
			}
			want.DisplayName = name
		case maskDomains:
			want.Domains = checkDomains(&v, in.Domains)
		case maskPackageID:
			if !validCatalogID(in.PackageID) {
				v.add("packageId", "required: a package id")
			}
			want.PackageID = in.PackageID
		case maskProductIDs:
			want.ProductIDs = checkProductIDs(&v, in.ProductIDs)
		}
	}
	if err := v.result(); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	o, err := h.deps.Store.ChangeOrg(r.Context(), a.Org.ID, now, func(t *store.OrgTx, o *store.Org) (*store.AuditEntry, error) {
		return applyPatch(t, o, mask, want, a.Email())
	})
	if err != nil {
		return orgAdminError(err)
	}
	return h.writeOrg(w, r, a, o)
}

// applyPatch applies the masked fields of want to o (read in the
// transaction) and returns the audit entry naming each changed field's old
// and new value, or nil when nothing changes.
func applyPatch(t *store.OrgTx, o *store.Org, mask []string, want store.Org, actor string) (*store.AuditEntry, error) {
	details := map[string]string{}
	changed := func(field, before, after string) {
		if before != after {
			details[field] = after
			details["previous"+strings.ToUpper(field[:1])+field[1:]] = before
		}
	}
	isCustomer := o.Kind == store.KindCustomer
	newPkg, newProducts := o.PackageID, o.ProductIDs
	for _, f := range mask {
		switch f {
		case maskDisplayName:
			changed(f, o.DisplayName, want.DisplayName)
			o.DisplayName = want.DisplayName
		case maskDomains:
			changed(f, strings.Join(o.Domains, ","), strings.Join(want.Domains, ","))
			o.Domains = want.Domains
		case maskPackageID, maskProductIDs:
			if !isCustomer {
				return nil, apierror.FailedPrecondition("%s is a %s; only customers have a package and products", o.DisplayName, o.Kind)
			}
			if f == maskPackageID {
				newPkg = want.PackageID
			} else {
				newProducts = want.ProductIDs
			}
		}
	}
	if err := checkSellable(t, newPkg, o.PackageID, newProducts, o.ProductIDs); err != nil {
		return nil, err
	}
	changed(maskPackageID, o.PackageID, newPkg)
	changed(maskProductIDs, strings.Join(o.ProductIDs, ","), strings.Join(newProducts, ","))
	o.PackageID, o.ProductIDs = newPkg, newProducts
	if len(details) == 0 {
		return nil, nil
	}
	return &store.AuditEntry{Actor: actor, Action: store.AuditOrgUpdate, Target: wire.OrgName(o.ID), Details: details}, nil
}

// setSuspended serves POST /v2/organizations/{org}:suspend (optional body
// {"reason"}) and :resume (support admins). A suspended organisation's
// people get ACCESS_REQUIRED with cause SUSPENDED on their next request,
// and its reseller's people cannot act for it (nor anyone for a suspended
// reseller's customers); nothing is deleted, and resuming restores it all.
// The vendor's organisation cannot be suspended. Idempotent. Answers the
// Organization.
//
// Reads: resolve (4) + 1 in the transaction + the reseller's name 1.
// Writes: 2 (organisation, audit entry), or 0 when already so.
func (h *Handler) setSuspended(w http.ResponseWriter, r *http.Request, suspend bool) error {
	verb := "resume"
	if suspend {
		verb = "suspend"
	}
	a, err := h.actor(r, verb)
	if err != nil {
		return err
	}
	if err := a.Check(access.OrgsManage); err != nil {
		return err
	}
	var in SuspendRequest
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	reason := strings.TrimSpace(in.Reason)
	if err := text.Validate("reason", reason, text.Multiline); err != nil {
		return err
	}
	if len(reason) > maxMessageChars {
		return apierror.InvalidArgument("reason: at most %d characters", maxMessageChars).WithFieldViolation("reason", "too long")
	}
	if a.Org.ID == h.deps.Config.VendorOrgID {
		return apierror.FailedPrecondition("the vendor's own organization cannot be suspended or resumed")
	}
	now := h.deps.Clock.Now()
	o, err := h.deps.Store.ChangeOrg(r.Context(), a.Org.ID, now, func(_ *store.OrgTx, o *store.Org) (*store.AuditEntry, error) {
		if o.Suspended == suspend {
			return nil, nil
		}
		e := &store.AuditEntry{Actor: a.Email(), Target: wire.OrgName(o.ID)}
		o.Suspended = suspend
		if suspend {
			o.SuspendTime, e.Action = now, store.AuditOrgSuspend
			if reason != "" {
				e.Details = map[string]string{"reason": reason}
			}
		} else {
			o.SuspendTime, e.Action = time.Time{}, store.AuditOrgResume
		}
		return e, nil
	})
	if err != nil {
		return orgAdminError(err)
	}
	return h.writeOrg(w, r, a, o)
}
