package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// Private resources: downloads and documents the vendor publishes for
// customers of some products under some packages.
//
//	resources/{id}          Resource
//	resourceDownloads/{auto} ResourceDownload (who downloaded what, for whom, when)
const (
	ResourcesCollection         = "resources"
	ResourceDownloadsCollection = "resourceDownloads"
)

// Resource kinds.
const (
	ResourceKindDocument = "DOCUMENT"
	ResourceKindDownload = "DOWNLOAD"
)

// ResourceKinds lists the kinds.
var ResourceKinds = []string{ResourceKindDocument, ResourceKindDownload}

// Resource states: PENDING until its object is uploaded and validated
// (size and SHA-256 as declared), then READY or REJECTED; WITHDRAWN once a
// support admin takes it back (never listed for customers again).
const (
	ResourcePending   = "PENDING"
	ResourceReady     = "READY"
	ResourceRejected  = "REJECTED"
	ResourceWithdrawn = "WITHDRAWN"
)

// Reasons a resource's upload is rejected.
const (
	ResourceRejectSize   = "SIZE_MISMATCH"
	ResourceRejectSHA256 = "SHA256_MISMATCH"
)

// Resource is a published file with what it is for. Entitlements is
// derived (ResourceEntitlements) so that one array-contains-any query
// finds exactly what a customer's (package, product) pairs may see.
type Resource struct {
	ID           string   `firestore:"-"`
	Title        string   `firestore:"title"`
	Description  string   `firestore:"description"`
	Kind         string   `firestore:"kind"`
	Version      string   `firestore:"version"`
	ProductIDs   []string `firestore:"productIds"`
	PackageIDs   []string `firestore:"packageIds"`
	Entitlements []string `firestore:"entitlements"`
	Filename     string   `firestore:"filename"`
	SizeBytes    int64    `firestore:"sizeBytes"` // declared; the object must match
	SHA256       string   `firestore:"sha256"`    // declared, lower-case hex; the object must match
	State        string   `firestore:"state"`
	RejectReason string   `firestore:"rejectReason,omitempty"`
	Object       string   `firestore:"object"`
	Generation   int64    `firestore:"generation,omitempty"` // the validated generation
	// Supersedes is the id of the older version this one replaces once
	// READY; SupersededBy is set on that older one then (it stays listed,
	// its download answers with the newer one's name).
	Supersedes   string    `firestore:"supersedes,omitempty"`
	SupersededBy string    `firestore:"supersededBy,omitempty"`
	CreatorEmail string    `firestore:"creatorEmail"`
	CreateTime   time.Time `firestore:"createTime"`
	UpdateTime   time.Time `firestore:"updateTime"`
	ReadyTime    time.Time `firestore:"readyTime,omitempty"`
	WithdrawTime time.Time `firestore:"withdrawTime,omitempty"`
}

// ResourceDownload records one issued download URL.
type ResourceDownload struct {
	ID         string `firestore:"-"`
	ResourceID string `firestore:"resourceId"`
	Email      string `firestore:"email"`
	// OrgID is the organisation the downloader acts for (the entitled
	// customer; for a reseller, the customer it acts for), ViaOrgID the
	// downloader's own organisation when that differs (the reseller), or
	// the vendor organisation for support staff.
	OrgID    string    `firestore:"orgId"`
	ViaOrgID string    `firestore:"viaOrgId,omitempty"`
	Time     time.Time `firestore:"time"`
}

// Entitlement is the key of one (package, product) pair.
func Entitlement(packageID, productID string) string { return packageID + "/" + productID }

// ResourceEntitlements are the keys of every pair of packageIDs × productIDs.
func ResourceEntitlements(packageIDs, productIDs []string) []string {
	var out []string
	for _, p := range packageIDs {
		for _, q := range productIDs {
			out = append(out, Entitlement(p, q))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ResourceObject is the Cloud Storage object name of a resource's file in
// the resources bucket (never the uploaded file name).
func ResourceObject(id string) string { return "resources/" + id }

// ParseResourceObject is the inverse of ResourceObject.
func ParseResourceObject(name string) (string, bool) {
	id, ok := strings.CutPrefix(name, "resources/")
	return id, ok && wire.ValidResourceID(id)
}

// NewResourceID returns a new resource id (time-ordered, random suffix).
func NewResourceID(now time.Time) string { return NewAttachmentID(now) }

func (s *Store) resourceRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(ResourcesCollection).Doc(id)
}

var decodeResource = decoder("resource", func(v *Resource, id string) { v.ID = id })

// CreateResource stores r (r.ID set) with a must-not-exist precondition.
// Writes: 1.
func (s *Store) CreateResource(ctx context.Context, r *Resource) error {
	r.Entitlements = ResourceEntitlements(r.PackageIDs, r.ProductIDs)
	if _, err := s.resourceRef(r.ID).Create(ctx, r); err != nil {
		return fmt.Errorf("create resource %s: %w", r.ID, err)
	}
	return nil
}

// Resource reads one resource. Reads: 1.
func (s *Store) Resource(ctx context.Context, id string) (*Resource, error) {
	snap, err := s.resourceRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "resource", id)
	}
	return decodeResource(snap)
}

// ResourceCheck is the outcome of validating one generation of a
// resource's object: Reject is "" when its size and SHA-256 match.
type ResourceCheck struct {
	Generation int64
	Reject     string
	Time       time.Time
}

// FinalizeResource applies c to resource id in one transaction: PENDING
// becomes READY (and the resource it supersedes, if any, gets
// SupersededBy) or REJECTED. A decided resource is not changed again: the
// same generation is OutcomeDuplicate, an older one OutcomeStale, a later
// one OutcomeLate (the caller deletes that generation).
//
// Reads: 1, or 2 when a READY resource supersedes another. Writes: the
// same when applied, 0 otherwise.
func (s *Store) FinalizeResource(ctx context.Context, id string, c ResourceCheck) (*Resource, FinalizeOutcome, error) {
	var (
		out     *Resource
		outcome FinalizeOutcome
	)
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.resourceRef(id))
		if err != nil {
			return wrapGet(err, "resource", id)
		}
		r, err := decodeResource(snap)
		if err != nil {
			return err
		}
		out = r
		switch {
		case c.Generation < r.Generation:
			outcome = OutcomeStale
			return nil
		case c.Generation == r.Generation && r.State != ResourcePending:
			outcome = OutcomeDuplicate
			return nil
		case r.State != ResourcePending:
			outcome = OutcomeLate
			return nil
		}
		outcome = OutcomeApplied
		var old *Resource
		if c.Reject == "" && r.Supersedes != "" {
			osnap, err := tx.Get(s.resourceRef(r.Supersedes))
			if err != nil && !IsNotFound(err) {
				return wrapGet(err, "resource", r.Supersedes)
			}
			if err == nil {
				if old, err = decodeResource(osnap); err != nil {
					return err
				}
			}
		}
		r.Generation, r.UpdateTime = c.Generation, c.Time
		if c.Reject != "" {
			r.State, r.RejectReason = ResourceRejected, c.Reject
		} else {
			r.State, r.ReadyTime = ResourceReady, c.Time
		}
		if err := tx.Set(s.resourceRef(id), r); err != nil {
			return err
		}
		// The newest ready version wins: an older one never takes back
		// the place of a newer one that is already READY.
		if old != nil && (old.SupersededBy == "" || old.SupersededBy < r.ID) {
			return tx.Update(s.resourceRef(old.ID), []firestore.Update{
				{Path: "supersededBy", Value: r.ID}, {Path: "updateTime", Value: c.Time}})
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, outcome, nil
}

// WithdrawResource marks resource id WITHDRAWN (from any state; again is a
// no-op). Reads: 1. Writes: 1 (0 when already withdrawn).
func (s *Store) WithdrawResource(ctx context.Context, id string, now time.Time) (*Resource, error) {
	var out *Resource
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.resourceRef(id))
		if err != nil {
			return wrapGet(err, "resource", id)
		}
		r, err := decodeResource(snap)
		if err != nil {
			return err
		}
		out = r
		if r.State == ResourceWithdrawn {
			return nil
		}
		r.State, r.WithdrawTime, r.UpdateTime = ResourceWithdrawn, now, now
		return tx.Set(snap.Ref, r)
	})
	return out, err
}

// MaxEntitlementsPerQuery is Firestore's bound on array-contains-any
// values; ResourcesPage runs one query per this many entitlements.
const MaxEntitlementsPerQuery = 30

// ResourceQuery selects resources for ResourcesPage.
type ResourceQuery struct {
	// Entitlements, when not nil, restricts to READY resources carrying
	// one of these (package, product) keys: what a customer may see.
	// An empty, non-nil slice matches nothing. Nil: every resource in
	// every state (support staff).
	Entitlements []string
	// ProductID restricts to one product (support staff; customers'
	// entitlements are narrowed to the product instead).
	ProductID string
	// Kind restricts to DOCUMENT or DOWNLOAD.
	Kind string
}

// ResourcesPage lists resources newest first after the cursor (nil = from
// the newest), at most limit. Reads: one per resource returned by each
// query (one if none); a customer's entitlements beyond
// MaxEntitlementsPerQuery take one more query per 30 keys.
func (s *Store) ResourcesPage(ctx context.Context, q ResourceQuery, after *Cursor, limit int) ([]*Resource, error) {
	base := s.fs.Collection(ResourcesCollection).Query
	if q.Kind != "" {
		base = base.Where("kind", "==", q.Kind)
	}
	run := func(fq firestore.Query) ([]*Resource, error) {
		fq = fq.OrderBy("createTime", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
		if after != nil {
			fq = fq.StartAfter(after.Time, after.ID)
		}
		return collect(fq.Documents(ctx), "list resources", decodeResource)
	}
	if q.Entitlements == nil {
		if q.ProductID != "" {
			base = base.Where("productIds", "array-contains", q.ProductID)
		}
		return run(base)
	}
	base = base.Where("state", "==", ResourceReady)
	var out []*Resource
	seen := map[string]bool{}
	for chunk := range slices.Chunk(q.Entitlements, MaxEntitlementsPerQuery) {
		rs, err := run(base.Where("entitlements", "array-contains-any", chunk))
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b *Resource) int {
		return cmp.Or(b.CreateTime.Compare(a.CreateTime), strings.Compare(a.ID, b.ID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// RecordDownload stores d (its ID is set). Writes: 1.
func (s *Store) RecordDownload(ctx context.Context, d *ResourceDownload) error {
	ref := s.fs.Collection(ResourceDownloadsCollection).NewDoc()
	d.ID = ref.ID
	if _, err := ref.Create(ctx, d); err != nil {
		return fmt.Errorf("record download of %s: %w", d.ResourceID, err)
	}
	return nil
}

// DownloadsPage lists a resource's downloads newest first after the cursor,
// at most limit. Reads: one per download returned (one if none). Index:
// resourceDownloads (resourceId ASC, time DESC, __name__ ASC).
func (s *Store) DownloadsPage(ctx context.Context, resourceID string, after *Cursor, limit int) ([]*ResourceDownload, error) {
	q := s.fs.Collection(ResourceDownloadsCollection).Where("resourceId", "==", resourceID).
		OrderBy("time", firestore.Desc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list downloads", decoder("download", func(v *ResourceDownload, id string) { v.ID = id }))
}

// resourceIndexes are the composite indexes of the resource, download and
// feedback queries above and in feedback.go.
func resourceIndexes() []Index {
	sorted := func(col string, fields ...IndexField) Index {
		return Index{Collection: col, Fields: append(fields,
			IndexField{Path: "createTime", Order: "DESCENDING"}, IndexField{Path: "__name__", Order: "ASCENDING"})}
	}
	asc := func(p string) IndexField { return IndexField{Path: p, Order: "ASCENDING"} }
	contains := func(p string) IndexField { return IndexField{Path: p, Array: true} }
	return []Index{
		// Staff: every resource, by kind, by product, by both.
		sorted(ResourcesCollection),
		sorted(ResourcesCollection, asc("kind")),
		sorted(ResourcesCollection, contains("productIds")),
		sorted(ResourcesCollection, asc("kind"), contains("productIds")),
		// Customers: READY, their entitlements, optionally by kind.
		sorted(ResourcesCollection, asc("state"), contains("entitlements")),
		sorted(ResourcesCollection, asc("kind"), asc("state"), contains("entitlements")),
		{Collection: ResourceDownloadsCollection, Fields: []IndexField{
			asc("resourceId"), {Path: "time", Order: "DESCENDING"}, {Path: "__name__", Order: "ASCENDING"}}},
		// Feedback: every, by kind, by state, by both.
		sorted(FeedbackCollection),
		sorted(FeedbackCollection, asc("kind")),
		sorted(FeedbackCollection, asc("state")),
		sorted(FeedbackCollection, asc("kind"), asc("state")),
	}
}
