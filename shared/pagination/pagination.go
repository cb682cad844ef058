// Package pagination is the one place that reads list page sizes and
// writes and reads opaque page tokens (AIP-158) for every list the API
// functions serve.
//
// A page token records where the last page ended (a time, an id, or an
// offset into an in-memory list) together with a hash of the request it
// belongs to — the list, its parent and its filter, as the caller spells
// them in a key — so a token replayed against another list, parent or
// filter is refused instead of silently skipping or repeating results.
// Tokens are base64url JSON, opaque to clients, at most MaxTokenBytes
// decoded; they carry no secret and grant nothing (every page re-checks
// access).
package pagination

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// MaxTokenBytes bounds a decoded page token; longer ones are refused
// before they are parsed.
const MaxTokenBytes = 512

// Size reads ?pageSize=: def when absent or 0, at most max (larger
// requests are coerced to the maximum, as AIP-158 asks), and
// INVALID_ARGUMENT when it is not a non-negative integer.
func Size(r *http.Request, def, maxSize int) (int, error) {
	s := r.URL.Query().Get("pageSize")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, apierror.InvalidArgument("pageSize must be a non-negative integer").
			WithFieldViolation("pageSize", "not a non-negative integer")
	}
	if n == 0 {
		return def, nil
	}
	return min(n, maxSize), nil
}

// Token is where the last page ended. Which fields a list uses is up to
// the list: a Firestore cursor (Time and ID, or ID alone) or an offset
// into an in-memory list (Offset).
type Token struct {
	Time   time.Time
	ID     string
	Offset int
}

// wire is a Token as encoded, bound to its request key by Hash.
type wire struct {
	Time   time.Time `json:"t,omitzero"`
	ID     string    `json:"i,omitempty"`
	Offset int       `json:"o,omitempty"`
	Hash   string    `json:"h"`
}

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

// Encode returns the opaque token that resumes the list identified by key
// at t.
func Encode(key string, t Token) string {
	b, _ := json.Marshal(wire{Time: t.Time, ID: t.ID, Offset: t.Offset, Hash: keyHash(key)})
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a token that Encode returned for the same key. An empty s
// is no token: (nil, nil). A token that is malformed, too long, has a
// negative offset or belongs to another key is INVALID_ARGUMENT (Invalid).
// Lists check the fields they need on top and refuse with Invalid.
func Decode(s, key string) (*Token, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > base64.RawURLEncoding.EncodedLen(MaxTokenBytes) {
		return nil, Invalid()
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > MaxTokenBytes {
		return nil, Invalid()
	}
	var w wire
	if err := json.Unmarshal(b, &w); err != nil || w.Hash != keyHash(key) || w.Offset < 0 {
		return nil, Invalid()
	}
	return &Token{Time: w.Time, ID: w.ID, Offset: w.Offset}, nil
}

// Invalid is the error for a page token this request cannot use:
// INVALID_ARGUMENT with a pageToken field violation.
func Invalid() error {
	return apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
		WithFieldViolation("pageToken", "invalid or from another request")
}
