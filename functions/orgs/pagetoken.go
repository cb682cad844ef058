package orgs

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Page sizes: larger requests are coerced to the maximum (AIP-158).
const (
	defaultPageSize = 50
	maxPageSize     = 100
)

// pageSize reads ?pageSize=.
func pageSize(r *http.Request) (int, error) {
	s := r.URL.Query().Get("pageSize")
	if s == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, apierror.InvalidArgument("pageSize must be a non-negative integer").
			WithFieldViolation("pageSize", "not a non-negative integer")
	}
	if n == 0 {
		return defaultPageSize, nil
	}
	return min(n, maxPageSize), nil
}

// pageToken is the opaque page token: where the last page ended, and a hash
// of the list it belongs to, so a token is not replayed against another
// list (which would silently skip or repeat results).
type pageToken struct {
	Time time.Time `json:"t,omitzero"`
	ID   string    `json:"i"`
	Hash string    `json:"h"`
}

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

// encodeToken returns the token that resumes list key after (t, id).
func encodeToken(key string, t time.Time, id string) string {
	b, _ := json.Marshal(pageToken{Time: t, ID: id, Hash: keyHash(key)})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken reads ?pageToken= for list key; ok is false without one.
func decodeToken(r *http.Request, key string) (tok pageToken, ok bool, err error) {
	s := r.URL.Query().Get("pageToken")
	if s == "" {
		return pageToken{}, false, nil
	}
	bad := apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
		WithFieldViolation("pageToken", "invalid or from another request")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return pageToken{}, false, bad
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.Hash != keyHash(key) || tok.ID == "" {
		return pageToken{}, false, bad
	}
	return tok, true, nil
}

// decodePosition reads a token of a newest-first list.
func decodePosition(r *http.Request, key string) (*store.Position, error) {
	tok, ok, err := decodeToken(r, key)
	if err != nil || !ok {
		return nil, err
	}
	if tok.Time.IsZero() {
		return nil, apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
			WithFieldViolation("pageToken", "invalid")
	}
	return &store.Position{Time: tok.Time, ID: tok.ID}, nil
}
