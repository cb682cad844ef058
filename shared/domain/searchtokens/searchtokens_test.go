package searchtokens

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want []string
	}{
		{"Connection TIMEOUT: db-01 (x) 연결 오류!", []string{"connection", "timeout", "db", "01", "연결", "오류"}},
		{"Hello, WORLD! a x1 hello", []string{"hello", "world", "x1", "hello"}},
		{strings.Repeat("a", 40), []string{strings.Repeat("a", 40)}},
		{strings.Repeat("a", 41), nil},
		{"a b c", nil},
		{"", nil},
		{"under_score and-dash", []string{"under", "score", "and", "dash"}},
	}
	for _, tc := range tests {
		if got := Words(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tokens []string
		texts  []string
		want   []string
	}{
		{[]string{"b"}, []string{"a bb cc bb"}, []string{"b", "bb", "cc"}},
		{[]string{"zeta"}, []string{"Hello, WORLD! a x1 hello", "데이터베이스 연결"}, []string{"hello", "world", "x1", "zeta", "데이터베이스", "연결"}},
		{nil, nil, nil},
	}
	for _, tc := range tests {
		before := slices.Clone(tc.tokens)
		if got := Add(tc.tokens, tc.texts...); !slices.Equal(got, tc.want) {
			t.Errorf("Add(%q, %q) = %q, want %q", tc.tokens, tc.texts, got, tc.want)
		}
		if !slices.Equal(before, tc.tokens) {
			t.Errorf("Add changed its input %q", tc.tokens)
		}
	}
}

func TestAddCapsAtMax(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range Max + 50 {
		fmt.Fprintf(&b, " w%d", i)
	}
	if n := len(Add(nil, b.String())); n != Max {
		t.Fatalf("%d tokens, want the cap %d", n, Max)
	}
	if n := len(Add(Add(nil, b.String()), "another")); n != Max {
		t.Fatalf("%d tokens after a full set grew, want %d", n, Max)
	}
}
