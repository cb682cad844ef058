package attachments

import (
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

func caseName(orgID, caseID string) string {
	return "organizations/" + orgID + "/cases/" + caseID
}

func attachmentName(orgID, caseID, id string) string {
	return caseName(orgID, caseID) + "/attachments/" + id
}

// validOrgID reports whether id can be an organisation id (the same rule as
// the cases function: anything else is a 404 without touching Firestore).
func validOrgID(id string) bool {
	if id == "" || len(id) > 100 || strings.HasPrefix(id, "__") {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// pathCase returns the organisation and case ids of a case-scoped URL.
func pathCase(r *http.Request) (orgID, caseID string, err error) {
	orgID, caseID = r.PathValue("org"), r.PathValue("case")
	if !validOrgID(orgID) || !store.ValidCaseID(caseID) {
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
	id, verb, _ = strings.Cut(r.PathValue("attachment"), ":")
	if !store.ValidAttachmentID(id) {
		return "", "", "", "", apierror.NotFound("attachment not found")
	}
	return orgID, caseID, id, verb, nil
}

// caseRef is what the access policy needs to know about c (as the cases
// function builds it).
func caseRef(c *store.Case) access.CaseRef {
	return access.CaseRef{OrgID: c.OrgID, ProductID: c.ProductID, ResellerID: c.ResellerID, CreateTime: c.CreateTime, TestCase: c.TestCase}
}

// actorName is the display name recorded for a as uploader.
func actorName(a *access.Actor) string {
	if a.Identity.Name != "" {
		return a.Identity.Name
	}
	if a.Membership != nil && a.Membership.DisplayName != "" {
		return a.Membership.DisplayName
	}
	return a.Email()
}
