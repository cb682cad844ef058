package cases

import (
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestParseOrderBy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		byDue bool
		ok    bool
	}{
		{"", false, true}, {"sla.nextDueTime", true, true}, {" sla.nextDueTime ASC", true, true},
		{"sla.nextDueTime desc", false, false}, {"createTime", false, false}, {"sla.nextDueTime asc extra", false, false},
	} {
		byDue, err := parseOrderBy(tc.in)
		if byDue != tc.byDue || (err == nil) != tc.ok {
			t.Errorf("parseOrderBy(%q) = %v, %v", tc.in, byDue, err)
		}
	}
}

// TestPlanDue: how the queue's sla.state filter and orderBy become one
// Firestore query (due order, a range on the due time, one equality) and
// what is left to the in-memory check.
func TestPlanDue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	queue := store.CaseQuery{ExcludeTests: true}
	tests := []struct {
		filter string
		byDue  bool
		want   store.CaseQuery
	}{
		{"", false, queue},
		{"", true, store.CaseQuery{ExcludeTests: true, ByDue: true}},
		{"sla.state=BREACHED", false, store.CaseQuery{ExcludeTests: true, ByDue: true, DueBefore: now}},
		{"sla.state=DUE_SOON", false, store.CaseQuery{ExcludeTests: true, ByDue: true, DueFrom: now}},
		{"(sla.state=ON_TRACK OR sla.state=DUE_SOON)", true, store.CaseQuery{ExcludeTests: true, ByDue: true, DueFrom: now}},
		{"(sla.state=BREACHED OR sla.state=DUE_SOON)", false, store.CaseQuery{ExcludeTests: true, ByDue: true}},
		{"sla.state=MET", false, store.CaseQuery{ExcludeTests: true, Equal: store.Cond{Field: store.CaseFieldOpen, Value: true}}},
		{"sla.state=BREACHED AND priority=P1", false, store.CaseQuery{ExcludeTests: true, ByDue: true, DueBefore: now,
			Equal: store.Cond{Field: store.CaseFieldPriority, Value: "P1"}}},
		{`sla.state=BREACHED AND creator.email="a@b.example"`, false, store.CaseQuery{ExcludeTests: true, ByDue: true, DueBefore: now}},
		{"state=OPEN", true, store.CaseQuery{ExcludeTests: true, ByDue: true}},
	}
	for _, tc := range tests {
		q, err := filter.Parse(tc.filter, filter.Queue)
		if err != nil {
			t.Fatal(err)
		}
		cq, _ := plan(queue, q, now)
		got := planDue(cq, q, tc.byDue, now)
		if got.ByDue != tc.want.ByDue || !got.DueBefore.Equal(tc.want.DueBefore) || !got.DueFrom.Equal(tc.want.DueFrom) ||
			got.Equal != tc.want.Equal || got.In.Field != tc.want.In.Field {
			t.Errorf("%q byDue=%v: %+v, want %+v", tc.filter, tc.byDue, got, tc.want)
		}
	}
}

// TestMatchSLAState: the in-memory check reads the stored due times at now.
func TestMatchSLAState(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	open := func(due, soon time.Time) *store.Case {
		c := &store.Case{State: casestate.New, Open: true}
		c.Clocks.SLADueTime, c.Clocks.SLADueSoonTime = due, soon
		return c
	}
	tests := []struct {
		c    *store.Case
		want string
	}{
		{open(now.Add(-time.Minute), now.Add(-time.Hour)), "BREACHED"},
		{open(now.Add(time.Minute), now.Add(-time.Hour)), "DUE_SOON"},
		{open(now, now), "DUE_SOON"},
		{open(now.Add(time.Hour), now.Add(time.Minute)), "ON_TRACK"},
		{open(time.Time{}, time.Time{}), "MET"},
		{&store.Case{State: casestate.Closed}, "MET"},
	}
	for i, tc := range tests {
		for _, s := range filter.SLAStates {
			if got := matchTerm(filter.Term{Field: filter.FieldSLAState, Op: "=", Value: s}, tc.c, now); got != (s == tc.want) {
				t.Errorf("case %d: sla.state=%s matched %v (want state %s)", i, s, got, tc.want)
			}
		}
	}
}
