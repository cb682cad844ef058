package orgs

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestParseStateFilter(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "  ": "", "state=OPEN": "OPEN", `state="APPROVED"`: "APPROVED", " state = REJECTED ": "REJECTED",
		"state=RESOLVED": "RESOLVED",
		"state=open":     "!", "priority=P1": "!", "state=": "!", "OPEN": "!", `state="OPEN`: "!", "state=OPEN AND state=OPEN": "!",
	} {
		got, err := parseStateFilter(in)
		if want == "!" {
			if err == nil || apierror.From(err).HTTPStatus != http.StatusBadRequest {
				t.Errorf("%q: accepted as %q (%v)", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
}

// FuzzParseStateFilter: any filter is either one of the states (or none)
// or a 400 naming the field, never a panic.
func FuzzParseStateFilter(f *testing.F) {
	for _, s := range []string{"state=OPEN", `state="REJECTED"`, "state=", "=", `state=""`, "state=\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseStateFilter(s)
		if err != nil {
			if apierror.From(err).HTTPStatus != http.StatusBadRequest {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if got != "" && !slices.Contains(store.AccessRequestStates, got) {
			t.Fatalf("%q gave state %q", s, got)
		}
	})
}

// FuzzCheckReason: a rejection reason is refused (400) or kept trimmed,
// at most 1000 characters of valid text.
func FuzzCheckReason(f *testing.F) {
	for _, s := range []string{"", " no ", "a\u202eb", strings.Repeat("x", 1001), "line\nline", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := checkReason(s)
		if err != nil {
			if apierror.From(err).HTTPStatus != http.StatusBadRequest {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if got == "" || got != strings.TrimSpace(got) || utf8.RuneCountInString(got) > maxReasonChars || !utf8.ValidString(got) {
			t.Fatalf("%q kept as %q", s, got)
		}
	})
}

func TestAtDomain(t *testing.T) {
	t.Parallel()
	domains := []string{"acme.example"}
	for email, want := range map[string]bool{"a@acme.example": true, "a@sub.acme.example": false, "a@acme.example.evil": false,
		"@acme.example": false, "acme.example": false, "a@b@acme.example": true} {
		if got := atDomain(email, domains); got != want {
			t.Errorf("%q: %v", email, got)
		}
	}
}
