package orgs

import (
	"net/http"
	"time"

	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Page sizes: larger requests are coerced to the maximum (AIP-158).
const (
	defaultPageSize = 50
	maxPageSize     = 100
)

// encodeToken returns the token that resumes list key after (t, id).
func encodeToken(key string, t time.Time, id string) string {
	return pagination.Encode(key, pagination.Token{Time: t, ID: id})
}

// decodeToken reads ?pageToken= for list key; ok is false without one.
// Every list here resumes after an id, so a token without one is refused.
func decodeToken(r *http.Request, key string) (tok pagination.Token, ok bool, err error) {
	t, err := pagination.Decode(r.URL.Query().Get("pageToken"), key)
	if err != nil || t == nil {
		return pagination.Token{}, false, err
	}
	if t.ID == "" {
		return pagination.Token{}, false, pagination.Invalid()
	}
	return *t, true, nil
}

// decodeCursor reads a token of a newest-first list.
func decodeCursor(r *http.Request, key string) (*store.Cursor, error) {
	tok, ok, err := decodeToken(r, key)
	if err != nil || !ok {
		return nil, err
	}
	if tok.Time.IsZero() {
		return nil, pagination.Invalid()
	}
	return &store.Cursor{Time: tok.Time, ID: tok.ID}, nil
}
