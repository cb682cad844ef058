package wire

import (
	"regexp"
	"strings"
)

// Resource names. Every name a client sees is built by one of these
// functions and every name a client sends is read by a Parse function, so
// the spelling lives here only.
//
//	organizations/{org}
//	organizations/{org}/cases/{case}
//	organizations/{org}/cases/{case}/comments/{comment}
//	organizations/{org}/cases/{case}/attachments/{attachment}
//	organizations/{org}/cases/{case}/survey
//	organizations/{org}/users/{user}
//	organizations/{org}/auditLog/{entry}
//	organizations/{org}/productSupport
//	knownIssues/{knownIssue}
//	accessRequests/{accessRequest}
const (
	orgsPrefix        = "organizations/"
	knownIssuesPrefix = "knownIssues/"
	accessReqPrefix   = "accessRequests/"
)

// OrgName is "organizations/{org}".
func OrgName(orgID string) string { return orgsPrefix + orgID }

// CaseName is "organizations/{org}/cases/{case}".
func CaseName(orgID, caseID string) string { return OrgName(orgID) + "/cases/" + caseID }

// CommentName is "organizations/{org}/cases/{case}/comments/{comment}".
func CommentName(orgID, caseID, commentID string) string {
	return CaseName(orgID, caseID) + "/comments/" + commentID
}

// AttachmentName is "organizations/{org}/cases/{case}/attachments/{attachment}".
func AttachmentName(orgID, caseID, attachmentID string) string {
	return CaseName(orgID, caseID) + "/attachments/" + attachmentID
}

// SurveyName is "organizations/{org}/cases/{case}/survey" (one survey
// resource per case; it holds the latest closure's survey).
func SurveyName(orgID, caseID string) string { return CaseName(orgID, caseID) + "/survey" }

// UserName is "organizations/{org}/users/{user}"; user is the membership
// key of the person's address.
func UserName(orgID, userKey string) string { return OrgName(orgID) + "/users/" + userKey }

// AuditEntryName is "organizations/{org}/auditLog/{entry}".
func AuditEntryName(orgID, entryID string) string { return OrgName(orgID) + "/auditLog/" + entryID }

// ProductSupportName is "organizations/{org}/productSupport".
func ProductSupportName(orgID string) string { return OrgName(orgID) + "/productSupport" }

// KnownIssueName is "knownIssues/{knownIssue}".
func KnownIssueName(id string) string { return knownIssuesPrefix + id }

// AccessRequestName is "accessRequests/{accessRequest}".
func AccessRequestName(id string) string { return accessReqPrefix + id }

// ParseOrgName reads "organizations/{org}"; a bare org id is refused.
func ParseOrgName(name string) (orgID string, ok bool) {
	id, ok := strings.CutPrefix(name, orgsPrefix)
	if !ok || !ValidOrgID(id) {
		return "", false
	}
	return id, true
}

// ParseCaseName reads "organizations/{org}/cases/{case}".
func ParseCaseName(name string) (orgID, caseID string, ok bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "organizations" || parts[2] != "cases" ||
		!ValidOrgID(parts[1]) || !ValidCaseID(parts[3]) {
		return "", "", false
	}
	return parts[1], parts[3], true
}

// ParseKnownIssueName reads "knownIssues/{knownIssue}" (known-issue ids
// follow the organisation-id rule).
func ParseKnownIssueName(name string) (id string, ok bool) {
	id, ok = strings.CutPrefix(name, knownIssuesPrefix)
	if !ok || !ValidOrgID(id) {
		return "", false
	}
	return id, true
}

// orgID is the one organisation-id rule: a lower-case DNS label (letters,
// digits and hyphens, starting with a letter or digit, at most 63
// characters). Every organisation stored so far — the demo data and every
// id the tests create — has this shape, and it is a strict subset of what
// Firestore accepts as a document id, so a valid id never makes Firestore
// refuse a read. An earlier, looser rule (upper case, '.', '_', up to 100
// characters) was used by some endpoints; no stored id needed it.
var orgID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidOrgID reports whether id can be an organisation id. Anything else
// is answered as not found without reading.
func ValidOrgID(id string) bool { return orgID.MatchString(id) }

// ValidCaseID reports whether id has the shape of a case id: 6 to 12
// digits without a leading zero (new ids are random 9-digit numbers).
func ValidCaseID(id string) bool {
	if len(id) < 6 || len(id) > 12 || id[0] == '0' {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// AttachmentIDLen is the length of an attachment id: 16 hex digits of the
// creation time in nanoseconds and 8 random hex digits.
const AttachmentIDLen = 24

// ValidAttachmentID reports whether id has the shape of an attachment id
// (24 lower-case hex digits).
func ValidAttachmentID(id string) bool {
	if len(id) != AttachmentIDLen {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}
