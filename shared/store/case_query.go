package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// MaxInValues is Firestore's limit on values in one "in" filter.
const MaxInValues = 30

// CaseQuery selects cases, ordered by (createTime desc, id desc), or with
// ByDue by (clocks.slaDueTime, id), so a Cursor can resume it. Which combinations are allowed is decided by the
// caller; every shape it can produce needs a composite index in
// infra/firestore.indexes.json (see IndexFields).
type CaseQuery struct {
	// OrgID restricts to one organisation; "" scans every organisation
	// (the support queue).
	OrgID string
	// ExcludeTests drops test cases (testCase == false).
	ExcludeTests bool
	// ProductIDs restricts to these products (productId in …); nil means
	// every product. At most MaxInValues.
	ProductIDs []string
	// ResellerID and Since are a reseller's scope: cases filed through it
	// during its current term (resellerId ==, createTime >=).
	ResellerID string
	Since      time.Time
	// Equal is one more equality filter pushed into the query (Field "").
	Equal Cond
	// In is one more disjunction (field in values); not with ProductIDs,
	// since Firestore allows one disjunction per query.
	In CondIn
	// Contains is a search word that must be in the case's tokens.
	Contains string
	// ByDue orders by the running response clock's due time instead
	// (clocks.slaDueTime, most urgent first, then id): only cases whose
	// response clock runs have one, so only they are listed. DueBefore
	// (slaDueTime < it) and DueFrom (slaDueTime >= it) narrow it when set.
	// See case_query_due.go.
	ByDue              bool
	DueBefore, DueFrom time.Time
}

// Cond is field == value.
type Cond struct {
	Field string
	Value any
}

// CondIn is field in values.
type CondIn struct {
	Field  string
	Values []any
}

// IndexField is one field of a composite index.
type IndexField struct {
	Path  string
	Order string // ASCENDING | DESCENDING | "" for array-contains
	Array bool   // array-contains
}

// IndexFields is the composite index q needs, in the order
// firestore.indexes.json lists it: equality fields, the array-contains
// field, then the sort fields.
func (q CaseQuery) IndexFields() []IndexField {
	var out []IndexField
	eq := func(f string) { out = append(out, IndexField{Path: f, Order: "ASCENDING"}) }
	if q.OrgID != "" {
		eq(CaseFieldOrgID)
	}
	if q.ExcludeTests {
		eq(CaseFieldTestCase)
	}
	if q.ProductIDs != nil {
		eq(CaseFieldProductID)
	}
	if q.ResellerID != "" {
		eq(CaseFieldResellerID)
	}
	if q.Equal.Field != "" {
		eq(q.Equal.Field)
	}
	if q.In.Field != "" {
		eq(q.In.Field)
	}
	if q.Contains != "" {
		out = append(out, IndexField{Path: CaseFieldTokens, Array: true})
	}
	return append(out, q.sortFields()...)
}

func (s *Store) caseQuery(q CaseQuery) (firestore.Query, error) {
	if q.ProductIDs != nil && q.In.Field != "" {
		return firestore.Query{}, errors.New("case query: two disjunctions")
	}
	if len(q.ProductIDs) > MaxInValues || len(q.In.Values) > MaxInValues {
		return firestore.Query{}, fmt.Errorf("case query: more than %d values in one filter", MaxInValues)
	}
	fq := s.fs.Collection(CasesCollection).Query
	if q.OrgID != "" {
		fq = fq.Where(CaseFieldOrgID, "==", q.OrgID)
	}
	if q.ExcludeTests {
		fq = fq.Where(CaseFieldTestCase, "==", false)
	}
	if q.ProductIDs != nil {
		fq = fq.Where(CaseFieldProductID, "in", q.ProductIDs)
	}
	if q.ResellerID != "" {
		fq = fq.Where(CaseFieldResellerID, "==", q.ResellerID).Where(CaseFieldCreateTime, ">=", q.Since)
	}
	if q.Equal.Field != "" {
		fq = fq.Where(q.Equal.Field, "==", q.Equal.Value)
	}
	if q.In.Field != "" {
		fq = fq.Where(q.In.Field, "in", q.In.Values)
	}
	if q.Contains != "" {
		fq = fq.Where(CaseFieldTokens, "array-contains", q.Contains)
	}
	if q.ByDue {
		return q.dueOrder(fq), nil
	}
	return fq.OrderBy(CaseFieldCreateTime, firestore.Desc).OrderBy(CaseFieldID, firestore.Desc), nil
}

// ScanResult is one page of a bounded scan.
type ScanResult struct {
	Cases []*Case
	// Next resumes the scan; nil when the query is exhausted.
	Next *Cursor
	// Read is how many documents the scan read (what Firestore bills,
	// except that an empty result is billed as one read).
	Read int
}

// ScanCases returns up to want cases of q after cursor that match (nil
// match = all), reading at most maxRead documents. It reads in batches:
// want+1 first (the extra one tells whether another page exists), then
// doubling while in-memory filtering rejects documents. When the read
// budget runs out before the page fills, Next points after the last
// document read, so the caller returns a short page and the client
// continues from there.
func (s *Store) ScanCases(ctx context.Context, q CaseQuery, after *Cursor, match func(*Case) bool, want, maxRead int) (ScanResult, error) {
	fq, err := s.caseQuery(q)
	if err != nil {
		return ScanResult{}, err
	}
	var res ScanResult
	var last *Cursor
	batch := want + 1
	for res.Read < maxRead {
		n := min(batch, maxRead-res.Read)
		bq := fq.Limit(n)
		if after != nil {
			bq = bq.StartAfter(after.Time, after.ID)
		}
		got, err := readCases(ctx, bq)
		if err != nil {
			return ScanResult{}, err
		}
		res.Read += len(got)
		for _, c := range got {
			last = q.cursor(c)
			if match != nil && !match(c) {
				continue
			}
			if len(res.Cases) == want {
				// A further match exists: the page is full and there is more.
				res.Next = q.cursor(res.Cases[want-1])
				return res, nil
			}
			res.Cases = append(res.Cases, c)
		}
		if len(got) < n {
			return res, nil // exhausted
		}
		if len(res.Cases) == want {
			// Page full; the rest of this batch did not match, so resume
			// after the last document read rather than read on to prove
			// there is more (the next page may come back empty).
			res.Next = last
			return res, nil
		}
		after = last
		batch *= 2
	}
	// Budget spent with the page not full: resume after the last read.
	res.Next = last
	return res, nil
}

func readCases(ctx context.Context, q firestore.Query) ([]*Case, error) {
	return collect(q.Documents(ctx), "query cases", decodeCase)
}
