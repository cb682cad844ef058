// Package catalog is the "catalog" HTTP function: the vendor's support
// packages, products and case classifications, administered by support
// admins (everyone else: 403, or 403 ACCESS_REQUIRED without usable access).
//
//	GET   /v2/packages                                         list
//	POST  /v2/packages?packageId=                              create
//	GET   /v2/packages/{package}                               get
//	PATCH /v2/packages/{package}?updateMask=                   change features
//	POST  /v2/packages/{package}:deactivate / :activate        stop / resume selling it
//	GET   /v2/products                                         list
//	POST  /v2/products?productId=                              create
//	GET   /v2/products/{product}                               get
//	PATCH /v2/products/{product}?updateMask=                   change name, hours, phone numbers
//	POST  /v2/products/{product}:deactivate / :activate        stop / resume selling it
//	GET   /v2/products/{product}/classifications               list (active and inactive)
//	POST  /v2/products/{product}/classifications?classificationId=  create
//	GET   /v2/products/{product}/classifications/{id}          get
//	PATCH /v2/products/{product}/classifications/{id}?updateMask=   displayName, active
//
// Nothing is ever deleted: cases point to packages, products and
// classifications, so they are deactivated instead (an inactive package or
// product is given to no organisation anew; an inactive classification is
// no longer offered when filing). Every change is one Firestore transaction
// with an audit entry in the vendor organisation's audit log and a new
// catalogue version, so cached packages and products expire on every
// instance's next request: caseClassifications:search, productSupport,
// organisations and the access policy see the change at once.
//
// Costs (Firestore reads R / writes W per request; "staff" is the caller's
// vendor membership, 1 read):
//
//	packages.list / products.list      staff + one per document (≥ 1); W 0
//	packages.get / products.get        staff + 1; W 0
//	classifications.list / get         staff + 1; W 0
//	packages.create                    staff + 1; W 3 (package, audit entry, catalogue version)
//	packages.patch / (de)activate      staff + 1; W 3, or 0 when nothing changed
//	products.create                    staff + 1 (+ one per product when it brings classifications); W 3
//	products.patch / (de)activate      staff + 1; W 3, or 0
//	classifications.create             staff + 1 + one per product (ids are unique across products); W 3
//	classifications.patch              staff + 1; W 3, or 0
package catalog

import (
	"context"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/runtime"
)

func init() { functions.HTTP("catalog", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("catalog", Build)

// Build returns the function's HTTP handler over the runtime's dependencies.
func Build(_ context.Context, deps *runtime.Deps, _ runtime.NoConfig) (http.Handler, error) {
	return New(deps).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps *runtime.Deps
}

// New returns a Handler over deps.
func New(deps *runtime.Deps) *Handler { return &Handler{deps: deps} }

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/packages", httpapi.Methods{"GET": d.Handle(h.listPackages), "POST": d.Handle(h.createPackage)})
	mux.Handle("/v2/packages/{package}", httpapi.Methods{"GET": d.Handle(h.getPackage), "PATCH": d.Handle(h.patchPackage),
		"POST": d.Handle(h.packageVerb)})
	mux.Handle("/v2/products", httpapi.Methods{"GET": d.Handle(h.listProducts), "POST": d.Handle(h.createProduct)})
	mux.Handle("/v2/products/{product}", httpapi.Methods{"GET": d.Handle(h.getProduct), "PATCH": d.Handle(h.patchProduct),
		"POST": d.Handle(h.productVerb)})
	mux.Handle("/v2/products/{product}/classifications", httpapi.Methods{"GET": d.Handle(h.listClassifications),
		"POST": d.Handle(h.createClassification)})
	mux.Handle("/v2/products/{product}/classifications/{classification}", httpapi.Methods{
		"GET": d.Handle(h.getClassification), "PATCH": d.Handle(h.patchClassification)})
	mux.Handle("/", httpapi.NotFoundHandler())
	return d.Wrap(mux, 0)
}

// admin resolves the caller as a support admin: the vendor's support
// admins only (agents 403; anyone else 403, ACCESS_REQUIRED without usable
// access). Reads: 1 (the vendor membership).
func (h *Handler) admin(r *http.Request) (*access.Actor, error) {
	a, err := runtime.Read(h.deps, r, h.deps.Resolver.ResolveSupport)
	if err != nil {
		return nil, err
	}
	if err := a.Check(access.OrgsManage); err != nil {
		return nil, err
	}
	return a, nil
}

// verbOf splits a custom verb off a path segment and refuses verbs other
// than allowed ("" = none).
func verbOf(seg string, allowed ...string) (id, verb string, err error) {
	id, verb = httpapi.SplitVerb(seg)
	for _, a := range allowed {
		if verb == a {
			return id, verb, nil
		}
	}
	return "", "", apierror.NotFound("no such method :%s", verb)
}
