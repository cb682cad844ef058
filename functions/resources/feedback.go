package resources

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Feedback limits.
const (
	maxFeedbackChars = 4000
	maxPageURLBytes  = 2000
	// ackTimeout bounds the acknowledgement send on the request path.
	ackTimeout = 10 * time.Second
)

// feedbackFilter is the grammar of GET /v2/feedback?filter=.
var feedbackFilter = filter.Options{
	Fields: []filter.Field{filter.FieldKind, filter.FieldState},
	Values: map[filter.Field][]string{filter.FieldKind: store.FeedbackKinds, filter.FieldState: store.FeedbackStates},
}

// validateFeedback checks a submission and returns it normalised.
func validateFeedback(in CreateFeedbackRequest) (kind, msg, pageURL string, err error) {
	e := apierror.InvalidArgument("the feedback is not valid")
	bad := false
	kind = strings.ToUpper(strings.TrimSpace(in.Kind))
	if !slices.Contains(store.FeedbackKinds, kind) {
		e.WithFieldViolation("kind", "must be IDEA, PROBLEM or PRAISE")
		bad = true
	}
	msg, p := text.CheckBounded(in.Message, text.Multiline, 1, maxFeedbackChars)
	if p != "" {
		e.WithFieldViolation("message", p)
		bad = true
	}
	pageURL = strings.TrimSpace(in.PageURL)
	if pageURL != "" {
		u, perr := url.Parse(pageURL)
		switch {
		case len(pageURL) > maxPageURLBytes:
			e.WithFieldViolation("pageUrl", "at most 2000 bytes")
			bad = true
		case perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || text.Check(pageURL, text.Line) != "":
			e.WithFieldViolation("pageUrl", "must be an http(s) URL")
			bad = true
		}
	}
	if bad {
		return "", "", "", e
	}
	return kind, msg, pageURL, nil
}

// createFeedback serves POST /v2/feedback {"kind","message","pageUrl"}:
// any signed-in person with a verified address, with or without access
// (feedback is how people report that the access page itself is broken).
// Only the sender's e-mail and organisation (their first active
// membership's, else a pending one's; none without) are kept; one
// acknowledgement e-mail goes to the sender in their language.
func (h *Handler) createFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	if err := access.RequireVerified(id); err != nil {
		return err
	}
	var in CreateFeedbackRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	kind, msg, pageURL, err := validateFeedback(in)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.deps.LimitFor(ctx, ratelimit.NoOrg, id.UID, nil, ratelimit.Feedback); err != nil {
		return err
	}
	st, err := h.deps.Resolver.Status(ctx, id)
	if err != nil {
		return err
	}
	f := &store.Feedback{Kind: kind, Message: msg, PageURL: pageURL, Email: id.Email, OrgID: senderOrg(st),
		State: store.FeedbackNew, CreateTime: h.deps.Clock.Now()}
	if err := h.deps.Store.CreateFeedback(ctx, f); err != nil {
		return apierror.Describe(err, "feedback")
	}
	h.acknowledge(ctx, f, r.Header.Get("Accept-Language"))
	return httpapi.WriteJSON(w, http.StatusOK, feedbackView(f))
}

// senderOrg is the organisation feedback is filed under: the first
// active membership's, else the first pending one's, else none.
func senderOrg(st *access.AccessStatus) string {
	pending := ""
	for _, m := range st.Memberships {
		switch m.Status {
		case store.StatusActive:
			return m.OrgID
		case store.StatusPending:
			if pending == "" {
				pending = m.OrgID
			}
		}
	}
	return pending
}

// acknowledge sends the sender one acknowledgement e-mail in their
// language (profile, else Accept-Language). Once only: a failure is
// logged, never retried (the feedback is stored either way).
func (h *Handler) acknowledge(ctx context.Context, f *store.Feedback, acceptLanguage string) {
	lang := firstLanguage(acceptLanguage)
	if p, err := h.deps.Store.Profile(ctx, f.Email); err == nil && p != nil && p.Language != "" {
		lang = p.Language
	}
	msg, err := feedbackAck.Render(lang, ackData{Kind: f.Kind, PortalURL: h.deps.Config.PortalURL})
	if err != nil {
		h.deps.Logger.ErrorContext(ctx, "feedback acknowledgement not rendered", "feedbackId", f.ID, "error", err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	if _, err := h.mail.Send(ctx, msg.Message(mail.Address{Email: f.Email})); err != nil {
		h.deps.Logger.WarnContext(ctx, "feedback acknowledgement not sent", "feedbackId", f.ID, "error", err.Error())
	}
}

// firstLanguage is the first language tag of an Accept-Language header.
func firstLanguage(h string) string {
	tag, _, _ := strings.Cut(h, ",")
	tag, _, _ = strings.Cut(tag, ";")
	return strings.TrimSpace(tag)
}

// listFeedback serves GET /v2/feedback?filter=kind=…%20AND%20state=… :
// support staff, newest first.
func (h *Handler) listFeedback(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.staff(r, access.FeedbackRead); err != nil {
		return err
	}
	f := r.URL.Query().Get("filter")
	eq, err := parseEqualities(f, feedbackFilter)
	if err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "feedback?" + f
	after, err := decodeCursor(r, key)
	if err != nil {
		return err
	}
	fs, err := h.deps.Store.FeedbackPage(r.Context(), store.FeedbackFilter{Kind: eq[filter.FieldKind], State: eq[filter.FieldState]}, after, size+1)
	if err != nil {
		return apierror.From(err)
	}
	out := ListFeedbackResponse{Feedback: []Feedback{}}
	if len(fs) > size {
		fs = fs[:size]
		last := fs[size-1]
		out.NextPageToken = pagination.Encode(key, pagination.Token{Time: last.CreateTime, ID: last.ID})
	}
	for _, x := range fs {
		out.Feedback = append(out.Feedback, feedbackView(x))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// triage serves POST /v2/feedback/{id}:triage (support staff).
func (h *Handler) triage(w http.ResponseWriter, r *http.Request) error {
	id, verb := httpapi.SplitVerb(r.PathValue("feedback"))
	if verb == "" {
		return apierror.MethodNotAllowed(r.Method)
	}
	if verb != "triage" {
		return apierror.NotFound("unknown method %q on feedback", verb)
	}
	a, err := h.staff(r, access.FeedbackTriage)
	if err != nil {
		return err
	}
	if !wire.ValidFeedbackID(id) {
		return apierror.NotFound("feedback not found")
	}
	if err := decodeOptionalJSON(r); err != nil {
		return err
	}
	f, err := h.deps.Store.TriageFeedback(r.Context(), id, a.Email(), h.deps.Clock.Now())
	if err != nil {
		return apierror.Describe(err, "feedback")
	}
	return httpapi.WriteJSON(w, http.StatusOK, feedbackView(f))
}
