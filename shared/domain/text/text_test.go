package text

import (
	"errors"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    string
		kind Kind
		want string // "" = accepted; else a part of the description
	}{
		{"plain", "DB down", Line, ""},
		{"empty", "", Line, ""},
		{"Hangul and emoji", "연결 오류 🔥", Line, ""},
		{"Arabic and Hebrew letters", "مرحبا שלום", Line, ""},
		{"implicit marks are fine", "a\u200fb\u200ec", Line, ""},
		{"newline in a line", "a\nb", Line, "single line (U+000A at character 2)"},
		{"tab in a line", "a\tb", Line, "single line (U+0009"},
		{"CR LF in a line", "a\r\nb", Line, "single line (U+000D"},
		{"multi-line", "line 1\nline 2\r\n\tindented", Multiline, ""},
		{"lone CR", "a\rb", Multiline, "carriage return"},
		{"CR at the end", "a\r", Multiline, "carriage return"},
		{"NUL", "a\x00b", Multiline, "control character U+0000 at character 2"},
		{"bell", "a\u0007b", Line, "U+0007"},
		{"escape", "\x1b[31mred", Multiline, "U+001B at character 1"},
		{"DEL", "a\x7f", Line, "U+007F"},
		{"C1 NEL", "a\u0085b", Multiline, "U+0085"},
		{"C1 CSI", "\u009b", Line, "U+009B"},
		{"LRE", "\u202aabc", Line, "bidirectional control U+202A"},
		{"RLO", "invoice_\u202Efdp.exe", Multiline, "U+202E at character 9"},
		{"PDF", "a\u202cb", Line, "U+202C"},
		{"LRI", "\u2066x", Line, "U+2066"},
		{"PDI", "x\u2069", Multiline, "U+2069"},
		{"just past the ranges", "\u2029\u202f\u2065\u206a", Multiline, ""},
		{"invalid UTF-8", "a\xffb", Line, "not valid UTF-8 (at character 2)"},
		{"encoded U+FFFD is fine", "a\uFFFDb", Line, ""},
	}
	for _, tc := range tests {
		got := Check(tc.s, tc.kind)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s: Check(%q) = %q, want %q", tc.name, tc.s, got, tc.want)
		}
	}
}

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	var e *apierror.Error
	if !errors.As(err, &e) || e.Status != "INVALID_ARGUMENT" {
		t.Fatalf("%v is not INVALID_ARGUMENT", err)
	}
	for _, d := range e.Details {
		if br, ok := d.(*apierror.BadRequest); ok && len(br.FieldViolations) == 1 {
			return br.FieldViolations[0].Field
		}
	}
	t.Fatalf("%v names no field", err)
	return ""
}

func TestValidateNamesTheField(t *testing.T) {
	t.Parallel()
	if err := Validate("body", "ok\nfine", Multiline); err != nil {
		t.Fatal(err)
	}
	err := Validate("displayName", "Support Agent\r\n(support team)", Line)
	if f := fieldOf(t, err); f != "displayName" || !strings.HasPrefix(err.Error(), "INVALID_ARGUMENT: displayName: ") {
		t.Fatalf("field %q, error %v", f, err)
	}
}

func TestDisplayName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  Kim Min-ji ", "Kim Min-ji", true},
		{"", "", true},
		{strings.Repeat("가", 100), strings.Repeat("가", 100), true},
		{strings.Repeat("가", 101), "", false},
		{strings.Repeat("x", 344), "", false},
		{"Kim\nSupport Agent", "", false},
		{"a\u0007b", "", false},
		{"\u202eevil", "", false},
		{"Kim\t", "Kim", true}, // surrounding space is trimmed first
	}
	for _, tc := range tests {
		got, err := DisplayName("displayName", tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("DisplayName(%q) = %q, %v", tc.in, got, err)
		}
		if err != nil && fieldOf(t, err) != "displayName" {
			t.Errorf("DisplayName(%q): wrong field", tc.in)
		}
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in string
		ok bool
	}{
		{"en", true}, {"ko", true}, {"", false}, {"EN", false}, {"ja", false}, {"en-US", false},
	}
	for _, tc := range tests {
		err := Language("language", tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("Language(%q) = %v", tc.in, err)
		}
		if err != nil && fieldOf(t, err) != "language" {
			t.Errorf("Language(%q): wrong field", tc.in)
		}
	}
}

func TestBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		min, max int
		want     string
		ok       bool
	}{
		{"  hello ", 1, 10, "hello", true},
		{"", 0, 10, "", true},
		{"   ", 1, 10, "", false},
		{"가나다", 1, 3, "가나다", true},
		{"가나다라", 1, 3, "", false},
		{"a\u202eb", 1, 10, "", false},
	}
	for _, tc := range tests {
		got, err := Bounded("f", tc.in, Line, tc.min, tc.max)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("Bounded(%q, %d, %d) = %q, %v", tc.in, tc.min, tc.max, got, err)
		}
	}
}
