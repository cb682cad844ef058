package cases

import (
	"fmt"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Resource names.

func orgName(orgID string) string { return "organizations/" + orgID }

func caseName(orgID, caseID string) string {
	return fmt.Sprintf("organizations/%s/cases/%s", orgID, caseID)
}

func commentName(orgID, caseID, commentID string) string {
	return caseName(orgID, caseID) + "/comments/" + commentID
}

// parseCaseName parses "organizations/{org}/cases/{id}".
func parseCaseName(name string) (orgID, caseID string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "organizations" || parts[2] != "cases" ||
		!store.ValidOrgID(parts[1]) || !store.ValidCaseID(parts[3]) {
		return "", "", false
	}
	return parts[1], parts[3], true
}

// checkBodyName refuses a body "name" that disagrees with the path (Google
// clients repeat the name in :close and :escalate bodies).
func checkBodyName(bodyName, want string) error {
	if bodyName != "" && bodyName != want {
		return apierror.InvalidArgument("the name in the body (%q) does not match the URL (%q)", bodyName, want).
			WithFieldViolation("name", "does not match the URL")
	}
	return nil
}
