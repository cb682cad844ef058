// Package cases is the "cases" HTTP function (see infra/functions.yaml):
// support cases, their comments, close / escalate / survey, list and
// search, case classifications and the support team's queue, in the REST
// shape of Google's Cloud Support API v2, so
// Google's own clients (cloud.google.com/go/support/apiv2 REST clients)
// drive it unchanged.
//
// Every handler resolves the caller for the organisation in the URL and asks
// package access before touching a case; another tenant's case is 404.
// Writes that change a case run in one Firestore transaction that also
// writes their case events (package events) to the outbox; the events are
// published right after the commit (package outbox), or by the relay.
//
// Extensions to Cloud Support, all ignored by Google's clients:
//   - Case fields: structured intake (issueStartTime, issueEndTime,
//     productVersion, stackTrace, reproductionSteps, relatedCode,
//     applicationFlow, usersAffectedPercent, userImpact), previousCaseName,
//     knownIssueName, and output-only closeTime, reopenCount, commentCount,
//     escalation {reason, justification, escalateTime, actor} and
//     sla {package, firstResponseMinutes, nextResponseMinutes,
//     firstResponseDueTime, firstResponseTime}.
//   - PATCH with "state" in updateMask: support staff move a case between
//     the working states (see states.go); priority is patchable by staff too.
//   - POST/GET …/cases/{case}/survey: one satisfaction survey per closure.
//   - GET /v2/cases?filter=: the support queue across organisations (never
//     test cases); the filter also takes escalated=true|false.
//   - Filters accept concrete states (state=ACTION_REQUIRED) besides
//     OPEN/CLOSED.
package cases

import (
	"context"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.HTTP("cases", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("cases", Build)

// Build returns the function's HTTP handler over the runtime's
// dependencies, publishing case events to Pub/Sub.
func Build(ctx context.Context, deps *runtime.Deps, _ runtime.NoConfig) (http.Handler, error) {
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return New(deps, pub).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps   *runtime.Deps
	outbox *outbox.Outbox
}

// New returns a Handler over deps publishing case events to pub.
func New(deps *runtime.Deps, pub events.Publisher) *Handler {
	return &Handler{deps: deps, outbox: outbox.New(deps.Store, pub, deps.Logger)}
}

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations/{org}/cases", httpapi.Methods{"GET": d.Handle(h.list), "POST": d.Handle(h.create)})
	mux.Handle("/v2/organizations/{org}/cases:search", httpapi.Methods{"GET": d.Handle(h.search)})
	// {case} is "123", "123:close" or "123:escalate": ServeMux wildcards
	// take the whole segment, so the verb is split off in the handler.
	mux.Handle("/v2/organizations/{org}/cases/{case}", httpapi.Methods{
		"GET": d.Handle(h.get), "PATCH": d.Handle(h.patch), "POST": d.Handle(h.caseVerb)})
	mux.Handle("/v2/organizations/{org}/cases/{case}/comments", httpapi.Methods{
		"GET": d.Handle(h.listComments), "POST": d.Handle(h.createComment)})
	mux.Handle("/v2/organizations/{org}/cases/{case}/survey", httpapi.Methods{
		"GET": d.Handle(h.getSurvey), "POST": d.Handle(h.createSurvey)})
	mux.Handle("/v2/caseClassifications:search", httpapi.Methods{"GET": d.Handle(h.searchClassifications)})
	mux.Handle("/v2/cases", httpapi.Methods{"GET": d.Handle(h.queue)})
	mux.Handle("/", httpapi.NotFoundHandler())
	return d.Wrap(mux, 0)
}

// caseVerb dispatches POST …/cases/{id}:close and :escalate.
func (h *Handler) caseVerb(w http.ResponseWriter, r *http.Request) error {
	_, verb := httpapi.SplitVerb(r.PathValue("case"))
	switch verb {
	case "close":
		return h.close(w, r)
	case "escalate":
		return h.escalate(w, r)
	case "":
		return apierror.MethodNotAllowed(r.Method)
	}
	return apierror.NotFound("unknown method %q on a case", verb)
}

// pathCase returns the organisation and case id of a case URL, refusing
// a custom verb where none belongs (wantVerb "" = none).
func pathCase(r *http.Request, wantVerb string) (orgID, caseID string, err error) {
	orgID = r.PathValue("org")
	caseID, verb := httpapi.SplitVerb(r.PathValue("case"))
	if verb != wantVerb {
		return "", "", apierror.NotFound("no such resource: %s", r.URL.Path)
	}
	if !wire.ValidOrgID(orgID) || !wire.ValidCaseID(caseID) {
		return "", "", apierror.NotFound("case not found")
	}
	return orgID, caseID, nil
}

// pathOrg returns the organisation id of an organisation URL.
func pathOrg(r *http.Request) (string, error) {
	orgID := r.PathValue("org")
	if !wire.ValidOrgID(orgID) {
		return "", apierror.NotFound("organization not found")
	}
	return orgID, nil
}

// event builds an event of typ for c caused by a (acting as support staff
// when bySupport).
func (h *Handler) event(typ string, c *store.Case, a *access.Actor, bySupport bool) events.Event {
	e := events.New(typ, h.deps.Clock.Now(), c.OrgID, c.ID)
	e.SetActor(a.Identity.UID, store.ProfileID(a.Email()), bySupport)
	return e
}
