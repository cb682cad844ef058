package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheck: whatever the input, Check does not panic, accepts only valid
// UTF-8 without forbidden characters, and never quotes the input in its
// description. Run: go test -fuzz=FuzzCheck ./shared/domain/text
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "DB down", "a\nb", "a\r\nb", "a\rb", "\x00", "\u202e", "\u2069", "\u0085", "\xff", "연결\t오류"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		k := Line
		if multiline {
			k = Multiline
		}
		desc := Check(s, k)
		if desc == "" {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
			for i, r := range s {
				switch {
				case r == '\n' || r == '\t':
					if k == Line {
						t.Fatalf("accepted a line break or tab in one line: %q", s)
					}
				case r == '\r':
					if k == Line || !strings.HasPrefix(s[i+1:], "\n") {
						t.Fatalf("accepted a lone CR: %q", s)
					}
				case isControl(r) || isBidiControl(r):
					t.Fatalf("accepted %U in %q", r, s)
				}
			}
			return
		}
		if len(s) >= 4 && strings.Contains(desc, s) {
			t.Fatalf("description %q quotes the input", desc)
		}
		if _, err := DisplayName("f", s); err == nil && utf8.RuneCountInString(strings.TrimSpace(s)) > MaxDisplayName {
			t.Fatalf("DisplayName accepted %d characters", utf8.RuneCountInString(s))
		}
	})
}
