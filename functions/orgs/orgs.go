// Package orgs is the "orgs" HTTP function (see infra/functions.yaml):
// organisations and what the caller may see of them, their administration
// by the vendor's support admins (create with first admins, change,
// suspend, resume: admin.go), product support information, the customer's
// reseller-access grant, transfers between resellers, the audit trail of
// those changes, and access requests (the "no access" form) with the
// support team's queue of them.
//
// Routes (JSON camelCase; resource names "organizations/{id}"):
//
//	GET  /v2/organizations                              organizations.list
//	POST /v2/organizations?organizationId=              support admins (admin.go)
//	GET  /v2/organizations/{org}                        organizations.get
//	PATCH /v2/organizations/{org}?updateMask=           support admins (admin.go)
//	POST /v2/organizations/{org}:suspend / :resume      support admins (admin.go)
//	GET  /v2/organizations/{org}/productSupport         productSupport.get
//	POST /v2/organizations/{org}:grantResellerAccess    customer org admins
//	POST /v2/organizations/{org}:revokeResellerAccess   customer org admins
//	POST /v2/organizations/{org}:transfer               support admins
//	GET  /v2/organizations/{org}/auditLog               auditLog.list
//	POST /v2/accessRequests                             any signed-in person
//	GET  /v2/accessRequests[?filter=state=OPEN]         support staff
//	POST /v2/accessRequests/{id}:approve                support staff (into the vendor organisation: support admins)
//	POST /v2/accessRequests/{id}:reject                 support staff
//	GET  /v2/organizations/{org}/accessReview           the customer's org admins, support staff
//
// An approval creates the requester's membership exactly as the users API
// adds one (store.PendingMembership: PENDING until ACTIVATION_DELAY, the
// membership event that provisions it) in the transaction that marks the
// request answered, so no request is answered twice; the requester is
// e-mailed the answer either way (event accessRequest.answered, sent by the
// provision function in the requester's language). The access review is
// derived by the access policy itself (access.Resolver.Review).
//
// Every organisation route resolves the caller for the organisation in the
// URL (package access: another tenant's organisation is 404, one's own
// without the role 403, no usable access at all 403 ACCESS_REQUIRED) before
// it reads anything else. Every change to reseller access runs in one
// Firestore transaction together with its audit entry.
//
// Costs (Firestore reads R / writes W per request, by the code paths; "resolve"
// is access.Resolver.Resolve: 4 reads — organisation, own membership, vendor
// membership and the catalogue version in one batch — plus 2 (the reseller's
// membership and organisation, in one batch) when acting through a reseller;
// support packages and the product catalogue are cached per instance until
// the catalogue version changes, so a package or product change applies to
// the next request; the version read is the price of that):
//
//	organizations.list     status (memberships M ≥ 1, their organisations M + the catalogue version 1;
//	                       + 1 with no membership at all: the organisation owning the address's
//	                       domain, for its SSO policy)
//	                       + support: ≤ pageSize+1 | reseller: ≤ pageSize+1 per reseller membership; W 0
//	organizations.get      resolve + 1 when the organisation has a reseller (its name); W 0
//	productSupport.get     resolve; W 0
//	grant/revoke           resolve + 1 (transaction) + 1 (reseller name); W 2, or 0 when already so
//	transfer               resolve + 1 (+1 new reseller) + 1 (reseller name); W 2, or 0 when already so
//	auditLog.list          resolve + ≤ pageSize+1 (≥ 1); W 0
//	accessRequests.create  status (M ≥ 1 + M + 1 version, or 2 with no membership) + open requests ≤ 3 (≥ 1); W 1
//	accessRequests.list    1 (vendor membership) + ≤ pageSize+1 (≥ 1); W 0 (same with a state filter)
//	accessRequests.approve resolve + 1 (requester's profile) + 1 (transaction); W 5 + 2 (events' deletes)
//	accessRequests.reject  1 (vendor membership) + 1 (transaction); W 2 + 1 (event's delete)
//	accessReview.get       resolve + memberships (≥ 1) + with a reseller: 1 + its memberships (≥ 1); W 0
//	organizations.create   1 (vendor membership) + package 1 + products P + reseller 1 + id 1 + domains D
//	                       + version 1 + reseller name 1; W 1 + D + admins A × 3 (membership, audit, event)
//	                       + 1 audit + A (event deletes after publishing)
//	organizations.patch    resolve + 1 + new package 1 + new products P + changed domains D + reseller name 1;
//	                       W 2 + D, or 0 when nothing changed
//	suspend/resume         resolve + 1 + reseller name 1; W 2, or 0 when already so
package orgs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
)

func init() { functions.HTTP("orgs", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("orgs", Build)

// Build returns the function's HTTP handler over the runtime's
// dependencies, publishing the membership events of new organisations'
// first admins and of answered access requests to Pub/Sub.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return New(deps).WithEvents(cfg, pub).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps   *runtime.Deps
	cfg    Config
	outbox *outbox.Outbox
}

// New returns a Handler over deps.
func New(deps *runtime.Deps) *Handler {
	return &Handler{deps: deps, cfg: Config{ActivationDelay: provisioning.MaxActivationDelay}, outbox: outbox.New(deps.Store, unpublished{}, deps.Logger)}
}

// WithEvents sets the configuration of the memberships the function
// creates (a new organisation's first admins, approved access requests)
// and the publisher of their events; without it, those events wait in the
// outbox for the relay.
func (h *Handler) WithEvents(cfg Config, pub events.Publisher) *Handler {
	h.cfg, h.outbox = cfg, outbox.New(h.deps.Store, pub, h.deps.Logger)
	return h
}

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations", httpapi.Methods{"GET": d.Handle(h.list), "POST": d.Handle(h.createOrg)})
	// {org} is "acme" or "acme:grantResellerAccess": a ServeMux wildcard
	// takes the whole segment, so the custom verb is split off here.
	mux.Handle("/v2/organizations/{org}", httpapi.Methods{"GET": d.Handle(h.get), "POST": d.Handle(h.orgVerb),
		"PATCH": d.Handle(h.patchOrg)})
	mux.Handle("/v2/organizations/{org}/productSupport", httpapi.Methods{"GET": d.Handle(h.productSupport)})
	mux.Handle("/v2/organizations/{org}/auditLog", httpapi.Methods{"GET": d.Handle(h.auditLog)})
	mux.Handle("/v2/accessRequests", httpapi.Methods{"GET": d.Handle(h.listAccessRequests), "POST": d.Handle(h.createAccessRequest)})
	mux.Handle("/v2/accessRequests/{id}", httpapi.Methods{"POST": d.Handle(h.answerAccessRequest)})
	mux.Handle("/v2/organizations/{org}/accessReview", httpapi.Methods{"GET": d.Handle(h.accessReview)})
	mux.Handle("/", httpapi.NotFoundHandler())
	return d.Wrap(mux, 0)
}

// orgVerb dispatches POST /v2/organizations/{org}:{verb}.
func (h *Handler) orgVerb(w http.ResponseWriter, r *http.Request) error {
	_, verb := httpapi.SplitVerb(r.PathValue("org"))
	switch verb {
	case "grantResellerAccess":
		return h.setResellerAccess(w, r, true)
	case "revokeResellerAccess":
		return h.setResellerAccess(w, r, false)
	case "transfer":
		return h.transfer(w, r)
	case "suspend":
		return h.setSuspended(w, r, true)
	case "resume":
		return h.setSuspended(w, r, false)
	case "":
		return apierror.MethodNotAllowed(r.Method)
	}
	return apierror.NotFound("unknown method %q on an organization", verb)
}

// actor authenticates the caller (401 comes first, whatever the path) and
// resolves them for the organisation in the URL, which must carry the
// custom verb wantVerb ("" = none).
func (h *Handler) actor(r *http.Request, wantVerb string) (*access.Actor, error) {
	orgID, verb := httpapi.SplitVerb(r.PathValue("org"))
	if verb != wantVerb || !wire.ValidOrgID(orgID) {
		if _, err := h.deps.Identity(r); err != nil {
			return nil, err
		}
		if verb != wantVerb {
			return nil, apierror.NotFound("no such resource: %s", r.URL.Path)
		}
		return nil, apierror.NotFound("organization not found")
	}
	return h.deps.Actor(r, orgID)
}

// Resource names.

// decodeOptionalJSON decodes a request body into dst when there is one: the
// custom methods take an empty body or "{}" (Google clients send the
// latter).
func decodeOptionalJSON(r *http.Request, dst any) error {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apierror.TooLarge(tooBig.Limit)
		}
		return apierror.InvalidArgument("the request body could not be read")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return httpapi.DecodeJSON(r, dst)
}
