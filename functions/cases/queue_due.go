package cases

import (
	"slices"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The support queue by SLA. GET /v2/cases?orderBy=sla.nextDueTime lists
// the cases support owes an answer, the most urgent first (the running
// response clock's due time, ascending; cases whose clocks are all met
// have no due time and are not listed). A filter on sla.state picks cases
// by their SLA state at the time of the request:
//   - BREACHED, ON_TRACK, DUE_SOON (or any OR of them) are answered from
//     the stored due time (a range on clocks.slaDueTime: BREACHED is due
//     before now, ON_TRACK and DUE_SOON due from now on, told apart in
//     memory by the stored due-soon time), so they list in due order, most
//     urgent first, with or without orderBy;
//   - MET is checked in memory over open cases (newest first).
// At most one equality clause (priority, state or escalated) is pushed
// beside the due order; other clauses are checked in memory, as for every
// list (the read budget bounds a page).

// orderDue is the one orderBy value besides the default (newest first).
const orderDue = "sla.nextDueTime"

// parseOrderBy reads the queue's orderBy: "" (newest first) or
// "sla.nextDueTime" (optionally "asc"); true means by due time.
func parseOrderBy(s string) (bool, error) {
	f := strings.Fields(s)
	switch {
	case len(f) == 0:
		return false, nil
	case f[0] == orderDue && (len(f) == 1 || len(f) == 2 && strings.EqualFold(f[1], "asc")):
		return true, nil
	}
	return false, apierror.InvalidArgument("orderBy %q is not supported; use %s (most urgent first) or leave it out (newest first)", s, orderDue).
		WithFieldViolation("orderBy", "unsupported")
}

// dueEqualFields are the fields an equality (or "in") may be pushed on
// beside the due order; each has its composite index.
var dueEqualFields = []string{store.CaseFieldPriority, store.CaseFieldState, store.CaseFieldEscalated}

// planDue adapts cq, planned by plan, to the queue's SLA filter and order
// at now.
func planDue(cq store.CaseQuery, q filter.Query, byDue bool, now time.Time) store.CaseQuery {
	for _, cl := range q.Clauses {
		states, ok := slaStates(cl)
		if !ok {
			continue
		}
		if slices.Contains(states, caseclock.Met) {
			if len(states) == 1 && !byDue && cq.Equal.Field == "" && cq.In.Field == "" {
				cq.Equal = store.Cond{Field: store.CaseFieldOpen, Value: true}
			}
			continue
		}
		byDue = true
		switch {
		case !slices.Contains(states, caseclock.Breached):
			cq.DueFrom = now
		case len(states) == 1:
			cq.DueBefore = now
		}
		break
	}
	if !byDue {
		return cq
	}
	cq.ByDue = true
	if cq.Equal.Field != "" && !slices.Contains(dueEqualFields, cq.Equal.Field) {
		cq.Equal = store.Cond{}
	}
	if cq.In.Field != "" && !slices.Contains(dueEqualFields, cq.In.Field) {
		cq.In = store.CondIn{}
	}
	return cq
}

// slaStates returns the states of a clause made only of sla.state terms.
func slaStates(cl filter.Clause) ([]string, bool) {
	var out []string
	for _, t := range cl.Terms {
		if t.Field != filter.FieldSLAState {
			return nil, false
		}
		out = append(out, t.Value)
	}
	return out, true
}
