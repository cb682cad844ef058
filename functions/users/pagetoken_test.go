package users

import (
	"errors"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/pagination"
)

func TestPageToken(t *testing.T) {
	t.Parallel()
	const last = "acme_0123456789abcdef0123456789abcdef"
	tok := encodePageToken("acme", last)
	if after, err := decodePageToken(tok, "acme"); err != nil || after != last {
		t.Fatalf("round trip: %q %v", after, err)
	}
	if after, err := decodePageToken("", "acme"); err != nil || after != "" {
		t.Fatalf("no token: %q %v", after, err)
	}
	invalid := func(err error) bool {
		var e *apierror.Error
		return errors.As(err, &e) && e.Status == "INVALID_ARGUMENT"
	}
	// Another organisation's token, and tokens bound to this
	// organisation's list whose id is not one of its memberships.
	for name, tc := range map[string]struct{ tok, org string }{
		"other org":      {tok, "acme2"},
		"other org list": {encodePageToken("other", "other_0123456789abcdef0123456789abcdef"), "acme"},
		"foreign id":     {pagination.Encode(pageKey("acme"), pagination.Token{ID: "other_0123"}), "acme"},
		"prefix only":    {pagination.Encode(pageKey("acme"), pagination.Token{ID: "acme_"}), "acme"},
		"no id":          {pagination.Encode(pageKey("acme"), pagination.Token{}), "acme"},
		"garbage":        {"!!", "acme"},
	} {
		if _, err := decodePageToken(tc.tok, tc.org); !invalid(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
