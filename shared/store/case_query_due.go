package store

import "cloud.google.com/go/firestore"

// The support queue ordered by due time (CaseQuery.ByDue): cases whose
// response clock runs, the most urgent first. A case's clocks.slaDueTime
// is set while support owes it an answer and removed when support answers
// or the case closes (package caseclocks), so the order lists exactly the
// cases support owes an answer, and a range on it selects by SLA state
// (BREACHED: due before now; ON_TRACK and DUE_SOON: due from now on).

// sortFields are the index fields of q's order.
func (q CaseQuery) sortFields() []IndexField {
	if q.ByDue {
		return []IndexField{{Path: CaseFieldSLADueTime, Order: "ASCENDING"}, {Path: CaseFieldID, Order: "ASCENDING"}}
	}
	return []IndexField{{Path: CaseFieldCreateTime, Order: "DESCENDING"}, {Path: CaseFieldID, Order: "DESCENDING"}}
}

// dueOrder adds the due-time range and order to fq.
func (q CaseQuery) dueOrder(fq firestore.Query) firestore.Query {
	if !q.DueBefore.IsZero() {
		fq = fq.Where(CaseFieldSLADueTime, "<", q.DueBefore)
	}
	if !q.DueFrom.IsZero() {
		fq = fq.Where(CaseFieldSLADueTime, ">=", q.DueFrom)
	}
	return fq.OrderBy(CaseFieldSLADueTime, firestore.Asc).OrderBy(CaseFieldID, firestore.Asc)
}

// cursor is the position of c in q's order.
func (q CaseQuery) cursor(c *Case) *Cursor {
	if q.ByDue {
		return &Cursor{Time: c.Clocks.SLADueTime, ID: c.ID}
	}
	return &Cursor{Time: c.CreateTime, ID: c.ID}
}
