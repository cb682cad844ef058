package catalog

import (
	"net/http"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// audit is the vendor-organisation audit entry of a catalogue change.
func (h *Handler) audit(a *access.Actor, action, target string, details map[string]string) store.AuditEntry {
	return store.AuditEntry{OrgID: h.deps.Config.VendorOrgID, Actor: a.Email(), Action: action, Target: target, Details: details}
}

func maskDetails(mask []string) map[string]string {
	return map[string]string{"fields": strings.Join(mask, ",")}
}

// Packages.

func (h *Handler) listPackages(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	ps, err := h.deps.Store.Packages(r.Context())
	if err != nil {
		return apierror.From(err)
	}
	out := ListPackagesResponse{Packages: []Package{}}
	for _, p := range ps {
		out.Packages = append(out.Packages, packageView(p))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// packageID is the path's package id (404 for what cannot be one).
func packageID(r *http.Request, verbs ...string) (string, string, error) {
	id, verb, err := verbOf(r.PathValue("package"), verbs...)
	if err != nil {
		return "", "", err
	}
	if !packageIDRe.MatchString(id) {
		return "", "", apierror.NotFound("package not found")
	}
	return id, verb, nil
}

func (h *Handler) getPackage(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	id, _, err := packageID(r, "")
	if err != nil {
		return err
	}
	p, err := h.deps.Store.PackageByID(r.Context(), id)
	if err != nil {
		return apierror.Describe(err, "package")
	}
	return httpapi.WriteJSON(w, http.StatusOK, packageView(p))
}

// createPackage serves POST /v2/packages?packageId= with a Package: every
// feature is set from the body (displayName required).
func (h *Handler) createPackage(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("packageId")
	if !packageIDRe.MatchString(id) {
		return apierror.InvalidArgument("packageId: required, upper-case letters, digits, - and _ (like GOLD)").
			WithFieldViolation("packageId", "not a package id")
	}
	var in Package
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	p := &store.Package{ID: id}
	if err := applyPackage(p, in, packageFields); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	if err := h.deps.Store.CreatePackage(r.Context(), p, h.audit(a, store.AuditPackageCreate, packageName(id), nil), now); err != nil {
		return apierror.Describe(err, "package")
	}
	return httpapi.WriteJSON(w, http.StatusOK, packageView(p))
}

// patchPackage serves PATCH /v2/packages/{package}?updateMask=.
func (h *Handler) patchPackage(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, _, err := packageID(r, "")
	if err != nil {
		return err
	}
	mask, err := wire.ParseUpdateMask(r.URL.Query().Get("updateMask"), packageFields...)
	if err != nil {
		return err
	}
	var in Package
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := applyPackage(&store.Package{}, in, mask); err != nil { // validate before the transaction
		return err
	}
	p, err := h.deps.Store.ChangePackage(r.Context(), id, h.deps.Clock.Now(), func(p *store.Package) (*store.AuditEntry, error) {
		before := packageView(p)
		if err := applyPackage(p, in, mask); err != nil {
			return nil, err
		}
		if equalJSON(before, packageView(p)) {
			return nil, nil
		}
		e := h.audit(a, store.AuditPackageUpdate, packageName(id), maskDetails(mask))
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "package")
	}
	return httpapi.WriteJSON(w, http.StatusOK, packageView(p))
}

// packageVerb serves POST /v2/packages/{package}:deactivate and :activate.
func (h *Handler) packageVerb(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, verb, err := packageID(r, "deactivate", "activate")
	if err != nil {
		return err
	}
	inactive := verb == "deactivate"
	p, err := h.deps.Store.ChangePackage(r.Context(), id, h.deps.Clock.Now(), func(p *store.Package) (*store.AuditEntry, error) {
		if p.Inactive == inactive {
			return nil, nil
		}
		p.Inactive = inactive
		e := h.audit(a, store.AuditPackageUpdate, packageName(id), map[string]string{"active": boolText(!inactive)})
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "package")
	}
	return httpapi.WriteJSON(w, http.StatusOK, packageView(p))
}

// Products.

func (h *Handler) listProducts(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	ps, err := h.deps.Store.Products(r.Context())
	if err != nil {
		return apierror.From(err)
	}
	out := ListProductsResponse{Products: []Product{}}
	for _, p := range ps {
		out.Products = append(out.Products, productView(p))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// productID is the path's product id (404 for what cannot be one).
func productID(r *http.Request, verbs ...string) (string, string, error) {
	id, verb, err := verbOf(r.PathValue("product"), verbs...)
	if err != nil {
		return "", "", err
	}
	if !productIDRe.MatchString(id) {
		return "", "", apierror.NotFound("product not found")
	}
	return id, verb, nil
}

func (h *Handler) getProduct(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	p, err := h.deps.Store.ProductByID(r.Context(), id)
	if err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, productView(p))
}

// createProduct serves POST /v2/products?productId= with a Product
// (displayName and supportHours required; classifications may come along).
func (h *Handler) createProduct(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id := r.URL.Query().Get("productId")
	if !productIDRe.MatchString(id) {
		return apierror.InvalidArgument("productId: required, lower-case letters, digits and - (like clouddb)").
			WithFieldViolation("productId", "not a product id")
	}
	var in Product
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	p := &store.Product{ID: id, Classifications: []store.Classification{}}
	if err := applyProduct(p, in, productFields); err != nil {
		return err
	}
	if len(in.Classifications) > maxClassPerBatch {
		return apierror.InvalidArgument("classifications: at most %d", maxClassPerBatch)
	}
	var v violations
	for _, c := range in.Classifications {
		p.Classifications = append(p.Classifications, newClassification(&v, p, c.ID, c))
	}
	if err := v.result(); err != nil {
		return err
	}
	var check func(t *store.CatalogTx) error
	if len(p.Classifications) > 0 {
		check = func(t *store.CatalogTx) error { return uniqueClassifications(t, id, p.Classifications) }
	}
	if err := h.deps.Store.CreateProduct(r.Context(), p, h.audit(a, store.AuditProductCreate, productName(id), nil),
		h.deps.Clock.Now(), check); err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, productView(p))
}

// newClassification validates a new classification of p.
func newClassification(v *violations, p *store.Product, id string, in Classification) store.Classification {
	if !classificationIDRe.MatchString(id) {
		v.add("classificationId", "lower-case letters, digits and - (like clouddb-connectivity)")
	}
	if slices.ContainsFunc(p.Classifications, func(c store.Classification) bool { return c.ID == id }) {
		v.add("classificationId", id+" given twice")
	}
	active := in.Active == nil || *in.Active
	return store.Classification{ID: id, DisplayName: classificationDisplayName(v, p.DisplayName, in.DisplayName), Active: active}
}

// uniqueClassifications refuses classification ids another product uses.
func uniqueClassifications(t *store.CatalogTx, productID string, cs []store.Classification) error {
	owners, err := t.ClassificationOwners()
	if err != nil {
		return err
	}
	for _, c := range cs {
		if owner, ok := owners[c.ID]; ok && owner != productID {
			return apierror.AlreadyExists("classification %s belongs to product %s", c.ID, owner).
				WithFieldViolation("classificationId", "taken")
		}
	}
	return nil
}

// patchProduct serves PATCH /v2/products/{product}?updateMask=.
func (h *Handler) patchProduct(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	mask, err := wire.ParseUpdateMask(r.URL.Query().Get("updateMask"), productFields...)
	if err != nil {
		return err
	}
	var in Product
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := applyProduct(&store.Product{}, in, mask); err != nil {
		return err
	}
	p, err := h.deps.Store.ChangeProduct(r.Context(), id, h.deps.Clock.Now(), func(_ *store.CatalogTx, p *store.Product) (*store.AuditEntry, error) {
		before := productView(p)
		oldName := p.DisplayName
		if err := applyProduct(p, in, mask); err != nil {
			return nil, err
		}
		if p.DisplayName != oldName {
			// Classification names carry the product's name.
			for i, c := range p.Classifications {
				if rest, ok := strings.CutPrefix(c.DisplayName, oldName+" > "); ok {
					p.Classifications[i].DisplayName = p.DisplayName + " > " + rest
				}
			}
		}
		if equalJSON(before, productView(p)) {
			return nil, nil
		}
		e := h.audit(a, store.AuditProductUpdate, productName(id), maskDetails(mask))
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, productView(p))
}

// productVerb serves POST /v2/products/{product}:deactivate and :activate.
func (h *Handler) productVerb(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, verb, err := productID(r, "deactivate", "activate")
	if err != nil {
		return err
	}
	inactive := verb == "deactivate"
	p, err := h.deps.Store.ChangeProduct(r.Context(), id, h.deps.Clock.Now(), func(_ *store.CatalogTx, p *store.Product) (*store.AuditEntry, error) {
		if p.Inactive == inactive {
			return nil, nil
		}
		p.Inactive = inactive
		e := h.audit(a, store.AuditProductUpdate, productName(id), map[string]string{"active": boolText(!inactive)})
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, productView(p))
}

// Classifications.

func (h *Handler) listClassifications(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	p, err := h.deps.Store.ProductByID(r.Context(), id)
	if err != nil {
		return apierror.Describe(err, "product")
	}
	out := ListClassificationsResponse{Classifications: []Classification{}}
	for _, c := range p.Classifications {
		out.Classifications = append(out.Classifications, classificationView(id, c))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) getClassification(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.admin(r); err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	p, err := h.deps.Store.ProductByID(r.Context(), id)
	if err != nil {
		return apierror.Describe(err, "product")
	}
	cid := r.PathValue("classification")
	for _, c := range p.Classifications {
		if c.ID == cid {
			return httpapi.WriteJSON(w, http.StatusOK, classificationView(id, c))
		}
	}
	return apierror.NotFound("classification not found")
}

// createClassification serves POST
// /v2/products/{product}/classifications?classificationId= with
// {"displayName": "Component" | "Product > Component", "active"?}.
func (h *Handler) createClassification(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	cid := r.URL.Query().Get("classificationId")
	var in Classification
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if !classificationIDRe.MatchString(cid) {
		return apierror.InvalidArgument("classificationId: required, lower-case letters, digits and - (like clouddb-connectivity)").
			WithFieldViolation("classificationId", "not a classification id")
	}
	var added store.Classification
	_, err = h.deps.Store.ChangeProduct(r.Context(), id, h.deps.Clock.Now(), func(t *store.CatalogTx, p *store.Product) (*store.AuditEntry, error) {
		if slices.ContainsFunc(p.Classifications, func(c store.Classification) bool { return c.ID == cid }) {
			return nil, apierror.AlreadyExists("classification %s exists", cid)
		}
		var v violations
		added = newClassification(&v, p, cid, in)
		if err := v.result(); err != nil {
			return nil, err
		}
		if err := uniqueClassifications(t, id, []store.Classification{added}); err != nil {
			return nil, err
		}
		p.Classifications = append(p.Classifications, added)
		e := h.audit(a, store.AuditProductUpdate, classificationName(id, cid), map[string]string{"classification": "created"})
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, classificationView(id, added))
}

// patchClassification serves PATCH
// /v2/products/{product}/classifications/{id}?updateMask=displayName,active.
// Deactivating keeps the id valid for the cases that use it.
func (h *Handler) patchClassification(w http.ResponseWriter, r *http.Request) error {
	a, err := h.admin(r)
	if err != nil {
		return err
	}
	id, _, err := productID(r, "")
	if err != nil {
		return err
	}
	cid := r.PathValue("classification")
	mask, err := wire.ParseUpdateMask(r.URL.Query().Get("updateMask"), "displayName", "active")
	if err != nil {
		return err
	}
	var in Classification
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if slices.Contains(mask, "active") && in.Active == nil {
		return apierror.InvalidArgument("active: required (true or false)").WithFieldViolation("active", "required")
	}
	var out store.Classification
	_, err = h.deps.Store.ChangeProduct(r.Context(), id, h.deps.Clock.Now(), func(_ *store.CatalogTx, p *store.Product) (*store.AuditEntry, error) {
		i := slices.IndexFunc(p.Classifications, func(c store.Classification) bool { return c.ID == cid })
		if i < 0 {
			return nil, apierror.NotFound("classification not found")
		}
		c := &p.Classifications[i]
		before := *c
		var v violations
		for _, f := range mask {
			switch f {
			case "displayName":
				c.DisplayName = classificationDisplayName(&v, p.DisplayName, in.DisplayName)
			case "active":
				c.Active = *in.Active
			}
		}
		if err := v.result(); err != nil {
			return nil, err
		}
		out = *c
		if *c == before {
			return nil, nil
		}
		e := h.audit(a, store.AuditProductUpdate, classificationName(id, cid), maskDetails(mask))
		return &e, nil
	})
	if err != nil {
		return apierror.Describe(err, "product")
	}
	return httpapi.WriteJSON(w, http.StatusOK, classificationView(id, out))
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
