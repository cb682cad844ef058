package resources

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// decode runs body through the JSON decoder every route uses.
func decode(body string, dst any) error {
	return httpapi.DecodeJSON(httptest.NewRequest("POST", "/", strings.NewReader(body)), dst)
}

// FuzzCreateResourceRequest: whatever a client sends to POST
// /v2/resources either is refused, or decodes into a resource whose text
// fits its limits and refuses controls, whose kind, size, digest and id
// lists are valid and whose file name is sanitised.
func FuzzCreateResourceRequest(f *testing.F) {
	f.Add(`{"title":"CloudDB","kind":"DOWNLOAD","version":"7.2","productIds":["clouddb"],"packageIds":["GOLD"],` +
		`"filename":"setup.tar.gz","sizeBytes":"42","sha256":"` + strings.Repeat("ab", 32) + `"}`)
	f.Add(`{"title":"\u202e","kind":"video","sizeBytes":-1,"sha256":"zz","supersedes":"resources/x"}`)
	f.Add(`{"title":"x","unknown":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		var in CreateResourceRequest
		if err := decode(body, &in); err != nil {
			return
		}
		res, _, bad := parseCreate(in)
		if bad {
			return
		}
		for _, s := range []struct {
			v    string
			k    text.Kind
			max  int
			need bool
		}{{res.Title, text.Line, maxTitleChars, true}, {res.Description, text.Multiline, maxDescriptionChars, false},
			{res.Version, text.Line, maxVersionChars, true}} {
			if n := utf8.RuneCountInString(s.v); n > s.max || (s.need && n == 0) || text.Check(s.v, s.k) != "" {
				t.Fatalf("accepted text %q", s.v)
			}
		}
		if !slices.Contains(store.ResourceKinds, res.Kind) || res.SizeBytes < 1 || res.SizeBytes > MaxResourceBytes ||
			len(res.SHA256) != 64 || len(res.ProductIDs) == 0 || len(res.ProductIDs) > maxProducts ||
			len(res.PackageIDs) == 0 || len(res.PackageIDs) > maxPackages {
			t.Fatalf("accepted %+v", res)
		}
		if res.Filename == "" || len(res.Filename) > filename.MaxBytes || filename.Sanitize(res.Filename, defaultFilename) != res.Filename {
			t.Fatalf("file name %q not sanitised", res.Filename)
		}
	})
}

// FuzzCreateFeedbackRequest: a feedback body either is refused or yields
// a known kind, a message within limits without controls, and a page URL
// that is empty or http(s).
func FuzzCreateFeedbackRequest(f *testing.F) {
	f.Add(`{"kind":"IDEA","message":"More filters, please.","pageUrl":"https://support.example/cases"}`)
	f.Add(`{"kind":"problem","message":"\u0000","pageUrl":"javascript:alert(1)"}`)
	f.Add(`{"kind":"PRAISE","message":"좋아요"}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in CreateFeedbackRequest
		if err := decode(body, &in); err != nil {
			return
		}
		kind, msg, pageURL, err := validateFeedback(in)
		if err != nil {
			return
		}
		if !slices.Contains(store.FeedbackKinds, kind) || msg == "" || utf8.RuneCountInString(msg) > maxFeedbackChars ||
			text.Check(msg, text.Multiline) != "" {
			t.Fatalf("accepted %q %q", kind, msg)
		}
		if pageURL != "" && !strings.HasPrefix(pageURL, "http://") && !strings.HasPrefix(pageURL, "https://") {
			t.Fatalf("accepted page URL %q", pageURL)
		}
	})
}

// FuzzFilters: the resource and feedback filters either are refused or
// name only their own fields, once each, with allowed values.
func FuzzFilters(f *testing.F) {
	for _, s := range []string{"productId=clouddb AND kind=DOWNLOAD", "kind=IDEA AND state=NEW", "kind=video",
		"(kind=IDEA OR kind=PRAISE)", "state=OPEN", `productId="a b"`, "kind=IDEA AND kind=IDEA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, opts := range []filter.Options{resourceFilter, feedbackFilter} {
			eq, err := parseEqualities(s, opts)
			if err != nil {
				continue
			}
			for field, v := range eq {
				if !slices.Contains(opts.Fields, field) {
					t.Fatalf("%q: field %s not in the grammar", s, field)
				}
				if allowed, ok := opts.Values[field]; ok && !slices.Contains(allowed, v) {
					t.Fatalf("%q: %s=%q not allowed", s, field, v)
				}
			}
		}
	})
}
