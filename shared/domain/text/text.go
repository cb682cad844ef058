// Package text is the one validator of text people type: free text (case
// titles and descriptions, comments, survey answers, justifications,
// access-request messages, …), display names and the interface language.
//
// Free text keeps what the person wrote (no trimming or rewriting of the
// inside) but refuses characters that have no business in it and that
// attackers use: NUL and the other C0 controls, DEL, the C1 controls, and
// the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069)
// that make text read differently from what it is. Multi-line text may
// hold line breaks (LF, or CR LF) and tabs; a single line may not.
//
// Refusals are INVALID_ARGUMENT naming the field (apierror), so a caller
// returns them as they are, or collects the description with Check to
// report several fields at once.
package text

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Kind says whether text may span lines.
type Kind int

// Kinds of text.
const (
	Line      Kind = iota // one line: names, titles
	Multiline             // may hold LF, CR LF and tabs: descriptions, comments
)

// Check returns what is wrong with s as text of kind k, or "" when
// nothing is. The description names the offending character by code point
// and position (characters, from 1), never quoting the text itself.
func Check(s string, k Kind) string {
	pos := 0
	for i, r := range s {
		pos++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return fmt.Sprintf("is not valid UTF-8 (at character %d)", pos)
			}
		}
		switch {
		case r == '\n' || r == '\t':
			if k == Multiline {
				continue
			}
			return fmt.Sprintf("must be a single line (%s at character %d)", codePoint(r), pos)
		case r == '\r':
			if k == Multiline && strings.HasPrefix(s[i+1:], "\n") {
				continue
			}
			if k == Multiline {
				return fmt.Sprintf("contains a carriage return that does not end a line (character %d)", pos)
			}
			return fmt.Sprintf("must be a single line (%s at character %d)", codePoint(r), pos)
		case isControl(r):
			return fmt.Sprintf("contains the control character %s at character %d", codePoint(r), pos)
		case isBidiControl(r):
			return fmt.Sprintf("contains the bidirectional control %s at character %d", codePoint(r), pos)
		}
	}
	return ""
}

// isControl reports C0 controls, DEL and C1 controls (Unicode category Cc).
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// isBidiControl reports the embedding/override controls U+202A–U+202E and
// the isolates U+2066–U+2069.
func isBidiControl(r rune) bool { return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 }

func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }

// Invalid is the INVALID_ARGUMENT error for field with problem desc.
func Invalid(field, desc string) *apierror.Error {
	return apierror.InvalidArgument("%s: %s", field, desc).WithFieldViolation(field, desc)
}

// Validate checks field's value s as text of kind k.
func Validate(field, s string, k Kind) error {
	if p := Check(s, k); p != "" {
		return Invalid(field, p)
	}
	return nil
}

// MaxDisplayName is the most characters a person's display name may have.
const MaxDisplayName = 100

// CheckDisplayName returns what is wrong with a display name (after
// trimming surrounding space), or "" when nothing is. Empty is allowed
// (the address is shown instead).
func CheckDisplayName(s string) string {
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > MaxDisplayName {
		return fmt.Sprintf("at most %d characters (got %d)", MaxDisplayName, n)
	}
	return Check(s, Line)
}

// DisplayName validates a person's display name for field and returns it
// trimmed.
func DisplayName(field, s string) (string, error) {
	if p := CheckDisplayName(s); p != "" {
		return "", Invalid(field, p)
	}
	return strings.TrimSpace(s), nil
}

// Languages are the languages the Support Center speaks (e-mails, portal);
// DefaultLanguage is used when a person has not chosen one.
var Languages = []string{"en", "ko"}

// DefaultLanguage is English.
const DefaultLanguage = "en"

// Language checks an interface language for field: one of Languages.
func Language(field, s string) error {
	if !slices.Contains(Languages, s) {
		return Invalid(field, fmt.Sprintf("%q is not supported: use %s", s, strings.Join(quoted(Languages), " or ")))
	}
	return nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
