// Package filename turns the file names clients send into safe metadata
// and builds the Content-Disposition header downloads carry, for every
// file the Support Center stores (case attachments, published resources).
package filename

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Filename limits.
const (
	// MaxBytes is the longest sanitised name: what common file systems allow.
	MaxBytes          = 255
	maxExtensionBytes = 16 // an extension longer than this is not kept apart
)

// Sanitize turns what an uploader sent as a file name into safe
// metadata: the last path component only (browsers send C:\fakepath\x,
// archivers dir/x), NFC-normalised (macOS sends Hangul decomposed), without
// control and format characters (bidi overrides and isolates, zero-width
// characters), other white space folded to one space, characters Windows
// refuses replaced by "_", no leading spaces or trailing spaces and dots,
// at most 255 bytes keeping the extension. Letters of every script stay.
// A name with nothing left becomes fallback.
func Sanitize(name, fallback string) string {
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
	if len(name) > MaxBytes {
		name = truncateName(name)
	}
	if name == "" {
		return fallback
	}
	return name
}

func trimName(s string) string {
	return strings.TrimRight(strings.TrimLeft(s, " "), " .")
}

// truncateName cuts name to MaxBytes at a rune boundary, keeping a
// short extension.
func truncateName(name string) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtensionBytes {
		name, ext = name[:i], name[i:]
	}
	return trimName(cutBytes(name, MaxBytes-len(ext))) + ext
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
