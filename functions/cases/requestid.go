package cases

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// ParseRequestID decodes cases.create's requestId query parameter
// (AIP-155): empty (no idempotency), or a UUID in its 8-4-4-4-12
// hexadecimal form, returned in lower case. Anything else is
// INVALID_ARGUMENT naming the field.
func ParseRequestID(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if len(s) != 36 {
		return "", badRequestID()
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", badRequestID()
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return "", badRequestID()
			}
		}
	}
	return strings.ToLower(s), nil
}

func badRequestID() error {
	return apierror.InvalidArgument("requestId must be a UUID (8-4-4-4-12 hexadecimal digits)").
		WithFieldViolation("requestId", "not a UUID")
}

// caseRequestKey is the id of the record of a create with requestID: the
// same request id from another person or for another organisation is
// another request.
func caseRequestKey(orgID, uid, requestID string) string {
	sum := sha256.Sum256([]byte(orgID + "\x00" + uid + "\x00" + requestID))
	return hex.EncodeToString(sum[:])
}
