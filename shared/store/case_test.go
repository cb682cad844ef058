package store

import (
	"slices"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

func TestCaseIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := newCaseID()
		if len(id) != 9 || !wire.ValidCaseID(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
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
