package store

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCaseIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := NewCaseID()
		if len(id) != 9 || !ValidCaseID(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "12345", "0123456789", "12345678a", "1234567890123", "../1234567"} {
		if ValidCaseID(bad) {
			t.Errorf("ValidCaseID(%q) = true", bad)
		}
	}
}

func TestValidOrgID(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"acme", "Acme-1", "a.b_c", "x", strings.Repeat("a", 100), "_a"} {
		if !ValidOrgID(ok) {
			t.Errorf("ValidOrgID(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "__a", "__", strings.Repeat("a", 101), "a/b", "a b", "a:b", "ac\u00e9me", "../x", "é"} {
		if ValidOrgID(bad) {
			t.Errorf("ValidOrgID(%q) = true", bad)
		}
	}
}

func TestSearchWords(t *testing.T) {
	t.Parallel()
	got := SearchWords("Connection TIMEOUT: db-01 (x) 연결 오류!")
	want := []string{"connection", "timeout", "db", "01", "연결", "오류"}
	if !slices.Equal(got, want) {
		t.Fatalf("SearchWords = %q, want %q", got, want)
	}
	if w := SearchWords(strings.Repeat("a", 41)); len(w) != 0 {
		t.Fatalf("over-long word kept: %q", w)
	}
	tokens := AddTokens([]string{"b"}, "a bb cc bb")
	if !slices.Equal(tokens, []string{"b", "bb", "cc"}) {
		t.Fatalf("AddTokens = %q", tokens)
	}
}

func TestIndexFields(t *testing.T) {
	t.Parallel()
	q := CaseQuery{OrgID: "o", ResellerID: "r", Since: time.Unix(1, 0), Contains: "word"}
	var got []string
	for _, f := range q.IndexFields() {
		got = append(got, f.Path+":"+f.Order)
	}
	want := []string{"orgId:ASCENDING", "resellerId:ASCENDING", "tokens:", "createTime:DESCENDING", "id:DESCENDING"}
	if !slices.Equal(got, want) {
		t.Fatalf("IndexFields = %q, want %q", got, want)
	}
	if _, err := (&Store{}).caseQuery(CaseQuery{ProductIDs: []string{"p"}, In: CondIn{Field: "priority", Values: []any{"P1"}}}); err == nil {
		t.Fatal("two disjunctions accepted")
	}
}
