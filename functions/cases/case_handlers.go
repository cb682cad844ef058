package cases

import (
	"net/http"
	"slices"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/casefile"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// create serves POST /v2/organizations/{org}/cases (cases.create).
// Costs: the caller's resolution, a read of the previous case when one is
// referenced, the rate limiter (one read, one write) and two writes — the
// case and its event in the outbox — in one commit (again on the rare id
// collision), plus the event's delete after publishing. With
// ?requestId=<UUID> (AIP-155) a retried create by the same person returns
// the first case instead of filing a second: one more read and write
// (store.CreateCaseOnce).
func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	orgID, err := pathOrg(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	if err := a.Check(access.CaseCreate); err != nil {
		return err
	}
	requestID, err := ParseRequestID(r.URL.Query().Get("requestId"))
	if err != nil {
		return err
	}
	var in Case
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	c, err := newCase(&in, now)
	if err != nil {
		return err
	}
	product, cl, err := h.classification(r.Context(), c.ClassificationID)
	if err != nil {
		return err
	}
	if err := a.CheckCreate(product.ID); err != nil {
		return err
	}
	if in.PreviousCaseName != "" {
		prev, err := h.previousCase(r, a, orgID, in.PreviousCaseName)
		if err != nil {
			return err
		}
		c.PreviousCaseID = prev
	}
	casefile.Complete(c, a, product, cl, now)
	if err := h.deps.Limit(r.Context(), a, ratelimit.CaseCreate); err != nil {
		return err
	}
	newEvents := func(c *store.Case) []events.Event {
		return []events.Event{h.event(events.CaseCreated, c, a, false)}
	}
	var msgs []events.Message
	if requestID != "" {
		var first *store.Case
		first, msgs, err = h.deps.Store.CreateCaseOnce(r.Context(), c, caseRequestKey(orgID, a.Identity.UID, requestID), newEvents)
		if err == nil && first != nil {
			// A retry of a create that succeeded: the first case, as is.
			if err := a.CheckCase(access.CaseRead, access.RefOf(first)); err != nil {
				return err
			}
			return httpapi.WriteJSON(w, http.StatusOK, toWire(first, a.Package, now))
		}
	} else {
		msgs, err = h.deps.Store.CreateCase(r.Context(), c, newEvents)
	}
	if err != nil {
		return apierror.Describe(err, "case")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toWire(c, a.Package, now))
}

// previousCase checks a previousCaseName: a case of the same organisation
// the caller may read.
func (h *Handler) previousCase(r *http.Request, a *access.Actor, orgID, name string) (string, error) {
	pOrg, pID, ok := wire.ParseCaseName(name)
	if !ok || pOrg != orgID {
		return "", apierror.InvalidArgument("previousCaseName must name a case of this organization (organizations/%s/cases/{id})", orgID).
			WithFieldViolation("previousCaseName", "not a case of this organization")
	}
	prev, err := h.deps.Store.Case(r.Context(), pID)
	if err != nil {
		if store.IsNotFound(err) {
			return "", apierror.InvalidArgument("previousCaseName: case %s not found", pID).
				WithFieldViolation("previousCaseName", "not found")
		}
		return "", apierror.Describe(err, "case")
	}
	if err := a.CheckCase(access.CaseRead, access.RefOf(prev)); err != nil {
		return "", apierror.InvalidArgument("previousCaseName: case %s not found", pID).
			WithFieldViolation("previousCaseName", "not found")
	}
	return pID, nil
}

// get serves GET /v2/organizations/{org}/cases/{case} (cases.get).
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	a, c, err := h.deps.CaseFor(r, orgID, caseID, access.CaseRead)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, toWire(c, a.Package, h.deps.Clock.Now()))
}

// patch serves PATCH /v2/organizations/{org}/cases/{case}?updateMask=
// (cases.patch). Customers change displayName, priority and subscribers;
// support staff change priority and, with "state" in the mask, the state.
func (h *Handler) patch(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	mask, err := parseMask(r.URL.Query().Get("updateMask"))
	if err != nil {
		return err
	}
	var in Case
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := checkBodyName(in.Name, wire.CaseName(orgID, caseID)); err != nil {
		return err
	}
	displayName, priority, state, subscribers, err := patchValues(&in, mask)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	c, msgs, err := h.deps.Store.MutateCase(r.Context(), caseID, func(t *store.CaseTx, c *store.Case) (bool, error) {
		oldState := c.State
		for _, p := range mask {
			if err := a.CheckCase(patchAction(a, p), access.RefOf(c)); err != nil {
				return false, err
			}
		}
		if stateOnly := len(mask) == 1 && mask[0] == pathState; !stateOnly {
			if err := casestate.CheckEdit(c.State); err != nil {
				return false, err
			}
		}
		changed := false
		for _, p := range mask {
			switch p {
			case pathDisplayName:
				changed = changed || c.DisplayName != displayName
				c.DisplayName = displayName
			case pathPriority:
				changed = changed || c.Priority != priority
				c.Priority = priority
			case pathSubscribers:
				changed = changed || !slices.Equal(c.SubscriberEmailAddresses, subscribers)
				c.SubscriberEmailAddresses = subscribers
			case pathState:
				if err := casestate.StaffMove(c.State, state); err != nil {
					return false, err
				}
				changed = changed || c.State != state
				c.State = state
			}
		}
		if changed {
			if c.DisplayName != "" {
				c.Tokens = searchtokens.Add(c.Tokens, c.DisplayName)
			}
			c.UpdateTime = now
			// A state change moves the waiting clock; a priority change
			// only re-computes the due times.
			var act *caseclock.Activity
			if c.State != oldState {
				act = &caseclock.Activity{BySupport: a.IsSupport(), State: c.State, At: now}
			}
			caseclocks.Update(c, a.Package, act, false)
		}
		if c.State != oldState {
			e := h.event(events.CaseStateChanged, c, a, a.IsSupport())
			e.OldState, e.NewState = oldState, c.State
			return changed, t.Publish(e)
		}
		return changed, nil
	})
	if err != nil {
		return apierror.Describe(err, "case")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toWire(c, a.Package, now))
}

// patchAction is the access action a mask path needs: support staff set
// priority and state (CaseSetState); customers edit the rest (CaseUpdate).
func patchAction(a *access.Actor, path string) access.Action {
	switch {
	case path == pathState:
		return access.CaseSetState
	case path == pathPriority && a.IsSupport():
		return access.CaseSetState
	}
	return access.CaseUpdate
}

// close serves POST …/cases/{case}:close (cases.close).
func (h *Handler) close(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "close")
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	var in CloseRequest
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	if err := checkBodyName(in.Name, wire.CaseName(orgID, caseID)); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	c, msgs, err := h.deps.Store.MutateCase(r.Context(), caseID, func(t *store.CaseTx, c *store.Case) (bool, error) {
		if err := a.CheckCase(access.CaseClose, access.RefOf(c)); err != nil {
			return false, err
		}
		if err := casestate.CheckClose(c.State); err != nil {
			return false, err
		}
		e := h.event(events.CaseClosed, c, a, a.IsSupport())
		e.OldState, e.NewState = c.State, casestate.Closed
		c.State, c.Open = casestate.Closed, casestate.IsOpen(casestate.Closed)
		c.CloseTime, c.UpdateTime = now, now
		c.CloseCount++
		caseclocks.Update(c, a.Package, &caseclock.Activity{BySupport: a.IsSupport(), State: c.State, At: now}, false)
		return true, t.Publish(e)
	})
	if err != nil {
		return apierror.Describe(err, "case")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toWire(c, a.Package, now))
}

// escalate serves POST …/cases/{case}:escalate (cases.escalate).
func (h *Handler) escalate(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "escalate")
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	var in EscalateRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := checkBodyName(in.Name, wire.CaseName(orgID, caseID)); err != nil {
		return err
	}
	reason, justification, err := escalation(&in)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	c, msgs, err := h.deps.Store.MutateCase(r.Context(), caseID, func(t *store.CaseTx, c *store.Case) (bool, error) {
		if err := a.CheckCase(access.CaseEscalate, access.RefOf(c)); err != nil {
			return false, err
		}
		var escalatedAt time.Time
		if c.Escalation != nil {
			escalatedAt = c.Escalation.Time
		}
		if err := casestate.CheckEscalate(c.State, c.Escalated, escalatedAt); err != nil {
			return false, err
		}
		c.Escalated = true
		c.Escalation = &store.Escalation{Time: now, ActorUID: a.Identity.UID, ActorEmail: a.Email(), ActorName: a.DisplayName(),
			Reason: reason, Justification: justification}
		c.UpdateTime = now
		return true, t.Publish(h.event(events.CaseEscalated, c, a, false))
	})
	if err != nil {
		return apierror.Describe(err, "case")
	}
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toWire(c, a.Package, now))
}

// decodeOptional decodes a JSON body that may be absent (Google's client
// always sends one; curl users often do not).
func decodeOptional(r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return httpapi.DecodeJSON(r, dst)
}
