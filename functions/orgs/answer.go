package orgs

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// ApproveAccessRequest is the body of POST /v2/accessRequests/{id}:approve.
type ApproveAccessRequest struct {
	Organization string       `json:"organization"` // organizations/{org}
	Roles        []store.Role `json:"roles"`
}

// RejectAccessRequest is the body of POST /v2/accessRequests/{id}:reject.
type RejectAccessRequest struct {
	Reason string `json:"reason"` // shown to the requester
}

// maxReasonChars bounds a rejection's reason.
const maxReasonChars = 1000

// accessRequestIDRe is a Firestore auto-id's shape.
var accessRequestIDRe = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

// answerAccessRequest dispatches POST /v2/accessRequests/{id}:{verb}.
func (h *Handler) answerAccessRequest(w http.ResponseWriter, r *http.Request) error {
	id, verb := httpapi.SplitVerb(r.PathValue("id"))
	switch verb {
	case "approve":
		return h.approve(w, r, id)
	case "reject":
		return h.reject(w, r, id)
	case "":
		return apierror.MethodNotAllowed(r.Method)
	}
	return apierror.NotFound("unknown method %q on an access request", verb)
}

// approve serves :approve: the requester becomes a user of the named
// organisation with the given roles — a PENDING membership provisioned
// exactly like one an admin adds (Auth account, welcome e-mail,
// activation after ACTIVATION_DELAY) — the organisation's audit log
// records it, and the requester is e-mailed the answer. Support staff
// (into the vendor organisation: support admins only, with the support
// roles). The requester's address must be at one of the organisation's
// verified domains, as for any added user. A request answered already is
// FAILED_PRECONDITION: the check and the answer share one transaction.
//
// Reads: resolve (4) + the requester's profile (1) + the request (1,
// transaction). Writes: 5 (request, membership, audit entry, two events)
// and the two events' deletes after publishing.
func (h *Handler) approve(w http.ResponseWriter, r *http.Request, reqID string) error {
	ident, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	var in ApproveAccessRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	orgID, ok := wire.ParseOrgName(in.Organization)
	if !ok {
		return apierror.InvalidArgument("organization: give the organization's name, organizations/{id}").
			WithFieldViolation("organization", "not an organization name")
	}
	// The caller is resolved for the organisation the request is approved
	// into: support staff act there; its own people (403) and everyone
	// else (404) are refused as on any of its resources.
	a, err := h.deps.Resolver.Resolve(r.Context(), ident, orgID)
	if err != nil {
		return err
	}
	if err := a.Check(access.AccessRequestsAnswer); err != nil {
		return err
	}
	if !accessRequestIDRe.MatchString(reqID) {
		return apierror.NotFound("access request not found")
	}
	roles, err := access.NormalizeRoles(in.Roles, a.Org)
	if err != nil {
		return apierror.InvalidArgument("roles: %v", err).WithFieldViolation("roles", err.Error())
	}
	ctx := r.Context()
	now := h.deps.Clock.Now()
	req, msgs, err := h.deps.Store.AnswerAccessRequest(ctx, reqID, func(q *store.AccessRequest) (*store.Answer, error) {
		if !atDomain(q.Email, a.Org.Domains) {
			return nil, apierror.FailedPrecondition("%s is not at one of %s's verified domains (%s); users are added only at those",
				q.Email, a.Org.DisplayName, strings.Join(a.Org.Domains, ", "))
		}
		p, err := h.deps.Store.Profile(ctx, q.Email)
		if err != nil {
			return nil, err
		}
		lang, name := text.DefaultLanguage, ""
		if p != nil {
			name = p.DisplayName
			if p.Language != "" {
				lang = p.Language
			}
		}
		m, ev := store.PendingMembership(store.NewMember{OrgID: a.Org.ID, Email: q.Email, DisplayName: name, Language: lang,
			Roles: roles, AddedBy: a.Email(), ActivateTime: now.Add(h.cfg.ActivationDelay)}, now)
		return &store.Answer{
			State: store.AccessRequestApproved,
			Answer: store.AccessRequestAnswer{By: a.Email(), Time: now, OrgID: a.Org.ID, Roles: roles,
				ActivateTime: m.ActivateTime},
			Membership: m,
			Audit: store.AuditEntry{OrgID: a.Org.ID, Actor: a.Email(), Action: store.AuditAccessRequestApprove, Target: q.Email,
				Details: map[string]string{"roles": access.DescribeRoles(roles), "activateTime": wire.Timestamp(m.ActivateTime),
					"accessRequest": wire.AccessRequestName(q.ID)}, Time: now},
			MembershipEvent: ev,
			Answered:        events.NewAccessRequestAnswered(now, q.ID),
		}, nil
	})
	if err != nil {
		return answerError(err, "already a user of "+a.Org.DisplayName)
	}
	// Stored; if this publish fails the relay sends the events.
	h.outbox.Send(ctx, msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, accessRequestView(req))
}

// reject serves :reject with a reason the requester is told (by e-mail, in
// their language). Support staff.
//
// Reads: the vendor membership (1) + the request (1, transaction).
// Writes: 2 (request, event) and the event's delete after publishing.
func (h *Handler) reject(w http.ResponseWriter, r *http.Request, reqID string) error {
	ident, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), ident)
	if err != nil {
		return err
	}
	if err := a.Check(access.AccessRequestsAnswer); err != nil {
		return err
	}
	var in RejectAccessRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	reason, err := checkReason(in.Reason)
	if err != nil {
		return err
	}
	if !accessRequestIDRe.MatchString(reqID) {
		return apierror.NotFound("access request not found")
	}
	now := h.deps.Clock.Now()
	req, msgs, err := h.deps.Store.AnswerAccessRequest(r.Context(), reqID, func(q *store.AccessRequest) (*store.Answer, error) {
		return &store.Answer{State: store.AccessRequestRejected,
			Answer:   store.AccessRequestAnswer{By: a.Email(), Time: now, Reason: reason},
			Answered: events.NewAccessRequestAnswered(now, q.ID)}, nil
	})
	if err != nil {
		return answerError(err, "")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, accessRequestView(req))
}

// checkReason validates a rejection's reason: required, one to
// maxReasonChars characters of plain text.
func checkReason(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) error {
		return apierror.InvalidArgument("reason: %s", why).WithFieldViolation("reason", why)
	}
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", bad("required: say why the request is rejected")
	case n > maxReasonChars:
		return "", bad("longer than 1000 characters")
	}
	if p := text.Check(s, text.Multiline); p != "" {
		return "", bad(p)
	}
	return s, nil
}

// atDomain reports whether the (normalised) address is at one of domains.
func atDomain(email string, domains []string) bool {
	at := strings.LastIndexByte(email, '@')
	return at > 0 && slices.Contains(domains, email[at+1:])
}

func answerError(err error, exists string) error {
	switch {
	case errors.Is(err, store.ErrAlreadyAnswered):
		return apierror.FailedPrecondition("the access request has already been answered")
	case errors.Is(err, store.ErrAlreadyExists):
		return apierror.AlreadyExists("the requester is %s", exists)
	}
	return apierror.Describe(err, "access request")
}

// AccessRequestAnswer is how the support team answered a request.
type AccessRequestAnswer struct {
	AnsweredBy   string       `json:"answeredBy"`
	AnswerTime   string       `json:"answerTime"`
	Reason       string       `json:"reason,omitempty"`       // rejections
	Organization string       `json:"organization,omitempty"` // approvals: organizations/{org}
	Roles        []store.Role `json:"roles,omitempty"`
	ActivateTime string       `json:"activateTime,omitempty"`
}

func answerView(a *store.AccessRequestAnswer) *AccessRequestAnswer {
	if a == nil {
		return nil
	}
	out := &AccessRequestAnswer{AnsweredBy: a.By, AnswerTime: wire.Timestamp(a.Time), Reason: a.Reason, Roles: a.Roles,
		ActivateTime: wire.Timestamp(a.ActivateTime)}
	if a.OrgID != "" {
		out.Organization = wire.OrgName(a.OrgID)
	}
	return out
}

// parseStateFilter reads the queue's filter, "state=OPEN" (also
// state="OPEN", spaces around "="): one of store.AccessRequestStates, or
// "" for every request.
func parseStateFilter(f string) (string, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return "", nil
	}
	field, value, ok := strings.Cut(f, "=")
	value = strings.TrimSpace(value)
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	if !ok || strings.TrimSpace(field) != "state" || !slices.Contains(store.AccessRequestStates, value) {
		why := "filter by state: state=" + strings.Join(store.AccessRequestStates, ", state=")
		return "", apierror.InvalidArgument("filter: %s", why).WithFieldViolation("filter", why)
	}
	return value, nil
}
