package cases

import (
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Page sizes (Cloud Support: default 10; larger requests are coerced to
// the maximum, as AIP-158 asks).
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// encodeCursorToken / decodeCursorToken carry a Firestore cursor in a page
// token bound to key (the list, its parent and its filter).
func encodeCursorToken(c *store.Cursor, key string) string {
	if c == nil {
		return ""
	}
	return pagination.Encode(key, pagination.Token{Time: c.Time, ID: c.ID})
}

func decodeCursorToken(s, key string) (*store.Cursor, error) {
	t, err := pagination.Decode(s, key)
	if err != nil || t == nil {
		return nil, err
	}
	if t.ID == "" || t.Time.IsZero() {
		return nil, pagination.Invalid()
	}
	return &store.Cursor{Time: t.Time, ID: t.ID}, nil
}

// encodeOffsetToken / decodeOffsetToken page through in-memory lists
// (offsets cost nothing there; Firestore lists use cursors).
func encodeOffsetToken(offset int, key string) string {
	return pagination.Encode(key, pagination.Token{Offset: offset})
}

func decodeOffsetToken(s, key string) (int, error) {
	t, err := pagination.Decode(s, key)
	if err != nil || t == nil {
		return 0, err
	}
	return t.Offset, nil
}
