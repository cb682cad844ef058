package cases

import (
	"net/http"
	"slices"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// maxRead bounds the documents one list, search or queue request reads.
// Filters Firestore cannot apply are checked in memory over this budget;
// when it runs out first, the page comes back short with a nextPageToken
// and the client reads on.
const maxRead = 300

// list serves GET /v2/organizations/{org}/cases?filter= (cases.list).
func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	return h.listOrg(w, r, "list", filter.List, "filter")
}

// search serves GET /v2/organizations/{org}/cases:search?query=
// (cases.search): list's filter plus free text over title, description
// and comments, and update_time>.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) error {
	return h.listOrg(w, r, "search", filter.Search, "query")
}

func (h *Handler) listOrg(w http.ResponseWriter, r *http.Request, kind string, opts filter.Options, param string) error {
	orgID, err := pathOrg(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	if err := a.Check(access.CaseList); err != nil {
		return err
	}
	base := store.CaseQuery{OrgID: orgID, ProductIDs: a.ReadableProducts()}
	if base.ProductIDs != nil && len(base.ProductIDs) == 0 {
		// No product in scope: nothing readable, nothing to read.
		return httpapi.WriteJSON(w, http.StatusOK, ListCasesResponse{Cases: []Case{}})
	}
	if rid, since, ok := a.ResellerScope(); ok {
		base.ResellerID, base.Since = rid, since
	}
	return h.scan(w, r, a, kind+"|"+orgID, base, opts, param, false)
}

// queue serves GET /v2/cases?filter= : the support team's queue across
// organisations (state, priority, creator.email, escalated), newest first.
// Test cases never appear: they are never routed to an agent.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.Check(access.SupportQueue); err != nil {
		return err
	}
	return h.scan(w, r, a, "queue", store.CaseQuery{ExcludeTests: true}, filter.Queue, "filter", true)
}

// scan parses the filter (and, on the support queue, orderBy), plans the
// query, reads one page and answers.
func (h *Handler) scan(w http.ResponseWriter, r *http.Request, a *access.Actor, key string, base store.CaseQuery, opts filter.Options, param string, queue bool) error {
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	q, err := filter.Parse(r.URL.Query().Get(param), opts)
	if err != nil {
		return apierror.InvalidArgument("invalid %s: %v", param, err).WithFieldViolation(param, err.Error())
	}
	var byDue bool
	if queue {
		if byDue, err = parseOrderBy(r.URL.Query().Get("orderBy")); err != nil {
			return err
		}
	}
	key += "|" + q.String()
	if byDue {
		key += "|" + orderDue
	}
	after, err := decodeCursorToken(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	cq, match := plan(base, q, now)
	if queue {
		cq = planDue(cq, q, byDue, now)
	}
	res, err := h.deps.Store.ScanCases(r.Context(), cq, after, match, size, maxRead)
	if err != nil {
		return apierror.Describe(err, "case")
	}
	out := ListCasesResponse{Cases: make([]Case, 0, len(res.Cases)), NextPageToken: encodeCursorToken(res.Next, key)}
	for _, c := range res.Cases {
		out.Cases = append(out.Cases, toWire(c, a.Package, now))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// plan turns base (the caller's scope) and a parsed filter into one
// Firestore query plus an in-memory check. At most one filter clause is
// pushed into the query — the most selective single-field one — so the
// set of composite indexes stays small and known (TestIndexes); every
// clause, the pushed one included, is checked in memory, as is the scope
// (a defence in depth against a planning mistake).
func plan(base store.CaseQuery, q filter.Query, now time.Time) (store.CaseQuery, func(*store.Case) bool) {
	cq := base
	if len(cq.ProductIDs) > store.MaxInValues {
		cq.ProductIDs = nil // too many for one "in": check in memory only
	}
	best, bestRank := -1, 0
	for i, cl := range q.Clauses {
		if rank := pushRank(cl, cq); rank > bestRank {
			best, bestRank = i, rank
		}
	}
	if best >= 0 {
		push(&cq, q.Clauses[best])
	}
	match := func(c *store.Case) bool {
		if base.OrgID != "" && c.OrgID != base.OrgID || base.ExcludeTests && c.TestCase ||
			base.ProductIDs != nil && !slices.Contains(base.ProductIDs, c.ProductID) ||
			base.ResellerID != "" && (c.ResellerID != base.ResellerID || c.CreateTime.Before(base.Since)) {
			return false
		}
		for _, cl := range q.Clauses {
			if !slices.ContainsFunc(cl.Terms, func(t filter.Term) bool { return matchTerm(t, c, now) }) {
				return false
			}
		}
		return true
	}
	return cq, match
}

// pushRank scores how worth pushing a clause is (0 = cannot be pushed).
func pushRank(cl filter.Clause, cq store.CaseQuery) int {
	if len(cl.Terms) == 1 {
		t := cl.Terms[0]
		switch t.Field {
		case filter.FieldCreatorEmail:
			return 6
		case "":
			if len(searchtokens.Words(t.Text)) > 0 && cq.OrgID != "" {
				return 5
			}
		case filter.FieldPriority, filter.FieldEscalated:
			return 4
		case filter.FieldState:
			if t.Value == "OPEN" || t.Value == "CLOSED" {
				return 2
			}
			return 4
		}
		return 0
	}
	// A disjunction over one field becomes "in", if the query has no other.
	if cq.ProductIDs != nil {
		return 0
	}
	field := cl.Terms[0].Field
	for _, t := range cl.Terms {
		if t.Field != field || field != filter.FieldPriority && field != filter.FieldState ||
			t.Value == "OPEN" || t.Value == "CLOSED" {
			return 0
		}
	}
	return 3
}

// push adds clause cl (ranked pushable) to cq.
func push(cq *store.CaseQuery, cl filter.Clause) {
	if len(cl.Terms) > 1 {
		field := store.CaseFieldPriority
		if cl.Terms[0].Field == filter.FieldState {
			field = store.CaseFieldState
		}
		values := make([]any, 0, len(cl.Terms))
		for _, t := range cl.Terms {
			if !slices.Contains(values, any(t.Value)) {
				values = append(values, t.Value)
			}
		}
		cq.In = store.CondIn{Field: field, Values: values}
		return
	}
	t := cl.Terms[0]
	switch t.Field {
	case filter.FieldCreatorEmail:
		cq.Equal = store.Cond{Field: store.CaseFieldCreatorEmail, Value: t.Value}
	case filter.FieldPriority:
		cq.Equal = store.Cond{Field: store.CaseFieldPriority, Value: t.Value}
	case filter.FieldEscalated:
		cq.Equal = store.Cond{Field: store.CaseFieldEscalated, Value: t.Value == "true"}
	case filter.FieldState:
		switch t.Value {
		case "OPEN", "CLOSED":
			cq.Equal = store.Cond{Field: store.CaseFieldOpen, Value: t.Value == "OPEN"}
		default:
			cq.Equal = store.Cond{Field: store.CaseFieldState, Value: t.Value}
		}
	case "":
		// The longest word is likely the rarest.
		words := searchtokens.Words(t.Text)
		longest := words[0]
		for _, w := range words[1:] {
			if len([]rune(w)) > len([]rune(longest)) {
				longest = w
			}
		}
		cq.Contains = longest
	}
}

// matchTerm evaluates one filter term against a case at now.
func matchTerm(t filter.Term, c *store.Case, now time.Time) bool {
	switch t.Field {
	case filter.FieldSLAState:
		return caseclocks.StoredState(c, now) == t.Value
	case filter.FieldState:
		switch t.Value {
		case "OPEN":
			return c.State != casestate.Closed
		case "CLOSED":
			return c.State == casestate.Closed
		}
		return c.State == t.Value
	case filter.FieldPriority:
		return c.Priority == t.Value
	case filter.FieldCreatorEmail:
		return c.CreatorEmail == t.Value
	case filter.FieldEscalated:
		return c.Escalated == (t.Value == "true")
	case filter.FieldUpdateTime:
		return c.UpdateTime.After(t.Time)
	case "":
		for _, w := range searchtokens.Words(t.Text) {
			if _, ok := slices.BinarySearch(c.Tokens, w); !ok {
				return false
			}
		}
		return true
	}
	return false
}
