// Package knownissues is the "knownissues" HTTP function (see
// infra/functions.yaml): known issues the support team publishes, their
// updates, "me too" (subscribe and open the organisation's linked case),
// unsubscribing, and the one-click unsubscribe link of the update e-mails.
//
// Routes (JSON camelCase; resource names "knownIssues/{id}",
// "knownIssues/{id}/updates/{update}"):
//
//	POST /v2/knownIssues                      support admins: publish
//	GET  /v2/knownIssues?filter=              the banner and the duplicate check: state=ACTIVE,
//	                                          productId=…, joined by AND; cursor pages
//	GET  /v2/knownIssues/{id}                 details (+ subscriberCount, subscribed)
//	POST /v2/knownIssues/{id}:resolve         support admins: final update, state RESOLVED
//	POST /v2/knownIssues/{id}:meToo           {"parent":"organizations/{org}"} → {"subscribed":true,"case":…}
//	POST /v2/knownIssues/{id}:unsubscribe     the signed-in subscriber
//	GET  /v2/knownIssues/{id}/updates         updates, newest first
//	POST /v2/knownIssues/{id}/updates         support staff: {"body"}; e-mailed to every subscriber
//	GET  /v2/unsubscribe?token=               one-click unsubscribe page (changes nothing)
//	POST /v2/unsubscribe?token=               List-Unsubscribe=One-Click (RFC 8058): unsubscribes
//
// Scope (package access). Support staff see every issue. Anyone else sees
// an issue only if it touches a product of a customer organisation they
// act for — as its member (any role) or as its current reseller while the
// customer grants access — whose package includes the Support Center;
// other issues are 404, as if they did not exist. "Me too" needs the right
// to file cases in the chosen organisation for one of the issue's
// products.
//
// The linked case. Each organisation has at most one case per known
// issue: the first "me too" in the organisation files it (as that person,
// through the same store path as cases.create, keyed by issue and
// organisation with a must-not-exist record, so concurrent clicks file
// one); every later "me too" in that organisation — by the same person or
// a colleague — subscribes the caller and returns that case, whatever
// state it is in (a closed one can be reopened by a comment within 30
// days). Unsubscribing never touches the case: it continues as ordinary
// one-to-one support. Repeating "me too" changes nothing.
//
// Subscribers are stored in hash-chosen bucket documents (store
// SubscriberBuckets) so thousands of concurrent clicks neither collide on
// one document nor lose a subscription, and an update is fanned out
// (function knownissue-fanout) with O(N/1000) reads. Updates publish
// knownIssue.updated through the transactional outbox.
//
// /v2/unsubscribe is the manifest's one public route: its signed token
// (package unsubscribe, keys from the Secret Manager secret
// unsubscribe-keys) is its credential; every other route answers 401
// before it routes.
//
// Costs (reads R / writes W; "scope" = the caller's access status:
// memberships M + their organisations M + the catalogue version (packages
// and products are cached and re-read only when it moved), + reseller
// customers; "resolve" = access.Resolver.Resolve, 3 reads + the catalogue
// version):
//
//	create          1 (vendor membership) + 1 (catalogue version); W 1
//	list            scope + ≤ pageSize+1 (≥ 1) + 1 per issue (its count: an aggregation query); W 0
//	get             scope + 1 + 1 (count: an aggregation query) + 1 (own subscription); W 0
//	updates.create  1 (vendor membership) + 1; W 3 (update, issue, event) + 1 (event delete)
//	resolve         as updates.create
//	updates.list    scope + 1 + ≤ pageSize+1; W 0
//	meToo           resolve + 1 (issue) + 1 (profile) + 1 (bucket) + 1 (link) + 1 (case) when the
//	                organisation's case exists; W 1 (subscription, 0 if already). First in the
//	                organisation: the link read misses, + 1 (link, in the create) and
//	                W 3 (case, link, event) + 1 (event delete). No rate limit: one case per
//	                organisation and issue at most.
//	unsubscribe     scope + 1 + 1 (bucket); W 1 (0 if not subscribed)
//	/v2/unsubscribe GET: 2 (subscription, issue); POST: 1 (bucket) + 1 (issue); W 1 (0 if not subscribed)
package knownissues

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

func init() { functions.HTTP("knownissues", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("knownissues", Build)

// Config is what the function reads besides runtime.Config.
type Config struct {
	Unsubscribe unsubscribe.Config
}

// Build returns the function's HTTP handler over the runtime's
// dependencies, publishing known-issue and case events to Pub/Sub.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	signer, err := unsubscribe.New(cfg.Unsubscribe.Keys)
	if err != nil {
		return nil, err
	}
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return New(deps, pub, signer).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps   *runtime.Deps
	outbox *outbox.Outbox
	signer *unsubscribe.Signer
	// retries counts subscription transactions Firestore ran again
	// because a concurrent click wrote the same bucket first.
	retries atomic.Int64
}

// ContentionRetries is how many subscription transactions this instance
// had to run again because of a concurrent write to the same bucket
// (benchmarks report it; logs carry it per request at debug level).
func (h *Handler) ContentionRetries() int64 { return h.retries.Load() }

// New returns a Handler over deps publishing with pub and checking
// unsubscribe tokens with signer.
func New(deps *runtime.Deps, pub events.Publisher, signer *unsubscribe.Signer) *Handler {
	return &Handler{deps: deps, outbox: outbox.New(deps.Store, pub, deps.Logger), signer: signer}
}

// oneClickBodyLimit bounds a one-click POST body ("List-Unsubscribe=One-Click").
const oneClickBodyLimit = 1 << 10

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/knownIssues", httpapi.Methods{"GET": d.Handle(h.list), "POST": d.Handle(h.create)})
	// {id} is "ki-…" or "ki-…:meToo": the verb is split off in the handler.
	mux.Handle("/v2/knownIssues/{id}", httpapi.Methods{"GET": d.Handle(h.get), "POST": d.Handle(h.verb)})
	mux.Handle("/v2/knownIssues/{id}/updates", httpapi.Methods{"GET": d.Handle(h.listUpdates), "POST": d.Handle(h.createUpdate)})
	mux.Handle("/", httpapi.NotFoundHandler())

	outer := http.NewServeMux()
	outer.Handle("/v2/unsubscribe", d.WrapPublic(http.HandlerFunc(h.oneClick), oneClickBodyLimit))
	outer.Handle("/", d.Wrap(mux, 0))
	return outer
}

// verb dispatches POST /v2/knownIssues/{id}:{verb}.
func (h *Handler) verb(w http.ResponseWriter, r *http.Request) error {
	_, verb := httpapi.SplitVerb(r.PathValue("id"))
	switch verb {
	case "resolve":
		return h.resolve(w, r)
	case "meToo":
		return h.meToo(w, r)
	case "unsubscribe":
		return h.unsubscribe(w, r)
	case "":
		return apierror.MethodNotAllowed(r.Method)
	}
	return apierror.NotFound("unknown method %q on a known issue", verb)
}
