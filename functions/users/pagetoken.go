package users

import (
	"encoding/base64"
	"encoding/json"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// pageToken is the cursor behind the opaque nextPageToken: the last
// membership id of a page, bound to its organisation.
type pageToken struct {
	Org   string `json:"o"`
	After string `json:"a"`
}

func encodePageToken(orgID, lastID string) string {
	b, _ := json.Marshal(pageToken{Org: orgID, After: lastID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodePageToken returns the membership id to start after; a token from
// another organisation's list, or a forged one, is refused.
func decodePageToken(tok, orgID string) (string, error) {
	bad := apierror.InvalidArgument("pageToken is not a token this list returned").WithFieldViolation("pageToken", "invalid")
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", bad
	}
	var pt pageToken
	if err := json.Unmarshal(b, &pt); err != nil || pt.Org != orgID || len(pt.After) <= len(orgID)+1 || pt.After[:len(orgID)+1] != orgID+"_" {
		return "", bad
	}
	return pt.After, nil
}
