package address

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

var acmeDomains = []string{"acme.example", "eu.acme.example", "xn--bcher-kva.example"}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want "" = refused
	}{
		{"new@acme.example", "new@acme.example"},
		{"  New.Person@ACME.Example ", "new.person@acme.example"},
		{"first.last+tag@acme.example", "first.last+tag@acme.example"},
		{"o'brien@acme.example", "o'brien@acme.example"},
		{"x@eu.acme.example", "x@eu.acme.example"},             // listed sub-domain
		{"x@xn--bcher-kva.example", "x@xn--bcher-kva.example"}, // listed punycode domain
		{"x@XN--BCHER-KVA.EXAMPLE", "x@xn--bcher-kva.example"},

		{"", ""},
		{"   ", ""},
		{"x@globex.example", ""},             // another organisation
		{"x@acme.example.evil.test", ""},     // verified domain as a prefix
		{"x@evilacme.example", ""},           // verified domain as a suffix
		{"x@evil.acme.example", ""},          // unlisted sub-domain
		{"x@acme.example.", ""},              // trailing dot
		{"x@acme.example..", ""},             // trailing dots
		{"x@.acme.example", ""},              // leading dot
		{"x@acme..example", ""},              // empty label
		{"x@acme", ""},                       // single label
		{"x@-acme.example", ""},              // leading hyphen
		{"x@acme-.example", ""},              // trailing hyphen
		{"x@acme_example.example", ""},       // underscore
		{"x@acme.example@acme.example", ""},  // two @
		{"x@y@acme.example", ""},             // two @
		{"acme.example", ""},                 // no @
		{"@acme.example", ""},                // empty local part
		{"x@", ""},                           // empty domain
		{`"x"@acme.example`, ""},             // quoted local part
		{`"x@evil.test"@acme.example`, ""},   // quoted @
		{"X <x@acme.example>", ""},           // display-name form
		{"<x@acme.example>", ""},             // angle brackets
		{"x@acme.example (comment)", ""},     // comment
		{"x y@acme.example", ""},             // space
		{"x\n@acme.example", ""},             // control character
		{"x@acme.example\x00", ""},           // NUL
		{".x@acme.example", ""},              // leading dot in local part
		{"x.@acme.example", ""},              // trailing dot in local part
		{"x..y@acme.example", ""},            // double dot
		{"x@[127.0.0.1]", ""},                // address literal
		{"x@acme.exampl\u0435", ""},          // Cyrillic e look-alike
		{"x@\u0430cme.example", ""},          // Cyrillic a look-alike
		{"x@acme.\u212Aexample", ""},         // Kelvin sign (lower-cases to k)
		{"x@acme.example\u200b", ""},         // zero-width space
		{"x@acme\uff0eexample", ""},          // full-width dot
		{"x@b\u00fccher.example", ""},        // IDN in Unicode form (punycode is listed)
		{"\u00fcser@acme.example", ""},       // non-ASCII local part
		{"x@xn--bcher-kva.example.evil", ""}, // punycode domain as a prefix
		{"x@xn--bchr-kva.example", ""},       // different punycode
		{strings.Repeat("a", 65) + "@acme.example", ""},
		{"x@" + strings.Repeat("a.", 130) + "acme.example", ""},
	}
	for _, tc := range tests {
		got, err := Check(tc.in, acmeDomains)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Check(%q) = %q, want refusal", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Check(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCheckTellsWhy(t *testing.T) {
	t.Parallel()
	_, err := Check("x@globex.example", []string{"Acme.Example"})
	var de *domainError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "acme.example") {
		t.Errorf("got %v", err)
	}
	if _, err := Check("x@acme.example", []string{"ACME.example"}); err != nil {
		t.Errorf("stored domain case: %v", err)
	}
	if _, err := Check("x@acme.example", nil); err == nil {
		t.Error("an organisation without domains accepted an address")
	}
}

// FuzzCheck checks the properties every accepted address has.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"new@acme.example", "x@acme.example.evil.test", "x@acme.example.", `"a"@acme.example`,
		"X <x@acme.example>", "x@ACME.EXAMPLE", "x@acme.\u212Aexample", "a@b@acme.example", "x@eu.acme.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Check(in, acmeDomains)
		if err != nil {
			return
		}
		if !utf8.ValidString(got) || strings.ContainsFunc(got, func(r rune) bool { return r >= 0x80 || r <= ' ' }) {
			t.Fatalf("%q accepted as %q: not printable ASCII", in, got)
		}
		if got != strings.ToLower(strings.TrimSpace(in)) {
			t.Fatalf("%q accepted as %q: not just normalised", in, got)
		}
		local, domain, ok := strings.Cut(got, "@")
		if !ok || local == "" || strings.Contains(domain, "@") {
			t.Fatalf("%q accepted as %q: not one @", in, got)
		}
		listed := false
		for _, d := range acmeDomains {
			listed = listed || domain == d
		}
		if !listed {
			t.Fatalf("%q accepted with domain %q, not a verified domain", in, domain)
		}
		// Idempotent: the normalised form is accepted as itself.
		if again, err := Check(got, acmeDomains); err != nil || again != got {
			t.Fatalf("%q: normalised %q re-checks as %q, %v", in, got, again, err)
		}
	})
}
