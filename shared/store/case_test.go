package store

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

func TestCaseIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := NewCaseID()
		if len(id) != 9 || !wire.ValidCaseID(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
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
