package store

// Index is a composite index a fixed query of this package needs in
// production (the emulator does not enforce indexes).
type Index struct {
	Collection string
	Fields     []IndexField
}

// staticIndexes are the composite indexes of the fixed (non-planned)
// queries. infra/firestore.indexes.json holds these plus the case planner's;
// functions/cases TestIndexes generates the file from both and fails when it
// is out of date, so a new query's index is added here, next to the query.
func staticIndexes() []Index {
	var out []Index
	for _, f := range membershipIndexes() {
		out = append(out, Index{Collection: MembershipsCollection, Fields: f})
	}
	out = append(out, knownIssueIndexes()...)
	out = append(out, accessRequestIndexes()...)
	out = append(out, resourceIndexes()...)
	return append(out,
		// AuditLog: orgId == X ORDER BY time DESC, __name__ ASC.
		Index{Collection: AuditCollection, Fields: []IndexField{
			{Path: "orgId", Order: "ASCENDING"}, {Path: "time", Order: "DESCENDING"}, {Path: "__name__", Order: "ASCENDING"}}},
		// DueCases scoped to one organisation: orgId == X, dueTime <= now
		// ORDER BY dueTime, __name__ (the unscoped sweep needs only the
		// automatic single-field index of dueTime).
		Index{Collection: CasesCollection, Fields: []IndexField{
			{Path: CaseFieldOrgID, Order: "ASCENDING"}, {Path: CaseFieldDueTime, Order: "ASCENDING"}, {Path: "__name__", Order: "ASCENDING"}}},
		// OpenCasesAfter scoped to one organisation (the clocks' backfill):
		// orgId == X, open == true ORDER BY __name__.
		Index{Collection: CasesCollection, Fields: []IndexField{
			{Path: CaseFieldOrgID, Order: "ASCENDING"}, {Path: CaseFieldOpen, Order: "ASCENDING"}, {Path: "__name__", Order: "ASCENDING"}}},
		// AccessRequests: ORDER BY createTime DESC, __name__ ASC.
		Index{Collection: AccessRequestsCollection, Fields: []IndexField{
			{Path: "createTime", Order: "DESCENDING"}, {Path: "__name__", Order: "ASCENDING"}}},
	)
}
