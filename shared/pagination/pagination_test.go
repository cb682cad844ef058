package pagination

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// violation returns the status and the violated field of err ("", "" when
// it is not an apierror).
func violation(err error) (status, field string) {
	var e *apierror.Error
	if !errors.As(err, &e) {
		return "", ""
	}
	for _, d := range e.Details {
		if br, ok := d.(*apierror.BadRequest); ok && len(br.FieldViolations) > 0 {
			field = br.FieldViolations[0].Field
		}
	}
	return e.Status, field
}

func TestSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		query    string
		def, max int
		want     int
	}{
		{"", 10, 100, 10},
		{"pageSize=0", 10, 100, 10},
		{"pageSize=1", 10, 100, 1},
		{"pageSize=100", 10, 100, 100},
		{"pageSize=101", 10, 100, 100},
		{"pageSize=1000", 50, 200, 200},
		{"pageSize=7&pageToken=x", 50, 100, 7},
	} {
		n, err := Size(httptest.NewRequest("GET", "/x?"+tt.query, nil), tt.def, tt.max)
		if err != nil || n != tt.want {
			t.Errorf("Size(%q, %d, %d) = %d, %v; want %d", tt.query, tt.def, tt.max, n, err, tt.want)
		}
	}
	for _, q := range []string{"pageSize=-1", "pageSize=x", "pageSize=1.5", "pageSize=99999999999999999999"} {
		_, err := Size(httptest.NewRequest("GET", "/x?"+q, nil), 10, 100)
		if st, field := violation(err); st != "INVALID_ARGUMENT" || field != "pageSize" {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	for _, tok := range []Token{
		{Time: at, ID: "123456789"},
		{ID: "acme"},
		{Offset: 40},
		{Time: at, ID: "doc1", Offset: 3},
	} {
		s := Encode("list|acme|", tok)
		got, err := Decode(s, "list|acme|")
		if err != nil || got == nil || !got.Time.Equal(tok.Time) || got.ID != tok.ID || got.Offset != tok.Offset {
			t.Errorf("%+v: got %+v, %v", tok, got, err)
		}
		if url.QueryEscape(s) != s {
			t.Errorf("%+v: token %q is not URL-safe", tok, s)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	tok := Encode("list|acme|", Token{Time: time.Now(), ID: "123456789"})
	// A token of another request (another filter, parent or list).
	for _, key := range []string{`list|acme|state="OPEN"`, "list|other|", ""} {
		if _, err := Decode(tok, key); !isInvalid(err) {
			t.Errorf("token replayed with key %q: %v", key, err)
		}
	}
	neg := base64.RawURLEncoding.EncodeToString([]byte(`{"o":-1,"h":"` + keyHash("k") + `"}`))
	long := base64.RawURLEncoding.EncodeToString([]byte(`{"i":"` + strings.Repeat("a", MaxTokenBytes) + `","h":"` + keyHash("k") + `"}`))
	for _, bad := range []string{
		"!!", "e30", "%%%", "bm90LWpzb24", // not base64, {} without hash, not JSON
		Encode("k", Token{ID: "x"}) + "=", // padded
		neg, long, strings.Repeat("A", 2000),
	} {
		if _, err := Decode(bad, "k"); !isInvalid(err) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if got, err := Decode("", "k"); got != nil || err != nil {
		t.Fatalf("empty token: %+v %v", got, err)
	}
	// The longest token Decode accepts is MaxTokenBytes decoded.
	id := strings.Repeat("a", MaxTokenBytes-len(`{"i":"","h":"`+keyHash("k")+`"}`))
	if got, err := Decode(Encode("k", Token{ID: id}), "k"); err != nil || got.ID != id {
		t.Errorf("token of exactly %d bytes: %v", MaxTokenBytes, err)
	}
	if _, err := Decode(Encode("k", Token{ID: id + "a"}), "k"); !isInvalid(err) {
		t.Errorf("token of %d bytes: %v", MaxTokenBytes+1, err)
	}
}

func TestInvalid(t *testing.T) {
	t.Parallel()
	if !isInvalid(Invalid()) {
		t.Fatalf("Invalid() = %v", Invalid())
	}
	if e := apierror.From(Invalid()); e.HTTPStatus != 400 {
		t.Fatalf("Invalid() HTTP status %d", e.HTTPStatus)
	}
}

func isInvalid(err error) bool {
	st, field := violation(err)
	return st == "INVALID_ARGUMENT" && field == "pageToken"
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode("k", Token{Time: time.Now(), ID: "123456789"}))
	f.Add(Encode("k", Token{Offset: 20}))
	f.Add(Encode("other", Token{ID: "x"}))
	f.Add("")
	f.Add("e30")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Decode(s, "k")
		switch {
		case err != nil:
			if !isInvalid(err) || tok != nil {
				t.Fatalf("%q: %+v, %v", s, tok, err)
			}
		case s == "":
			if tok != nil {
				t.Fatalf("empty token decoded as %+v", tok)
			}
		default:
			if tok == nil || tok.Offset < 0 {
				t.Fatalf("accepted %q as %+v", s, tok)
			}
			if b, _ := base64.RawURLEncoding.DecodeString(s); len(b) > MaxTokenBytes {
				t.Fatalf("accepted %d bytes", len(b))
			}
			// What was accepted encodes again to a token that decodes
			// to the same position.
			again, err := Decode(Encode("k", *tok), "k")
			if err != nil || !again.Time.Equal(tok.Time) || again.ID != tok.ID || again.Offset != tok.Offset {
				t.Fatalf("%q: %+v re-encoded as %+v, %v", s, tok, again, err)
			}
		}
	})
}
