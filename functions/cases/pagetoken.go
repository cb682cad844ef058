package cases

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

// Page sizes (Cloud Support: default 10; larger requests are coerced to
// the maximum, as AIP-158 asks).
const (
	defaultPageSize = 10
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
		return 0, apierror.InvalidArgument("pageSize must be a non-negative integer").WithFieldViolation("pageSize", "not a non-negative integer")
	}
	if n == 0 {
		return defaultPageSize, nil
	}
	return min(n, maxPageSize), nil
}

// pageToken is the opaque token: where the last page ended, and a hash of
// the request it belongs to so a token is not replayed against another
// filter or parent (which would silently skip or repeat results).
type pageToken struct {
	Time   time.Time `json:"t,omitzero"`
	ID     string    `json:"i,omitempty"`
	Offset int       `json:"o,omitempty"`
	Hash   string    `json:"h"`
}

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

func encodeToken(t pageToken) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s, key string) (*pageToken, error) {
	if s == "" {
		return nil, nil
	}
	bad := apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
		WithFieldViolation("pageToken", "invalid or from another request")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 512 {
		return nil, bad
	}
	var t pageToken
	if err := json.Unmarshal(b, &t); err != nil || t.Hash != keyHash(key) || t.Offset < 0 {
		return nil, bad
	}
	return &t, nil
}

// encodeCursorToken / decodeCursorToken carry a Firestore cursor.
func encodeCursorToken(c *store.Cursor, key string) string {
	if c == nil {
		return ""
	}
	return encodeToken(pageToken{Time: c.CreateTime, ID: c.ID, Hash: keyHash(key)})
}

func decodeCursorToken(s, key string) (*store.Cursor, error) {
	t, err := decodeToken(s, key)
	if err != nil || t == nil {
		return nil, err
	}
	if t.ID == "" || t.Time.IsZero() {
		return nil, apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
			WithFieldViolation("pageToken", "invalid")
	}
	return &store.Cursor{CreateTime: t.Time, ID: t.ID}, nil
}

// encodeOffsetToken / decodeOffsetToken page through in-memory lists
// (offsets cost nothing there; Firestore lists use cursors).
func encodeOffsetToken(offset int, key string) string {
	return encodeToken(pageToken{Offset: offset, Hash: keyHash(key)})
}

func decodeOffsetToken(s, key string) (int, error) {
	t, err := decodeToken(s, key)
	if err != nil || t == nil {
		return 0, err
	}
	return t.Offset, nil
}
