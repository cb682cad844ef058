package attachments

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Filename limits.
const (
	maxFilenameBytes  = 255 // what common file systems allow
	maxExtensionBytes = 16  // an extension longer than this is not kept apart
	defaultFilename   = "attachment"
)

// sanitizeFilename turns what an uploader sent as a file name into safe
// metadata: the last path component only (browsers send C:\fakepath\x,
// archivers dir/x), NFC-normalised (macOS sends Hangul decomposed), without
// control and format characters (bidi overrides and isolates, zero-width
// characters), other white space folded to one space, characters Windows
// refuses replaced by "_", no leading spaces or trailing spaces and dots,
// at most 255 bytes keeping the extension. Letters of every script stay.
// A name with nothing left becomes "attachment".
func sanitizeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	var b strings.Builder
	lastSpace := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			if !lastSpace {
				b.WriteByte(' ')
			}
			lastSpace = true
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
		lastSpace = false
	}
	name = trimName(b.String())
	if len(name) > maxFilenameBytes {
		name = truncateName(name)
	}
	if name == "" {
		return defaultFilename
	}
	return name
}

func trimName(s string) string {
	return strings.TrimRight(strings.TrimLeft(s, " "), " .")
}

// truncateName cuts name to maxFilenameBytes at a rune boundary, keeping a
// short extension.
func truncateName(name string) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtensionBytes {
		name, ext = name[:i], name[i:]
	}
	return trimName(cutBytes(name, maxFilenameBytes-len(ext))) + ext
}

// cutBytes returns the longest prefix of s of at most n bytes that ends on
// a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
