package cases

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// createSurvey serves POST …/cases/{case}/survey: the customer rates a
// closed case (1–5, optional text), once per closure. Costs one read and
// one write; a second survey for the same closure is ALREADY_EXISTS.
func (h *Handler) createSurvey(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	var in Survey
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	rating, text, err := survey(&in)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	var sv *store.Survey
	_, _, err = h.deps.Store.MutateCase(r.Context(), caseID, func(t *store.CaseTx, c *store.Case) (bool, error) {
		if err := a.CheckCase(access.CaseSurvey, access.RefOf(c)); err != nil {
			return false, err
		}
		if err := casestate.CheckSurvey(c.State); err != nil {
			return false, err
		}
		sv = &store.Survey{CloseCount: c.CloseCount, Rating: rating, Text: text, CreateTime: now,
			CreatorUID: a.Identity.UID, CreatorEmail: a.Email(), CreatorName: a.DisplayName()}
		return false, t.AddSurvey(sv)
	})
	if store.IsAlreadyExists(err) {
		return apierror.AlreadyExists("a survey was already submitted for this closure of the case")
	}
	if err != nil {
		return apierror.Describe(err, "case")
	}
	return httpapi.WriteJSON(w, http.StatusOK, surveyToWire(orgID, caseID, sv))
}

// getSurvey serves GET …/cases/{case}/survey: the survey of the case's
// latest closure, for anyone who may read the case (the support team reads
// it). Costs two reads.
func (h *Handler) getSurvey(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r, "")
	if err != nil {
		return err
	}
	_, c, err := h.deps.CaseFor(r, orgID, caseID, access.CaseRead)
	if err != nil {
		return err
	}
	notFound := apierror.NotFound("no survey has been submitted for the latest closure of this case")
	if c.CloseCount == 0 {
		return notFound
	}
	sv, err := h.deps.Store.Survey(r.Context(), caseID, c.CloseCount)
	if store.IsNotFound(err) {
		return notFound
	}
	if err != nil {
		return apierror.Describe(err, "case")
	}
	return httpapi.WriteJSON(w, http.StatusOK, surveyToWire(orgID, caseID, sv))
}
