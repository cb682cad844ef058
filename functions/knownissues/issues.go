package knownissues

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Size bounds, in characters.
const (
	maxTitle      = 200
	maxSummary    = 1_000
	maxDetails    = 30_000
	maxUpdateBody = 12_800
	maxProducts   = 20
)

// Page sizes of the lists.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// CreateRequest is the body of knownIssues.create.
type CreateRequest struct {
	Title      string   `json:"title"`
	Summary    string   `json:"summary"`
	Details    string   `json:"details"`
	ProductIDs []string `json:"productIds"`
}

// violations collects every problem of a request.
type violations struct{ e *apierror.Error }

func (v *violations) add(field, format string, args ...any) {
	desc := fmt.Sprintf(format, args...)
	if v.e == nil {
		v.e = apierror.InvalidArgument("%s: %s", field, desc)
	} else {
		v.e.Message += fmt.Sprintf("; %s: %s", field, desc)
	}
	v.e.WithFieldViolation(field, desc)
}

func (v *violations) text(field, val string, k text.Kind, required bool, limit int) string {
	switch n := utf8.RuneCountInString(val); {
	case required && strings.TrimSpace(val) == "":
		v.add(field, "required")
	case n > limit:
		v.add(field, "at most %d characters (got %d)", limit, n)
	default:
		if p := text.Check(val, k); p != "" {
			v.add(field, "%s", p)
		}
	}
	return val
}

func (v *violations) err() error {
	if v.e == nil {
		return nil
	}
	return v.e
}

// create serves POST /v2/knownIssues (support admins).
func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return err
	}
	if err := a.Check(access.KnownIssuesPublish); err != nil {
		return err
	}
	var in CreateRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	catalog, err := h.deps.Store.Catalog(r.Context())
	if err != nil {
		return apierror.From(err)
	}
	now := h.deps.Clock.Now()
	var v violations
	ki := &store.KnownIssue{
		Title:   v.text("title", strings.TrimSpace(in.Title), text.Line, true, maxTitle),
		Summary: v.text("summary", strings.TrimSpace(in.Summary), text.Multiline, true, maxSummary),
		Details: v.text("details", in.Details, text.Multiline, false, maxDetails),
		State:   store.KnownIssueActive, CreatorEmail: a.Email(), CreatorName: a.DisplayName(),
		CreateTime: now, UpdateTime: now,
	}
	switch {
	case len(in.ProductIDs) == 0:
		v.add("productIds", "at least one product is required")
	case len(in.ProductIDs) > maxProducts:
		v.add("productIds", "at most %d products (got %d)", maxProducts, len(in.ProductIDs))
	}
	for i, p := range in.ProductIDs {
		if catalog[p] == nil {
			v.add(fmt.Sprintf("productIds[%d]", i), "%q is not a product", p)
		} else if !slices.Contains(ki.ProductIDs, p) {
			ki.ProductIDs = append(ki.ProductIDs, p)
		}
	}
	if err := v.err(); err != nil {
		return err
	}
	if err := h.deps.Store.CreateKnownIssue(r.Context(), ki); err != nil {
		return apierror.Describe(err, "known issue")
	}
	h.deps.Logger.InfoContext(r.Context(), "known issue published", "knownIssueId", ki.ID, "products", ki.ProductIDs)
	return httpapi.WriteJSON(w, http.StatusOK, issueToWire(ki))
}

// issueFilter is a parsed knownIssues.list filter.
type issueFilter struct {
	State     string // "" | ACTIVE | RESOLVED
	ProductID string // "" = any
}

// parseFilter reads the list filter: "state=ACTIVE", "productId=clouddb",
// or both joined by AND (each at most once). The case filter grammar's
// states are case states, so known issues read their two fields here.
func parseFilter(s string) (issueFilter, error) {
	var f issueFilter
	s = strings.TrimSpace(s)
	if s == "" {
		return f, nil
	}
	if len(s) > 500 {
		return f, badFilter("at most 500 characters")
	}
	for clause := range strings.SplitSeq(s, " AND ") {
		field, val, ok := strings.Cut(clause, "=")
		field, val = strings.TrimSpace(field), strings.Trim(strings.TrimSpace(val), `"`)
		if !ok || val == "" {
			return f, badFilter("expected field=value clauses joined by AND, e.g. state=ACTIVE AND productId=clouddb")
		}
		switch field {
		case "state":
			if f.State != "" {
				return f, badFilter("state given twice")
			}
			f.State = strings.ToUpper(val)
			if f.State != store.KnownIssueActive && f.State != store.KnownIssueResolved {
				return f, badFilter("state is ACTIVE or RESOLVED")
			}
		case "productId", "product_id":
			if f.ProductID != "" {
				return f, badFilter("productId given twice")
			}
			if !validProductID(val) {
				return f, badFilter("productId %q is not a product id", val)
			}
			f.ProductID = val
		default:
			return f, badFilter("unknown field %q; filterable fields are state and productId", field)
		}
	}
	return f, nil
}

func validProductID(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

func badFilter(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apierror.InvalidArgument("filter: %s", msg).WithFieldViolation("filter", msg)
}

// list serves GET /v2/knownIssues?filter=&pageSize=&pageToken= : the
// issues in the caller's scope, newest first.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	scope, err := runtime.Read(h.deps, r, h.deps.Resolver.KnownIssueScope)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, err := parseFilter(q.Get("filter"))
	if err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "knownIssues|" + f.State + "|" + f.ProductID
	tok, err := pagination.Decode(q.Get("pageToken"), key)
	if err != nil {
		return err
	}
	sq := store.KnownIssueQuery{State: f.State, Limit: size + 1}
	switch {
	case f.ProductID != "" && scope.Sees([]string{f.ProductID}):
		sq.ProductIDs = []string{f.ProductID}
	case f.ProductID != "":
		sq.ProductIDs = []string{} // a product outside the scope: nothing
	case !scope.All:
		sq.ProductIDs = scope.Products
		if len(sq.ProductIDs) > store.MaxKnownIssueProducts {
			sq.ProductIDs = sq.ProductIDs[:store.MaxKnownIssueProducts]
		}
	}
	if tok != nil {
		if tok.ID == "" {
			return pagination.Invalid()
		}
		sq.After = &store.Cursor{Time: tok.Time, ID: tok.ID}
	}
	issues, err := h.deps.Store.KnownIssues(r.Context(), sq)
	if err != nil {
		return apierror.Describe(err, "known issues")
	}
	out := ListKnownIssuesResponse{KnownIssues: []KnownIssue{}}
	for i, ki := range issues {
		if i == size {
			last := issues[i-1]
			out.NextPageToken = pagination.Encode(key, pagination.Token{Time: last.CreateTime, ID: last.ID})
			break
		}
		out.KnownIssues = append(out.KnownIssues, issueToWire(ki))
	}
	// Each issue's subscriber count: one aggregation query each, at once.
	counts := make([]int64, len(out.KnownIssues))
	errs := make([]error, len(out.KnownIssues))
	var wg sync.WaitGroup
	for i := range out.KnownIssues {
		wg.Go(func() { counts[i], errs[i] = h.deps.Store.SubscriberCount(r.Context(), issues[i].ID) })
	}
	wg.Wait()
	if err := firstErr(errs...); err != nil {
		return apierror.Describe(err, "known issue subscribers")
	}
	for i := range out.KnownIssues {
		out.KnownIssues[i].SubscriberCount = strconv.FormatInt(counts[i], 10)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// pathIssue returns the issue id of a known-issue URL, refusing a custom
// verb where none belongs (wantVerb "" = none).
func pathIssue(r *http.Request, wantVerb string) (string, error) {
	id, verb := httpapi.SplitVerb(r.PathValue("id"))
	if verb != wantVerb {
		return "", apierror.NotFound("no such resource: %s", r.URL.Path)
	}
	if !validIssueID(id) {
		return "", apierror.NotFound("known issue not found")
	}
	return id, nil
}

func validIssueID(id string) bool {
	if id == "" || len(id) > 63 || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// visibleIssue authenticates the caller, resolves their known-issue scope
// and reads issue id from the path: an issue outside the scope is 404.
func (h *Handler) visibleIssue(r *http.Request, wantVerb string) (*store.KnownIssue, error) {
	id, err := h.deps.Identity(r)
	if err != nil {
		return nil, err
	}
	issueID, err := pathIssue(r, wantVerb)
	if err != nil {
		return nil, err
	}
	var (
		ki      *store.KnownIssue
		readErr error
		wg      sync.WaitGroup
	)
	// The issue read needs only the id; the scope's verdict is checked
	// first, so a refused caller learns nothing about the issue.
	wg.Go(func() { ki, readErr = h.deps.Store.KnownIssue(r.Context(), issueID) })
	scope, err := h.deps.Resolver.KnownIssueScope(r.Context(), id)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, apierror.Describe(readErr, "known issue")
	}
	if !scope.Sees(ki.ProductIDs) {
		return nil, apierror.NotFound("known issue not found")
	}
	return ki, nil
}

// get serves GET /v2/knownIssues/{id}.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	ki, err := h.visibleIssue(r, "")
	if err != nil {
		return err
	}
	id, _ := h.deps.Identity(r)
	var (
		n        int64
		sub      *store.Subscriber
		nErr, sE error
		wg       sync.WaitGroup
	)
	wg.Go(func() { n, nErr = h.deps.Store.SubscriberCount(r.Context(), ki.ID) })
	sub, sE = h.deps.Store.Subscription(r.Context(), ki.ID, store.SubscriberKey(id.Email))
	wg.Wait()
	if err := firstErr(nErr, sE); err != nil {
		return apierror.Describe(err, "known issue subscribers")
	}
	return httpapi.WriteJSON(w, http.StatusOK, withCount(issueToWire(ki), n, sub != nil))
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
