package filename

import "strings"

// ContentDisposition is the download header for a (sanitised) file name,
// per RFC 6266: always "attachment", an ASCII fallback in filename= for old
// clients and the exact name in filename*= (RFC 5987, UTF-8,
// percent-encoded). Neither parameter can carry a quote, a backslash or a
// control character, so the header cannot be broken out of.
func ContentDisposition(filename string) string {
	return `attachment; filename="` + asciiFallback(filename) + `"; filename*=UTF-8''` + encode5987(filename)
}

// asciiFallback keeps printable ASCII except the characters that are
// special in a quoted-string (" and \) or that some browsers percent-decode
// (%); everything else becomes "_".
func asciiFallback(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "download"
	}
	return b.String()
}

// encode5987 percent-encodes every byte of s that is not an attr-char of
// RFC 5987 (ALPHA / DIGIT / "!#$&+-.^_`|~").
func encode5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0x0f])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
