package resources

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/signedurl"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Limits of a published resource.
const (
	maxTitleChars       = 200
	maxDescriptionChars = 5000
	maxVersionChars     = 50
	maxProducts         = 20
	maxPackages         = 10
	// MaxResourceBytes is the largest file (installers of several GB fit;
	// one Cloud Storage object may be up to 5 TiB).
	MaxResourceBytes = 50 << 30
	defaultFilename  = "download"
)

// staff authenticates the caller and resolves them as support staff
// allowed action: 403 for everyone else (ACCESS_REQUIRED when they have
// no access at all), before anything about a resource is read.
func (h *Handler) staff(r *http.Request, action access.Action) (*access.Actor, error) {
	id, err := h.deps.Identity(r)
	if err != nil {
		return nil, err
	}
	a, err := h.deps.Resolver.ResolveSupport(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return a, a.Check(action)
}

// create serves POST /v2/resources: a PENDING resource and the signed URL
// that uploads its file straight to the resources bucket.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) error {
	a, err := h.staff(r, access.ResourcesPublish)
	if err != nil {
		return err
	}
	var in CreateResourceRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	res, err := h.validateCreate(ctx, in)
	if err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	// The URL is checked by Cloud Storage against the wall clock.
	expires := time.Now().Add(signedurl.UploadTTL)
	res.ID = store.NewResourceID(now)
	res.Object = store.ResourceObject(res.ID)
	res.State, res.CreatorEmail, res.CreateTime, res.UpdateTime = store.ResourcePending, a.Email(), now, now
	uri, err := h.signer.UploadURL(res.Object, expires)
	if err != nil {
		return apierror.Unavailable(fmt.Errorf("sign upload URL: %w", err))
	}
	if err := h.deps.Store.CreateResource(ctx, res); err != nil {
		return apierror.Describe(err, "resource")
	}
	h.deps.Logger.InfoContext(ctx, "resource created", "resourceId", res.ID, "kind", res.Kind, "sizeBytes", res.SizeBytes)
	return httpapi.WriteJSON(w, http.StatusOK, CreateResourceResponse{
		Resource: toWire(res, true), UploadURI: uri, UploadMethod: signedurl.UploadMethod,
		UploadHeaders: signedurl.UploadHeaders(), ExpireTime: wire.Timestamp(expires),
	})
}

// validateCreate checks the request against the limits, the product
// catalogue and the packages, reporting every problem at once.
func (h *Handler) validateCreate(ctx context.Context, in CreateResourceRequest) (*store.Resource, error) {
	res, e, bad := parseCreate(in)
	fail := func(field, desc string) { e.WithFieldViolation(field, desc); bad = true }
	catalog, err := h.deps.Store.Catalog(ctx)
	if err != nil {
		return nil, apierror.From(err)
	}
	for _, p := range res.ProductIDs {
		if catalog[p] == nil {
			fail("productIds", fmt.Sprintf("unknown product %q", p))
		}
	}
	for _, p := range res.PackageIDs {
		if _, err := h.deps.Store.Package(ctx, p); store.IsNotFound(err) {
			fail("packageIds", fmt.Sprintf("unknown support package %q", p))
		} else if err != nil {
			return nil, apierror.From(err)
		}
	}
	if res.Supersedes != "" {
		if old, err := h.deps.Store.Resource(ctx, res.Supersedes); store.IsNotFound(err) {
			fail("supersedes", "no such resource")
		} else if err != nil {
			return nil, apierror.From(err)
		} else if old.State == store.ResourceWithdrawn {
			fail("supersedes", "that resource was withdrawn")
		}
	}
	if bad {
		return nil, e
	}
	return res, nil
}

// parseCreate checks what can be checked without reading anything (text,
// kind, sizes, digest, id lists, names) and returns the resource with the
// error collecting every violation, and whether there is one.
func parseCreate(in CreateResourceRequest) (*store.Resource, *apierror.Error, bool) {
	e := apierror.InvalidArgument("the resource is not valid")
	bad := false
	fail := func(field, desc string) { e.WithFieldViolation(field, desc); bad = true }
	check := func(field, s string, k text.Kind, minChars, maxChars int) string {
		v, p := text.CheckBounded(s, k, minChars, maxChars)
		if p != "" {
			fail(field, p)
		}
		return v
	}
	res := &store.Resource{
		Title:       check("title", in.Title, text.Line, 1, maxTitleChars),
		Description: check("description", in.Description, text.Multiline, 0, maxDescriptionChars),
		Version:     check("version", in.Version, text.Line, 1, maxVersionChars),
		Kind:        strings.ToUpper(strings.TrimSpace(in.Kind)),
		SizeBytes:   int64(in.SizeBytes),
		SHA256:      strings.ToLower(strings.TrimSpace(in.SHA256)),
	}
	if !slices.Contains(store.ResourceKinds, res.Kind) {
		fail("kind", "must be DOCUMENT or DOWNLOAD")
	}
	if strings.TrimSpace(in.Filename) == "" {
		fail("filename", "required")
	}
	res.Filename = filename.Sanitize(in.Filename, defaultFilename)
	if res.SizeBytes < 1 || res.SizeBytes > MaxResourceBytes {
		fail("sizeBytes", fmt.Sprintf("must be between 1 and %d", int64(MaxResourceBytes)))
	}
	if b, err := hex.DecodeString(res.SHA256); err != nil || len(b) != 32 {
		fail("sha256", "must be the file's SHA-256 as 64 hexadecimal digits")
	}
	res.ProductIDs = dedupe(in.ProductIDs)
	switch {
	case len(res.ProductIDs) == 0:
		fail("productIds", "at least one product")
	case len(res.ProductIDs) > maxProducts:
		fail("productIds", fmt.Sprintf("at most %d products", maxProducts))
		res.ProductIDs = nil
	}
	res.PackageIDs = dedupe(in.PackageIDs)
	switch {
	case len(res.PackageIDs) == 0:
		fail("packageIds", "at least one support package")
	case len(res.PackageIDs) > maxPackages:
		fail("packageIds", fmt.Sprintf("at most %d packages", maxPackages))
		res.PackageIDs = nil
	}
	if in.Supersedes != "" {
		if id, ok := wire.ParseResourceName(in.Supersedes); ok {
			res.Supersedes = id
		} else {
			fail("supersedes", "not a resource name")
		}
	}
	return res, e, bad
}

// dedupe trims ids and drops empty and repeated ones, keeping the order.
func dedupe(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// withdraw serves POST /v2/resources/{id}:withdraw (support admins): the
// resource is never listed or downloadable for customers again.
func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request) error {
	id, verb := httpapi.SplitVerb(r.PathValue("resource"))
	if verb == "" {
		return apierror.MethodNotAllowed(r.Method)
	}
	if verb != "withdraw" {
		return apierror.NotFound("unknown method %q on a resource", verb)
	}
	if _, err := h.staff(r, access.ResourcesPublish); err != nil {
		return err
	}
	if !wire.ValidResourceID(id) {
		return apierror.NotFound("resource not found")
	}
	if err := decodeOptionalJSON(r); err != nil {
		return err
	}
	res, err := h.deps.Store.WithdrawResource(r.Context(), id, h.deps.Clock.Now())
	if err != nil {
		return apierror.Describe(err, "resource")
	}
	return httpapi.WriteJSON(w, http.StatusOK, toWire(res, true))
}
