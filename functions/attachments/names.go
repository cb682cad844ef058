package attachments

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
)

// defaultFilename names an attachment whose sent name had nothing usable.
const defaultFilename = "attachment"

// pathCase returns the organisation and case ids of a case-scoped URL.
func pathCase(r *http.Request) (orgID, caseID string, err error) {
	orgID, caseID = r.PathValue("org"), r.PathValue("case")
	if !wire.ValidOrgID(orgID) || !wire.ValidCaseID(caseID) {
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
	if !wire.ValidAttachmentID(id) {
		return "", "", "", "", apierror.NotFound("attachment not found")
	}
	return orgID, caseID, id, verb, nil
}
