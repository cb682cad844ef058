package cases

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// listComments serves GET …/cases/{case}/comments (comments.list), newest
// first. Costs one case read plus pageSize+1 comment reads at most.
func (h *Handler) listComments(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	if _, _, err := h.deps.CaseFor(r, orgID, caseID, access.CaseRead); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "comments|" + wire.CaseName(orgID, caseID)
	after, err := decodeCursorToken(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	cms, err := h.deps.Store.Comments(r.Context(), caseID, after, size+1)
	if err != nil {
		return apierror.Describe(err, "case")
	}
	out := ListCommentsResponse{Comments: []Comment{}}
	if len(cms) > size {
		last := cms[size-1]
		out.NextPageToken = encodeCursorToken(&store.Cursor{Time: last.CreateTime, ID: last.ID}, key)
		cms = cms[:size]
	}
	for _, cm := range cms {
		out.Comments = append(out.Comments, commentToWire(orgID, caseID, cm))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// createComment serves POST …/cases/{case}/comments (comments.create). In
// one transaction it adds the comment and applies its effect on the case:
// a customer's comment hands ACTION_REQUIRED/SOLUTION_PROVIDED back to
// support and reopens a case closed at most 30 days ago; support's first
// comment on a NEW case starts work on it. Costs one read and three writes
// (case, comment, its event in the outbox; four when the state changes too),
// plus the events' deletes after publishing.
func (h *Handler) createComment(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	var in Comment
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	body, err := commentBody(&in)
	if err != nil {
		return err
	}
	if err := h.deps.Limit(r.Context(), a, ratelimit.CommentCreate); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	support := a.IsSupport()
	var cm *store.Comment
	_, msgs, err := h.deps.Store.MutateCase(r.Context(), caseID, func(t *store.CaseTx, c *store.Case) (bool, error) {
		if err := a.CheckCase(access.CaseComment, access.RefOf(c)); err != nil {
			return false, err
		}
		outcome, err := casestate.CommentEffect(casestate.Commented{State: c.State, CloseTime: c.CloseTime, Name: wire.CaseName(c.OrgID, c.ID)}, support, now)
		if err != nil {
			return false, err
		}
		oldState := c.State
		cm = &store.Comment{Body: body, CreateTime: now, CreatorUID: a.Identity.UID, CreatorEmail: a.Email(),
			CreatorName: a.DisplayName(), CreatorIsSupport: support, CreatorCapacity: string(a.Capacity)}
		if err := t.AddComment(cm); err != nil {
			return false, err
		}
		if outcome.NewState != "" {
			c.State, c.Open = outcome.NewState, casestate.IsOpen(outcome.NewState)
		}
		if outcome.Reopen {
			c.ReopenCount++
		}
		c.CommentCount++
		c.UpdateTime = now
		// The comment sets the first response, starts or stops the
		// response and waiting clocks.
		caseclocks.Update(c, a.Package, &caseclock.Activity{BySupport: support, State: c.State, At: now}, true)
		c.Tokens = searchtokens.Add(c.Tokens, body)
		commented := h.event(events.CaseCommented, c, a, support)
		commented.CommentID = cm.ID
		if err := t.Publish(commented); err != nil {
			return false, err
		}
		if outcome.NewState != "" {
			typ := events.CaseStateChanged
			if outcome.Reopen {
				typ = events.CaseReopened
			}
			e := h.event(typ, c, a, support)
			e.OldState, e.NewState, e.CommentID = oldState, c.State, cm.ID
			return true, t.Publish(e)
		}
		return true, nil
	})
	if err != nil {
		return apierror.Describe(err, "case")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, commentToWire(orgID, caseID, cm))
}
