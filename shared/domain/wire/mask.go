package wire

import (
	"slices"
	"strings"
	"unicode"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// ParseUpdateMask reads an AIP-134 updateMask for administration updates:
// comma-separated field paths, camelCase (as the JSON) or snake_case (as
// the proto), each one of allowed (camelCase), none twice. The mask is
// required: an update never guesses which fields were meant. It returns
// the camelCase paths.
func ParseUpdateMask(s string, allowed ...string) ([]string, error) {
	list := strings.Join(allowed, ", ")
	if strings.TrimSpace(s) == "" {
		return nil, apierror.InvalidArgument("updateMask is required; updatable fields are %s", list).
			WithFieldViolation("updateMask", "required")
	}
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		p = camel(strings.TrimSpace(p))
		if !slices.Contains(allowed, p) {
			return nil, apierror.InvalidArgument("updateMask: %q cannot be updated; updatable fields are %s", p, list).
				WithFieldViolation("updateMask", "unknown or read-only field "+p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// camel turns snake_case into camelCase ("display_name" → "displayName").
func camel(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r == '_' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
