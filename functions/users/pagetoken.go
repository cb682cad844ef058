package users

import (
	"strings"

	"github.com/supportcenter/supportcenter/shared/pagination"
)

// pageKey binds a page token to its organisation's list.
func pageKey(orgID string) string { return "users|" + orgID }

// encodePageToken returns the token that resumes orgID's list after the
// membership lastID.
func encodePageToken(orgID, lastID string) string {
	return pagination.Encode(pageKey(orgID), pagination.Token{ID: lastID})
}

// decodePageToken returns the membership id to start after; a token from
// another organisation's list, or a forged one, is refused — including one
// whose id is not one of orgID's memberships ("{orgID}_…").
func decodePageToken(tok, orgID string) (string, error) {
	t, err := pagination.Decode(tok, pageKey(orgID))
	if err != nil || t == nil {
		return "", err
	}
	if len(t.ID) <= len(orgID)+1 || !strings.HasPrefix(t.ID, orgID+"_") {
		return "", pagination.Invalid()
	}
	return t.ID, nil
}
