package store

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The store owns infra/firestore.indexes.json (Terraform deploys it; the
// emulator ignores indexes, production refuses a query without one): this
// test generates it from the store's queries and fails when the committed
// file differs. Regenerate with
//
//	go test ./shared/store -run TestIndexesFile -update-indexes
var updateIndexes = flag.Bool("update-indexes", false, "rewrite infra/firestore.indexes.json from the store's index registry")

const indexesFile = "../../infra/firestore.indexes.json"

type indexFile struct {
	Indexes        []indexJSON `json:"indexes"`
	FieldOverrides []any       `json:"fieldOverrides"`
}

type indexJSON struct {
	CollectionGroup string           `json:"collectionGroup"`
	QueryScope      string           `json:"queryScope"`
	Fields          []indexFieldJSON `json:"fields"`
}

type indexFieldJSON struct {
	FieldPath   string `json:"fieldPath"`
	Order       string `json:"order,omitempty"`
	ArrayConfig string `json:"arrayConfig,omitempty"`
}

// caseQueryShapes are the case queries callers may build: one scope (an
// organisation, optionally narrowed to products or to a reseller's term, or
// the support queue) plus at most one pushed filter. functions/cases
// checks that its planner never builds a query outside these.
func caseQueryShapes() []CaseQuery {
	org := []CaseQuery{
		{OrgID: "o"},
		{OrgID: "o", ProductIDs: []string{"p"}},
		{OrgID: "o", ResellerID: "r", Since: time.Unix(1, 0)},
	}
	queue := CaseQuery{ExcludeTests: true}
	pushed := func(q CaseQuery, fields []string, contains bool) []CaseQuery {
		out := []CaseQuery{q}
		for _, f := range fields {
			s := q
			s.Equal = Cond{Field: f, Value: "v"}
			out = append(out, s)
		}
		if contains {
			s := q
			s.Contains = "word"
			out = append(out, s)
		}
		return out
	}
	var out []CaseQuery
	for _, q := range org {
		out = append(out, pushed(q, []string{CaseFieldCreatorEmail, CaseFieldOpen, CaseFieldPriority, CaseFieldState}, true)...)
	}
	out = append(out, pushed(queue, []string{CaseFieldCreatorEmail, CaseFieldEscalated, CaseFieldOpen, CaseFieldPriority, CaseFieldState}, false)...)
	// The queue by due time (case_query_due.go), with at most one equality.
	byDue := queue
	byDue.ByDue = true
	return append(out, pushed(byDue, []string{CaseFieldEscalated, CaseFieldPriority, CaseFieldState}, false)...)
}

// allIndexes is every composite index the store's queries need.
func allIndexes() []Index {
	var out []Index
	for _, q := range caseQueryShapes() {
		out = append(out, Index{Collection: CasesCollection, Fields: q.IndexFields()})
	}
	// ListComments: ORDER BY createTime DESC, id DESC.
	out = append(out, Index{Collection: CommentsCollection, Fields: []IndexField{
		{Path: "createTime", Order: "DESCENDING"}, {Path: "id", Order: "DESCENDING"}}})
	return append(out, staticIndexes()...)
}

func renderIndexes(t *testing.T) []byte {
	t.Helper()
	seen := map[string]bool{}
	var out []indexJSON
	for _, ix := range allIndexes() {
		j := indexJSON{CollectionGroup: ix.Collection, QueryScope: "COLLECTION"}
		for _, f := range ix.Fields {
			if f.Array {
				j.Fields = append(j.Fields, indexFieldJSON{FieldPath: f.Path, ArrayConfig: "CONTAINS"})
			} else {
				j.Fields = append(j.Fields, indexFieldJSON{FieldPath: f.Path, Order: f.Order})
			}
		}
		b, _ := json.Marshal(j)
		if !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b indexJSON) int {
		ka, _ := json.Marshal(a)
		kb, _ := json.Marshal(b)
		return strings.Compare(string(ka), string(kb))
	})
	b, err := json.MarshalIndent(indexFile{Indexes: out, FieldOverrides: []any{}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestIndexesFile(t *testing.T) {
	want := renderIndexes(t)
	if *updateIndexes {
		if err := os.WriteFile(indexesFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(indexesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with the store's queries; run go test ./shared/store -run TestIndexesFile -update-indexes (make generate)", indexesFile)
	}
}
