package attachments

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

func caseName(orgID, caseID string) string {
	return "organizations/" + orgID + "/cases/" + caseID
}

func attachmentName(orgID, caseID, id string) string {
	return caseName(orgID, caseID) + "/attachments/" + id
}

// pathCase returns the organisation and case ids of a case-scoped URL.
func pathCase(r *http.Request) (orgID, caseID string, err error) {
	orgID, caseID = r.PathValue("org"), r.PathValue("case")
	if !store.ValidOrgID(orgID) || !store.ValidCaseID(caseID) {
		return "", "", apierror.NotFound("case not found")
	}
	return orgID, caseID, nil
}

// pathAttachment returns the ids of …/attachments/{id}[:verb] and the verb.
func pathAttachment(r *http.Request) (orgID, caseID, id, verb string, err error) {
	orgID, caseID, err = pathCase(r)
	if err != nil {
		return "", "", "", "", err
	}
	id, verb = httpapi.SplitVerb(r.PathValue("attachment"))
	if !store.ValidAttachmentID(id) {
		return "", "", "", "", apierror.NotFound("attachment not found")
	}
	return orgID, caseID, id, verb, nil
}
