package cases

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/store"
)

const indexesFile = "../../infra/firestore.indexes.json"

type indexFile struct {
	Indexes []index `json:"indexes"`
}

type index struct {
	CollectionGroup string       `json:"collectionGroup"`
	QueryScope      string       `json:"queryScope"`
	Fields          []indexField `json:"fields"`
}

type indexField struct {
	FieldPath   string `json:"fieldPath"`
	Order       string `json:"order,omitempty"`
	ArrayConfig string `json:"arrayConfig,omitempty"`
}

// plannedIndexes runs the planner over every kind of clause it can push,
// for every caller scope, and collects the composite indexes the resulting
// queries need.
func plannedIndexes(t *testing.T) []index {
	t.Helper()
	orgFilters := []string{"", "state=OPEN", "state=NEW", "priority=P1", `creator.email="a@b.example"`, "timeout",
		"(priority=P0 OR priority=P1)", "(state=NEW OR state=ACTION_REQUIRED)"}
	queueFilters := []string{"", "state=OPEN", "state=NEW", "priority=P1", `creator.email="a@b.example"`, "escalated=true",
		"(priority=P0 OR priority=P1)", "(state=NEW OR state=ACTION_REQUIRED)",
		"sla.state=BREACHED", "sla.state=DUE_SOON", "sla.state=MET", "(sla.state=BREACHED OR sla.state=DUE_SOON)",
		"sla.state=BREACHED AND priority=P1", "sla.state=ON_TRACK AND escalated=true", `sla.state=BREACHED AND creator.email="a@b.example"`,
		"sla.state=BREACHED AND (priority=P0 OR priority=P1)", "sla.state=BREACHED AND state=NEW", "sla.state=BREACHED AND state=OPEN"}
	scopes := []struct {
		base    store.CaseQuery
		opts    filter.Options
		filters []string
		queue   bool
	}{
		{store.CaseQuery{OrgID: "o"}, filter.Search, orgFilters, false},
		{store.CaseQuery{OrgID: "o", ProductIDs: []string{"p"}}, filter.Search, orgFilters, false},
		{store.CaseQuery{OrgID: "o", ResellerID: "r", Since: time.Unix(1, 0)}, filter.Search, orgFilters, false},
		{store.CaseQuery{ExcludeTests: true}, filter.Queue, queueFilters, true},
	}
	seen := map[string]bool{}
	var out []index
	add := func(ix index) {
		b, _ := json.Marshal(ix)
		if !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, ix)
		}
	}
	for _, s := range scopes {
		for _, f := range s.filters {
			q, err := filter.Parse(f, s.opts)
			if err != nil {
				t.Fatalf("%q: %v", f, err)
			}
			cq, _ := plan(s.base, q, time.Unix(1, 0))
			if !s.queue {
				add(toIndex(store.CasesCollection, cq.IndexFields()))
				continue
			}
			for _, byDue := range []bool{false, true} {
				add(toIndex(store.CasesCollection, planDue(cq, q, byDue, time.Unix(1, 0)).IndexFields()))
			}
		}
	}
	slices.SortFunc(out, func(a, b index) int {
		ka, _ := json.Marshal(a)
		kb, _ := json.Marshal(b)
		return strings.Compare(string(ka), string(kb))
	})
	return out
}

func toIndex(collection string, fields []store.IndexField) index {
	ix := index{CollectionGroup: collection, QueryScope: "COLLECTION"}
	for _, f := range fields {
		if f.Array {
			ix.Fields = append(ix.Fields, indexField{FieldPath: f.Path, ArrayConfig: "CONTAINS"})
		} else {
			ix.Fields = append(ix.Fields, indexField{FieldPath: f.Path, Order: f.Order})
		}
	}
	return ix
}

// TestIndexes fails when a query the planner can build has no composite
// index in infra/firestore.indexes.json (the emulator does not enforce
// indexes, production does). The store generates that file from the case
// query shapes it supports (shared/store TestIndexesFile); a planner change
// that needs a new shape adds it there.
func TestIndexes(t *testing.T) {
	b, err := os.ReadFile(indexesFile)
	if err != nil {
		t.Fatal(err)
	}
	var f indexFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, ix := range f.Indexes {
		k, _ := json.Marshal(ix)
		have[string(k)] = true
	}
	for _, ix := range plannedIndexes(t) {
		if k, _ := json.Marshal(ix); !have[string(k)] {
			t.Errorf("the planner builds a query without an index in %s: %s", indexesFile, k)
		}
	}
}
