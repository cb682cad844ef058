package knownissues

import (
	"errors"
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// createUpdate serves POST /v2/knownIssues/{id}/updates (support staff).
func (h *Handler) createUpdate(w http.ResponseWriter, r *http.Request) error {
	ki, u, err := h.postUpdate(r, false)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, updateToWire(ki.ID, u))
}

// resolve serves POST /v2/knownIssues/{id}:resolve (support admins): the
// final update, e-mailed like any other; the banner drops the issue.
func (h *Handler) resolve(w http.ResponseWriter, r *http.Request) error {
	ki, _, err := h.postUpdate(r, true)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, issueToWire(ki))
}

// postUpdate checks and stores an update (a resolution when resolve), with
// its knownIssue.updated event in the outbox, and publishes the event.
func (h *Handler) postUpdate(r *http.Request, resolve bool) (*store.KnownIssue, *store.KnownIssueUpdate, error) {
	id, err := h.deps.Identity(r)
	if err != nil {
		return nil, nil, err
	}
	verb := ""
	if resolve {
		verb = "resolve"
	}
	issueID, err := pathIssue(r, verb)
	if err != nil {
		return nil, nil, err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	action := access.KnownIssuePostNote
	if resolve {
		action = access.KnownIssuesPublish
	}
	if err := a.CheckKnownIssue(action, nil); err != nil {
		return nil, nil, err
	}
	var in UpdateRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return nil, nil, err
	}
	var v violations
	u := &store.KnownIssueUpdate{
		Body:        v.text("body", in.Body, text.Multiline, true, maxUpdateBody),
		AuthorEmail: a.Email(), AuthorName: a.DisplayName(), CreateTime: h.deps.Clock.Now(), Resolution: resolve,
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	ki, msgs, err := h.deps.Store.AddKnownIssueUpdate(r.Context(), issueID, u, func(ki *store.KnownIssue, u *store.KnownIssueUpdate) events.KnownIssueEvent {
		return events.NewKnownIssueUpdated(u.CreateTime, ki.ID, u.ID, u.Resolution)
	})
	switch {
	case errors.Is(err, store.ErrKnownIssueResolved):
		return nil, nil, apierror.FailedPrecondition("the known issue is resolved; it takes no more updates")
	case err != nil:
		return nil, nil, apierror.Describe(err, "known issue")
	}
	h.outbox.Send(r.Context(), msgs...)
	return ki, u, nil
}

// listUpdates serves GET /v2/knownIssues/{id}/updates, newest first.
func (h *Handler) listUpdates(w http.ResponseWriter, r *http.Request) error {
	ki, err := h.visibleIssue(r, "")
	if err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "knownIssueUpdates|" + ki.ID
	tok, err := pagination.Decode(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	var after *store.Cursor
	if tok != nil {
		if tok.ID == "" {
			return pagination.Invalid()
		}
		after = &store.Cursor{Time: tok.Time, ID: tok.ID}
	}
	us, err := h.deps.Store.KnownIssueUpdates(r.Context(), ki.ID, after, size+1)
	if err != nil {
		return apierror.Describe(err, "known issue updates")
	}
	out := ListUpdatesResponse{Updates: []Update{}}
	for i, u := range us {
		if i == size {
			last := us[i-1]
			out.NextPageToken = pagination.Encode(key, pagination.Token{Time: last.CreateTime, ID: last.ID})
			break
		}
		out.Updates = append(out.Updates, updateToWire(ki.ID, u))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}
