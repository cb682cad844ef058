package orgs

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Access request limits.
const (
	maxMessageChars = 2000
	// maxOpenRequests bounds one person's open requests: enough to ask
	// about a few organisations, too few to flood the support queue.
	maxOpenRequests = 3
)

const accessRequestsKey = "accessRequests"

// createAccessRequest serves POST /v2/accessRequests with
// {"orgId"?: "...", "message": "..."}: the "no access" form. Any signed-in
// person with a verified e-mail may file, member or not; the server fills
// who (e-mail, uid) and why (the cause, as ACCESS_REQUIRED reports it).
// The organisation asked about is recorded as given and never looked up,
// so the form reveals nothing about which organisations exist. More than
// maxOpenRequests open requests per person: 429.
//
// Reads: memberships M (≥ 1) + their organisations M (with no membership
// at all, 1 instead: the organisation owning the address's domain, for its
// SSO policy) + open requests (≤ 3, ≥ 1). Writes: 1.
func (h *Handler) createAccessRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	if err := access.RequireVerified(id); err != nil {
		return err
	}
	var in CreateAccessRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	orgID, msg, err := validateAccessRequest(in)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.deps.LimitFor(ctx, ratelimit.NoOrg, id.UID, nil, ratelimit.AccessRequest); err != nil {
		return err
	}
	st, err := h.deps.Resolver.Status(ctx, id)
	if err != nil {
		return err
	}
	req := &store.AccessRequest{Email: id.Email, UID: id.UID, OrgID: orgID, Cause: requestCause(st, orgID),
		Message: msg, State: store.AccessRequestOpen, CreateTime: h.deps.Clock.Now()}
	if err := h.deps.Store.CreateAccessRequest(ctx, req, maxOpenRequests); err != nil {
		if errors.Is(err, store.ErrTooManyOpenRequests) {
			return apierror.ResourceExhausted("you already have %d open access requests; the support team will answer them", maxOpenRequests)
		}
		return apierror.Describe(err, "access request")
	}
	return httpapi.WriteJSON(w, http.StatusOK, accessRequestView(req))
}

// validateAccessRequest checks the form and returns the organisation id
// ("organizations/{id}" is accepted too) and the trimmed message.
func validateAccessRequest(in CreateAccessRequest) (orgID, msg string, err error) {
	orgID = strings.TrimPrefix(strings.TrimSpace(in.OrgID), wire.OrgName(""))
	msg = strings.TrimSpace(in.Message)
	e := apierror.InvalidArgument("the access request is not valid")
	bad := false
	if orgID != "" && !wire.ValidOrgID(orgID) {
		e.WithFieldViolation("orgId", "not an organization id")
		bad = true
	}
	switch n := utf8.RuneCountInString(msg); {
	case n == 0:
		e.WithFieldViolation("message", "required: say what you need access to and why")
		bad = true
	case n > maxMessageChars:
		e.WithFieldViolation("message", "longer than 2000 characters")
		bad = true
	default:
		if p := text.Check(msg, text.Multiline); p != "" {
			e.WithFieldViolation("message", p)
			bad = true
		}
	}
	if bad {
		return "", "", e
	}
	return orgID, msg, nil
}

// requestCause is why the person has no access: to the organisation asked
// about when one is given, otherwise overall. Empty when they already have
// it (they ask for something else, e.g. another role).
func requestCause(st *access.AccessStatus, orgID string) string {
	if orgID == "" {
		return st.Cause
	}
	for _, m := range st.Memberships {
		if m.OrgID != orgID {
			continue
		}
		switch m.Status {
		case store.StatusPending:
			return access.CausePending
		case store.StatusActive:
			org := st.Orgs[orgID]
			if org != nil && org.Kind == store.KindCustomer {
				if p := st.Packages[org.PackageID]; p == nil || !p.SupportCenterAccess {
					return access.CausePackageNotEligible
				}
			}
			return ""
		}
	}
	return access.CauseNotAMember
}

// listAccessRequests serves GET /v2/accessRequests?filter=&pageSize=&pageToken= :
// the support team's queue of access requests, newest first; filter
// "state=OPEN" (or APPROVED, REJECTED, RESOLVED) lists one state.
//
// Reads: 1 (the vendor membership) + one per request, at most pageSize+1
// (1 when none); 403 callers also pay the status read that tells
// ACCESS_REQUIRED from PERMISSION_DENIED. Writes: 0.
func (h *Handler) listAccessRequests(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.Check(access.AccessRequestsRead); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	state, err := parseStateFilter(r.URL.Query().Get("filter"))
	if err != nil {
		return err
	}
	key := accessRequestsKey // a token resumes the same filter only
	if state != "" {
		key += "|" + state
	}
	after, err := decodeCursor(r, key)
	if err != nil {
		return err
	}
	var reqs []*store.AccessRequest
	if state == "" {
		reqs, err = h.deps.Store.AccessRequestsPage(r.Context(), after, size+1)
	} else {
		reqs, err = h.deps.Store.AccessRequestsInState(r.Context(), state, after, size+1)
	}
	if err != nil {
		return apierror.From(err)
	}
	out := ListAccessRequestsResponse{AccessRequests: []AccessRequest{}}
	if len(reqs) > size {
		reqs = reqs[:size]
		last := reqs[size-1]
		out.NextPageToken = encodeToken(key, last.CreateTime, last.ID)
	}
	for _, q := range reqs {
		out.AccessRequests = append(out.AccessRequests, accessRequestView(q))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}
