package auth

import (
	"net/http/httptest"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func TestBearerToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer  abc ", "abc", true},
		{"", "", false},
		{"Basic abc", "", false},
		{"Bearer ", "", false},
		{"Bearer", "", false},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		got, err := BearerToken(r)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("BearerToken(%q) = %q, %v", tc.header, got, err)
		}
		if err != nil && apierror.From(err).HTTPStatus != 401 {
			t.Errorf("BearerToken(%q) error is not 401: %v", tc.header, err)
		}
	}
}
