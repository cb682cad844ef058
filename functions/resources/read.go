package resources

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/store"
)

// DownloadURLTTL is how long a download URL works: long enough to start
// the transfer (Cloud Storage checks the expiry when the request starts,
// so a slow download of several GB still completes), short enough that a
// shared link soon stops working.
const DownloadURLTTL = 10 * time.Minute

// Page sizes: larger requests are coerced to the maximum (AIP-158).
const (
	defaultPageSize = 50
	maxPageSize     = 100
)

// resourceFilter is the grammar of GET /v2/resources?filter=.
var resourceFilter = filter.Options{
	Fields: []filter.Field{filter.FieldProductID, filter.FieldKind},
	Values: map[filter.Field][]string{filter.FieldKind: store.ResourceKinds},
}

// parseEqualities parses a filter of field=value clauses joined by AND
// (each field at most once, no OR) into a map.
func parseEqualities(s string, opts filter.Options) (map[filter.Field]string, error) {
	q, err := filter.Parse(s, opts)
	if err != nil {
		var fe *filter.Error
		if errors.As(err, &fe) {
			return nil, apierror.InvalidArgument("filter: %s", fe.Error()).WithFieldViolation("filter", fe.Error())
		}
		return nil, apierror.InvalidArgument("filter: %v", err).WithFieldViolation("filter", err.Error())
	}
	out := map[filter.Field]string{}
	for _, c := range q.Clauses {
		if len(c.Terms) != 1 {
			return nil, apierror.InvalidArgument("filter: OR is not supported here").WithFieldViolation("filter", "no OR")
		}
		t := c.Terms[0]
		if _, dup := out[t.Field]; dup {
			return nil, apierror.InvalidArgument("filter: %s given twice", t.Field).WithFieldViolation("filter", string(t.Field)+" twice")
		}
		out[t.Field] = t.Value
	}
	return out, nil
}

// entitled authenticates the caller and resolves what they may see.
func (h *Handler) entitled(r *http.Request) (*access.Entitled, error) {
	id, err := h.deps.Identity(r)
	if err != nil {
		return nil, err
	}
	return h.deps.Resolver.Entitled(r.Context(), id)
}

// list serves GET /v2/resources?filter=&pageSize=&pageToken= : what the
// caller may see, newest first.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	e, err := h.entitled(r)
	if err != nil {
		return err
	}
	f := r.URL.Query().Get("filter")
	eq, err := parseEqualities(f, resourceFilter)
	if err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "resources?" + f
	after, err := decodeCursor(r, key)
	if err != nil {
		return err
	}
	out := ListResourcesResponse{Resources: []Resource{}}
	q := store.ResourceQuery{Entitlements: e.Keys(eq[filter.FieldProductID]), Kind: eq[filter.FieldKind]}
	if e.Support {
		q.ProductID = eq[filter.FieldProductID]
	} else if len(q.Entitlements) == 0 {
		return httpapi.WriteJSON(w, http.StatusOK, out)
	}
	rs, err := h.deps.Store.ResourcesPage(r.Context(), q, after, size+1)
	if err != nil {
		return apierror.From(err)
	}
	if len(rs) > size {
		rs = rs[:size]
		last := rs[size-1]
		out.NextPageToken = pagination.Encode(key, pagination.Token{Time: last.CreateTime, ID: last.ID})
	}
	for _, res := range rs {
		out.Resources = append(out.Resources, toWire(res, e.Support))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// decodeCursor reads ?pageToken= of a newest-first list keyed key.
func decodeCursor(r *http.Request, key string) (*store.Cursor, error) {
	t, err := pagination.Decode(r.URL.Query().Get("pageToken"), key)
	if err != nil || t == nil {
		return nil, err
	}
	if t.ID == "" || t.Time.IsZero() {
		return nil, pagination.Invalid()
	}
	return &store.Cursor{Time: t.Time, ID: t.ID}, nil
}

// readable resolves the caller and returns the resource in the URL with
// the organisation the caller sees it through; NOT_FOUND when they may
// not see it.
func (h *Handler) readable(r *http.Request) (*access.Entitled, *store.Resource, access.Via, error) {
	e, err := h.entitled(r)
	if err != nil {
		return nil, nil, access.Via{}, err
	}
	id, _ := httpapi.SplitVerb(r.PathValue("resource"))
	if !wire.ValidResourceID(id) {
		return nil, nil, access.Via{}, apierror.NotFound("resource not found")
	}
	res, err := h.deps.Store.Resource(r.Context(), id)
	if err != nil {
		return nil, nil, access.Via{}, apierror.Describe(err, "resource")
	}
	via, err := e.CheckRead(access.ResourceRef{ProductIDs: res.ProductIDs, PackageIDs: res.PackageIDs, Ready: res.State == store.ResourceReady})
	if err != nil {
		return nil, nil, access.Via{}, err
	}
	return e, res, via, nil
}

// get serves GET /v2/resources/{id}.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	e, res, _, err := h.readable(r)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, toWire(res, e.Support))
}

// download serves GET /v2/resources/{id}:download: after the access
// check, the download is recorded (who, for which organisation, when) and
// a signed GET URL of the validated generation is returned, carrying the
// original file name in Content-Disposition.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) error {
	_, res, via, err := h.readable(r)
	if err != nil {
		return err
	}
	if res.State != store.ResourceReady {
		return apierror.FailedPrecondition("the resource is %s, not READY: there is nothing to download", res.State)
	}
	if res.SupersededBy != "" {
		newer := wire.ResourceName(res.SupersededBy)
		return apierror.FailedPrecondition("a newer version replaces this one: download %s", newer).
			WithReason("SUPERSEDED", map[string]string{"supersededBy": newer})
	}
	ctx := r.Context()
	id, _ := h.deps.Identity(r)
	now := h.deps.Clock.Now()
	// Cloud Storage checks the URL's expiry against the wall clock.
	expires := time.Now().Add(DownloadURLTTL)
	uri, err := h.signer.DownloadURL(res.Object, res.Generation, filename.ContentDisposition(res.Filename), expires)
	if err != nil {
		return apierror.Unavailable(fmt.Errorf("sign download URL: %w", err))
	}
	d := &store.ResourceDownload{ResourceID: res.ID, Email: id.Email, OrgID: via.OrgID, ViaOrgID: via.ViaOrgID, Time: now}
	if err := h.deps.Store.RecordDownload(ctx, d); err != nil {
		return apierror.From(err)
	}
	h.deps.Logger.InfoContext(ctx, "resource download issued", "resourceId", res.ID, "orgId", via.OrgID)
	w.Header().Set("Cache-Control", "private, no-store")
	return httpapi.WriteJSON(w, http.StatusOK, DownloadResponse{DownloadURI: uri, ExpireTime: wire.Timestamp(expires)})
}

// downloads serves GET /v2/resources/{id}/downloads (support admins):
// the recorded downloads, newest first.
func (h *Handler) downloads(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.staff(r, access.ResourceDownloadsRead); err != nil {
		return err
	}
	id := r.PathValue("resource")
	if !wire.ValidResourceID(id) {
		return apierror.NotFound("resource not found")
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "downloads/" + id
	after, err := decodeCursor(r, key)
	if err != nil {
		return err
	}
	ds, err := h.deps.Store.DownloadsPage(r.Context(), id, after, size+1)
	if err != nil {
		return apierror.From(err)
	}
	out := ListDownloadsResponse{Downloads: []Download{}}
	if len(ds) > size {
		ds = ds[:size]
		last := ds[size-1]
		out.NextPageToken = pagination.Encode(key, pagination.Token{Time: last.Time, ID: last.ID})
	}
	for _, d := range ds {
		out.Downloads = append(out.Downloads, downloadView(d))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// decodeOptionalJSON accepts an empty body or "{}" (Google clients send
// the latter on custom methods) and nothing else.
func decodeOptionalJSON(r *http.Request) error {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apierror.TooLarge(tooBig.Limit)
		}
		return apierror.InvalidArgument("the request body could not be read")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	var empty struct{}
	return httpapi.DecodeJSON(r, &empty)
}
