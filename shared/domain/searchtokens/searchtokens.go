// Package searchtokens splits case text into the words free-text search
// matches. A case stores the set of its words (title, description and
// comments) and cases.search looks for each word of the query in that set,
// so the same function must cut both: this one.
//
// A word is a run of letters and digits in any script, lower-cased, of 2 to
// 40 characters; a case keeps at most Max distinct words.
package searchtokens

import (
	"slices"
	"strings"
	"unicode"
)

// Max bounds a case's search tokens (document size and index entries);
// words beyond it are not searchable.
const Max = 2000

// Word length bounds: shorter words are noise, longer ones are not words.
const (
	minRunes = 2
	maxRunes = 40
)

// Words splits text into the lower-cased words free-text search matches,
// in order, with repeats.
func Words(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if n := len([]rune(w)); n >= minRunes && n <= maxRunes {
			out = append(out, w)
		}
	}
	return out
}

// Add merges the words of texts into tokens (deduplicated, sorted, capped
// at Max) and returns the new set; tokens is not changed.
func Add(tokens []string, texts ...string) []string {
	set := make(map[string]bool, len(tokens))
	out := slices.Clone(tokens)
	for _, t := range tokens {
		set[t] = true
	}
	for _, text := range texts {
		for _, w := range Words(text) {
			if len(out) >= Max {
				break
			}
			if !set[w] {
				set[w] = true
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return out
}
