package text

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CheckBounded trims s of surrounding space and returns it with what is
// wrong with it as text of kind k of at least minChars and at most
// maxChars characters ("" when nothing is). minChars 0 makes it optional.
func CheckBounded(s string, k Kind, minChars, maxChars int) (trimmed, problem string) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && minChars > 0:
		return s, "required"
	case n < minChars:
		return s, fmt.Sprintf("at least %d characters (got %d)", minChars, n)
	case n > maxChars:
		return s, fmt.Sprintf("at most %d characters (got %d)", maxChars, n)
	}
	return s, Check(s, k)
}

// Bounded is CheckBounded for field: the trimmed value, or the
// INVALID_ARGUMENT error naming the field.
func Bounded(field, s string, k Kind, minChars, maxChars int) (string, error) {
	s, p := CheckBounded(s, k, minChars, maxChars)
	if p != "" {
		return "", Invalid(field, p)
	}
	return s, nil
}
