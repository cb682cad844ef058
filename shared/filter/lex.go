package filter

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type kind int

const (
	tkEOF    kind = iota
	tkWord        // bare word: field names, values, free text, AND, OR
	tkString      // "quoted", unescaped
	tkLParen
	tkRParen
	tkOp // = > and the unsupported < <= >= != :
)

type token struct {
	kind kind
	text string // as written (for errors)
	val  string // unescaped value (strings), the word itself otherwise
	pos  int    // 1-based byte offset
}

// isWordRune reports whether r may appear in a bare word.
func isWordRune(r rune) bool {
	if unicode.IsSpace(r) {
		return false
	}
	switch r {
	case '(', ')', '=', '<', '>', '!', ':', '"':
		return false
	}
	return true
}

func lex(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, &Error{Pos: i + 1, Token: s[i : i+1], Msg: "the query is not valid UTF-8"}
		}
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			out = append(out, token{kind: tkLParen, text: "(", val: "(", pos: i + 1})
			i++
		case r == ')':
			out = append(out, token{kind: tkRParen, text: ")", val: ")", pos: i + 1})
			i++
		case r == '=' || r == '<' || r == '>' || r == '!' || r == ':':
			j := i + 1
			if j < len(s) && s[j] == '=' && r != '=' && r != ':' {
				j++
			}
			out = append(out, token{kind: tkOp, text: s[i:j], val: s[i:j], pos: i + 1})
			i = j
		case r == '"':
			t, n, err := lexString(s, i)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
			i += n
		default:
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r) || (r == utf8.RuneError && size == 1) {
					break
				}
				j += size
			}
			out = append(out, token{kind: tkWord, text: s[i:j], val: s[i:j], pos: i + 1})
			i = j
		}
	}
	return append(out, token{kind: tkEOF, pos: 0}), nil
}

// lexString reads a double-quoted string starting at s[i] with \" and \\
// escapes, returning the token and the bytes consumed.
func lexString(s string, i int) (token, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch c {
		case '"':
			return token{kind: tkString, text: s[i : j+1], val: b.String(), pos: i + 1}, j + 1 - i, nil
		case '\\':
			if j+1 >= len(s) || (s[j+1] != '"' && s[j+1] != '\\') {
				end := min(j+2, len(s))
				return token{}, 0, &Error{Pos: j + 1, Token: s[j:end], Msg: `only \" and \\ escapes are allowed in quoted strings`}
			}
			b.WriteByte(s[j+1])
			j += 2
		default:
			b.WriteByte(c)
			j++
		}
	}
	return token{}, 0, &Error{Pos: i + 1, Token: s[i:], Msg: "unterminated quoted string"}
}
