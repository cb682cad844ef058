// Package resources is the "resources" HTTP function (see
// infra/functions.yaml): private resources — software downloads and
// documents the vendor publishes for the customers of some products under
// some support packages — and "Send feedback".
//
// Routes (JSON camelCase; names "resources/{id}", "feedback/{id}"):
//
//	POST /v2/resources                        support admins: publish; answers with a signed upload URL
//	GET  /v2/resources?filter=&pageSize=&pageToken=
//	                                          what the caller may see (filter: productId=…, kind=…)
//	GET  /v2/resources/{id}                   one resource
//	GET  /v2/resources/{id}:download          a short-lived signed GET URL (10 minutes), recorded
//	POST /v2/resources/{id}:withdraw          support admins: never listed for customers again
//	GET  /v2/resources/{id}/downloads         support admins: who downloaded, for which organisation, when
//	POST /v2/feedback                         anyone signed in with a verified address, with or without access
//	GET  /v2/feedback?filter=kind=…,state=…   support staff
//	POST /v2/feedback/{id}:triage             support staff
//
// Who sees a resource is the access policy's (access.Resolver.Entitled):
// members of a customer that bought one of the resource's products under
// one of its packages, the members of that customer's reseller while the
// customer grants it access, and support staff; anyone else gets 404 for
// the resource and does not find it in lists. Customers see READY
// resources only (a superseded version stays listed with the name of the
// one that replaces it; its download answers FAILED_PRECONDITION naming
// that one).
//
// Publishing uses the upload mechanism of attachment upload sessions
// (package signedurl): the resource is written PENDING with its declared
// size and SHA-256, and the file goes straight to the resources bucket,
// as resources/{id}, through a signed resumable upload that can create
// that object once. The finalize-resource function hashes the finalized
// object and marks the resource READY when size and SHA-256 match
// (REJECTED otherwise); the first decided generation wins, as for
// attachments. A download is a V4 signed GET of that generation with the
// original file name in Content-Disposition (response-content-disposition,
// covered by the signature), issued after the access check and recorded
// first.
//
// Feedback keeps only the sender's e-mail address and organisation. Its
// feedback.received event is written to the outbox in the same commit and
// published to membership-events at once; the provision function sends the
// one acknowledgement e-mail in the sender's language (profile language,
// else the request's Accept-Language), once per event, retried until sent.
//
// Costs (Firestore reads R / writes W per request, by the code paths;
// "entitled" is access.Resolver.Entitled: the caller's memberships M ≥ 1,
// their organisations M and the catalogue version 1 (without any
// membership: the empty query and the domain's organisation instead), plus
// ≤ 500 customers per reseller membership; "staff" is one read of the
// vendor membership; support packages and the product catalogue are cached
// per instance until the catalogue version changes):
//
//	resources.create     staff + catalogue version 1 + 1 (superseded one, if any); W 1
//	resources.list       entitled + one per resource returned (≥ 1 per 30 entitlement keys); W 0
//	resources.get        entitled + 1; W 0
//	resources.download   entitled + 1; W 1 (the download record)
//	resources.withdraw   staff + 1; W 1 (0 when already withdrawn)
//	downloads.list       staff + ≤ pageSize+1 (≥ 1); W 0
//	feedback.create      rate limit 1 + the caller's status (as "entitled");
//	                     W 1 + rate limit 1 + outbox 1 + its clearing 1
//	feedback.list        staff + ≤ pageSize+1 (≥ 1); W 0
//	feedback.triage      staff + 1; W 1 (0 when already triaged)
package resources

import (
	"context"
	"fmt"
	"net/http"

	"cloud.google.com/go/storage"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/signedurl"
)

func init() { functions.HTTP("resources", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("resources", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	// Bucket holds the resources' files ("<project>-resources").
	Bucket string `env:"RESOURCES_BUCKET,required"`
	// EmulatorHost is set locally (fake-gcs-server); URLs are then signed
	// with a key generated at start (package signedurl).
	EmulatorHost string `env:"STORAGE_EMULATOR_HOST"`
}

// Build returns the function's HTTP handler over the runtime's
// dependencies, with the resources bucket's signer and the publisher of
// feedback events.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	sig, err := signedurl.New(gcs.Bucket(cfg.Bucket), cfg.EmulatorHost, deps.Config.ProjectID, "resources")
	if err != nil {
		return nil, err
	}
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return New(deps, sig, pub).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps   *runtime.Deps
	signer *signedurl.Signer
	outbox *outbox.Outbox
}

// New returns a Handler over deps signing URLs with sig and publishing
// feedback events with pub.
func New(deps *runtime.Deps, sig *signedurl.Signer, pub events.Publisher) *Handler {
	return &Handler{deps: deps, signer: sig, outbox: outbox.New(deps.Store, pub, deps.Logger)}
}

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/resources", httpapi.Methods{"GET": d.Handle(h.list), "POST": d.Handle(h.create)})
	// {resource} is "id", "id:download" or "id:withdraw" (ServeMux takes
	// the whole segment).
	mux.Handle("/v2/resources/{resource}", httpapi.Methods{"GET": d.Handle(h.getOrDownload), "POST": d.Handle(h.withdraw)})
	mux.Handle("/v2/resources/{resource}/downloads", httpapi.Methods{"GET": d.Handle(h.downloads)})
	mux.Handle("/v2/feedback", httpapi.Methods{"GET": d.Handle(h.listFeedback), "POST": d.Handle(h.createFeedback)})
	mux.Handle("/v2/feedback/{feedback}", httpapi.Methods{"POST": d.Handle(h.triage)})
	mux.Handle("/", httpapi.NotFoundHandler())
	return d.Wrap(mux, 0)
}

// getOrDownload dispatches GET /v2/resources/{id} and {id}:download.
func (h *Handler) getOrDownload(w http.ResponseWriter, r *http.Request) error {
	_, verb := httpapi.SplitVerb(r.PathValue("resource"))
	switch verb {
	case "":
		return h.get(w, r)
	case "download":
		return h.download(w, r)
	}
	return apierror.NotFound("unknown method %q on a resource", verb)
}
