package filename

import (
	"mime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeFilename(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("가", 120) + ".tar.gz" // 360 bytes of Hangul
	tests := []struct {
		name, in, want string
	}{
		{"plain", "report.pdf", "report.pdf"},
		{"unix path", "../../etc/passwd", "passwd"},
		{"windows path", `C:\fakepath\photo.png`, "photo.png"},
		{"only dots", "..", "attachment"},
		{"empty", "", "attachment"},
		{"controls (line breaks fold to a space)", "a\x00b\r\nc\x7f.txt", "ab c.txt"},
		{"C1 controls", "a\u0085b\u009bc.txt", "a bc.txt"},
		{"bidi override", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"bidi isolates and marks", "\u2066x\u2069\u200E\u200F\u061Cy.txt", "xy.txt"},
		{"zero width", "a\u200Bb\uFEFFc.txt", "abc.txt"},
		{"whitespace folded", "  my \t  file\u00A0\u2028name.txt", "my file name.txt"},
		{"trailing dots and spaces", "name. . ", "name"},
		{"windows specials", `a<b>c:d"e|f?g*h.txt`, "a_b_c_d_e_f_g_h.txt"},
		{"hangul NFD to NFC", "\u1112\u1161\u11ab\u1100\u1173\u11af.txt", "한글.txt"},
		{"letters of any script", "Отчёт 報告 تقرير.docx", "Отчёт 報告 تقرير.docx"},
		{"invalid utf-8 dropped", "a\xffb.txt", "ab.txt"},
		{"hidden file kept", ".env", ".env"},
		{"quote and backslash in name", `it's "fine".txt`, "it's _fine_.txt"},
		{"long keeps extension", long, strings.Repeat("가", 84) + ".gz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Sanitize(tc.in, "attachment")
			if got != tc.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if len(got) > MaxBytes || !utf8.ValidString(got) {
				t.Errorf("result %q: %d bytes, valid UTF-8 %v", got, len(got), utf8.ValidString(got))
			}
		})
	}
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"report.pdf", `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`},
		{"my file (1).txt", `attachment; filename="my file (1).txt"; filename*=UTF-8''my%20file%20%281%29.txt`},
		{"한글.txt", `attachment; filename="__.txt"; filename*=UTF-8''%ED%95%9C%EA%B8%80.txt`},
		{`a"b\c%d.txt`, `attachment; filename="a_b_c_d.txt"; filename*=UTF-8''a%22b%5Cc%25d.txt`},
		{"x;y=z,w", `attachment; filename="x;y=z,w"; filename*=UTF-8''x%3By%3Dz%2Cw`},
	}
	for _, tc := range tests {
		if got := ContentDisposition(tc.in); got != tc.want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// FuzzContentDisposition: for any name a client sends, the header built
// from the sanitised name is one line of printable ASCII, parses as an
// attachment, and its filename* round-trips to the sanitised name.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"report.pdf", "../../x", "a\r\nSet-Cookie: x=y", "한글.txt", `"quoted"`, "\u202Eexe.pdf",
		strings.Repeat("a", 300), "%41.txt", "x;y", "", "\x00", "semi;colon=eq\"q"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name := Sanitize(in, "attachment")
		h := ContentDisposition(name)
		for i := 0; i < len(h); i++ {
			if h[i] < 0x20 || h[i] > 0x7e {
				t.Fatalf("header for %q has byte %#x at %d: %q", in, h[i], i, h)
			}
		}
		disp, params, err := mime.ParseMediaType(h)
		if err != nil {
			t.Fatalf("header for %q does not parse: %v: %q", in, err, h)
		}
		if disp != "attachment" {
			t.Fatalf("disposition %q", disp)
		}
		if params["filename"] != name {
			t.Fatalf("filename* of %q decodes to %q, want %q", in, params["filename"], name)
		}
	})
}
