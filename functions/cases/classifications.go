package cases

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// classification finds a classification by id, active or not: ids stay
// valid after deactivation (Cloud Support semantics).
func (h *Handler) classification(ctx context.Context, id string) (*store.Product, store.Classification, error) {
	ps, err := h.deps.Store.Catalog(ctx)
	if err != nil {
		return nil, store.Classification{}, apierror.From(err)
	}
	for _, p := range ps {
		for _, cl := range p.Classifications {
			if cl.ID == id {
				return p, cl, nil
			}
		}
	}
	return nil, store.Classification{}, apierror.InvalidArgument("classification.id: %q is not a case classification (find one with caseClassifications:search)", id).
		WithFieldViolation("classification.id", "unknown classification")
}

// searchClassifications serves GET /v2/caseClassifications:search?query=:
// the active classifications whose display name or id contains the query
// (case-insensitive; `id="…"` matches one id exactly), ordered by display
// name. Any signed-in person with Support Center access may search; the
// catalogue is the same for everyone (filing checks the organisation's
// products).
func (h *Handler) searchClassifications(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	if _, err := h.deps.Resolver.Usable(r.Context(), id); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	query := strings.TrimSpace(r.URL.Query().Get("query"))
	exactID := ""
	if v, ok := strings.CutPrefix(query, "id="); ok {
		exactID = strings.Trim(v, `"`)
	}
	needle := strings.ToLower(query)
	key := "classifications|" + query
	after, err := decodeOffsetToken(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	ps, err := h.deps.Store.Catalog(r.Context())
	if err != nil {
		return apierror.From(err)
	}
	var all []Classification
	for _, p := range ps {
		for _, cl := range p.Classifications {
			if !cl.Active {
				continue
			}
			if exactID != "" && cl.ID != exactID ||
				exactID == "" && !strings.Contains(strings.ToLower(cl.DisplayName), needle) && !strings.Contains(cl.ID, needle) {
				continue
			}
			all = append(all, Classification{ID: cl.ID, DisplayName: cl.DisplayName})
		}
	}
	slices.SortFunc(all, func(a, b Classification) int {
		return strings.Compare(a.DisplayName+"\x00"+a.ID, b.DisplayName+"\x00"+b.ID)
	})
	out := SearchClassificationsResponse{CaseClassifications: []Classification{}}
	start := min(after, len(all))
	end := min(start+size, len(all))
	out.CaseClassifications = append(out.CaseClassifications, all[start:end]...)
	if end < len(all) {
		out.NextPageToken = encodeOffsetToken(end, key)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}
