package resources

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Feedback limits.
const (
	maxFeedbackChars = 4000
	maxPageURLBytes  = 2000
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
// membership's, else a pending one's; none without) are kept; the
// feedback.received event (same commit) gets the sender one
// acknowledgement e-mail in their language, from the provision function.
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
	lang := firstLanguage(r.Header.Get("Accept-Language"))
	msgs, err := h.deps.Store.CreateFeedback(ctx, f, func(f *store.Feedback) events.FeedbackEvent {
		return events.NewFeedbackReceived(f.CreateTime, f.ID, lang)
	})
	if err != nil {
		return apierror.Describe(err, "feedback")
	}
	h.outbox.Send(ctx, msgs...)
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

// firstLanguage is the first language tag of an Accept-Language header
// ("" when it is not a plausible tag: the event carries at most 35 bytes).
func firstLanguage(h string) string {
	tag, _, _ := strings.Cut(h, ",")
	tag, _, _ = strings.Cut(tag, ";")
	tag = strings.TrimSpace(tag)
	if len(tag) > 35 {
		return ""
	}
	return tag
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
