package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"cloud.google.com/go/firestore"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrNotFound is returned when a document does not exist.
var ErrNotFound = status.Error(codes.NotFound, "not found")

// Store reads and writes Support Center documents.
type Store struct {
	FS *firestore.Client

	pkgMu    sync.Mutex
	pkgCache map[string]cachedPackage
}

type cachedPackage struct {
	pkg     *Package
	fetched time.Time
}

// packageTTL bounds how stale a cached package may be; packages change rarely
// and caching saves one read on every request.
const packageTTL = time.Minute

// New returns a Store over fs.
func New(fs *firestore.Client) *Store { return &Store{FS: fs, pkgCache: map[string]cachedPackage{}} }

// IsNotFound reports whether err is a Firestore NotFound or ErrNotFound.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound) || status.Code(err) == codes.NotFound
}

// IsAlreadyExists reports whether err is a Firestore AlreadyExists.
func IsAlreadyExists(err error) bool { return status.Code(err) == codes.AlreadyExists }

// collect reads every document of it (then stops it), decoding each with
// decode; what names the list in errors. No documents gives a nil slice.
func collect[T any](it *firestore.DocumentIterator, what string, decode func(*firestore.DocumentSnapshot) (T, error)) ([]T, error) {
	defer it.Stop()
	var out []T
	for {
		snap, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		v, err := decode(snap)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// decodeWithID returns a decoder of kind documents into *T that records the
// document id with setID.
func decodeWithID[T any](kind string, setID func(*T, string)) func(*firestore.DocumentSnapshot) (*T, error) {
	return func(snap *firestore.DocumentSnapshot) (*T, error) {
		v := new(T)
		if err := snap.DataTo(v); err != nil {
			return nil, fmt.Errorf("decode %s %s: %w", kind, snap.Ref.ID, err)
		}
		setID(v, snap.Ref.ID)
		return v, nil
	}
}

// Org reads one organisation.
func (s *Store) Org(ctx context.Context, id string) (*Org, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	snap, err := s.FS.Collection(OrgsCollection).Doc(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "organization", id)
	}
	return decodeOrg(snap)
}

func decodeOrg(snap *firestore.DocumentSnapshot) (*Org, error) {
	var o Org
	if err := snap.DataTo(&o); err != nil {
		return nil, fmt.Errorf("decode organization %s: %w", snap.Ref.ID, err)
	}
	o.ID = snap.Ref.ID
	return &o, nil
}

func decodeMembership(snap *firestore.DocumentSnapshot) (*Membership, error) {
	var m Membership
	if err := snap.DataTo(&m); err != nil {
		return nil, fmt.Errorf("decode membership %s: %w", snap.Ref.ID, err)
	}
	m.ID = snap.Ref.ID
	return &m, nil
}

func wrapGet(err error, kind, id string) error {
	if status.Code(err) == codes.NotFound {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return fmt.Errorf("get %s %s: %w", kind, id, err)
}

// Membership reads email's membership in orgID.
func (s *Store) Membership(ctx context.Context, orgID, email string) (*Membership, error) {
	snap, err := s.FS.Collection(MembershipsCollection).Doc(MembershipID(orgID, email)).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "membership", orgID)
	}
	return decodeMembership(snap)
}

// OrgAndMemberships reads an organisation and email's memberships in the
// given organisations in one round trip. Missing documents come back nil.
func (s *Store) OrgAndMemberships(ctx context.Context, orgID, email string, memberOrgIDs ...string) (*Org, []*Membership, error) {
	refs := []*firestore.DocumentRef{s.FS.Collection(OrgsCollection).Doc(orgID)}
	for _, id := range memberOrgIDs {
		refs = append(refs, s.FS.Collection(MembershipsCollection).Doc(MembershipID(id, email)))
	}
	snaps, err := s.FS.GetAll(ctx, refs)
	if err != nil {
		return nil, nil, fmt.Errorf("get organization and memberships: %w", err)
	}
	var org *Org
	if snaps[0].Exists() {
		if org, err = decodeOrg(snaps[0]); err != nil {
			return nil, nil, err
		}
	}
	ms := make([]*Membership, len(memberOrgIDs))
	for i, snap := range snaps[1:] {
		if snap.Exists() {
			if ms[i], err = decodeMembership(snap); err != nil {
				return nil, nil, err
			}
		}
	}
	return org, ms, nil
}

// MembershipsByEmail lists every membership of email (at most limit).
func (s *Store) MembershipsByEmail(ctx context.Context, email string, limit int) ([]*Membership, error) {
	return collect(s.FS.Collection(MembershipsCollection).Where("email", "==", NormalizeEmail(email)).Limit(limit).Documents(ctx), "list memberships", decodeMembership)
}

// Orgs reads several organisations in one round trip; missing ones are skipped.
func (s *Store) Orgs(ctx context.Context, ids []string) (map[string]*Org, error) {
	out := make(map[string]*Org, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = s.FS.Collection(OrgsCollection).Doc(id)
	}
	snaps, err := s.FS.GetAll(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("get organizations: %w", err)
	}
	for _, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		o, err := decodeOrg(snap)
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, nil
}

// CustomersOf lists the customers whose current reseller is resellerID.
func (s *Store) CustomersOf(ctx context.Context, resellerID string, limit int) ([]*Org, error) {
	return s.queryOrgs(ctx, s.FS.Collection(OrgsCollection).Where("resellerId", "==", resellerID).Limit(limit))
}

// AllOrgs lists organisations ordered by id (support team views).
func (s *Store) AllOrgs(ctx context.Context, limit int) ([]*Org, error) {
	return s.queryOrgs(ctx, s.FS.Collection(OrgsCollection).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit))
}

func (s *Store) queryOrgs(ctx context.Context, q firestore.Query) ([]*Org, error) {
	return collect(q.Documents(ctx), "list organizations", decodeOrg)
}

// Package reads a support package, cached in memory for a minute.
func (s *Store) Package(ctx context.Context, id string) (*Package, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	s.pkgMu.Lock()
	c, ok := s.pkgCache[id]
	s.pkgMu.Unlock()
	if ok && time.Since(c.fetched) < packageTTL {
		return c.pkg, nil
	}
	snap, err := s.FS.Collection(PackagesCollection).Doc(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "package", id)
	}
	var p Package
	if err := snap.DataTo(&p); err != nil {
		return nil, fmt.Errorf("decode package %s: %w", id, err)
	}
	p.ID = id
	s.pkgMu.Lock()
	s.pkgCache[id] = cachedPackage{pkg: &p, fetched: time.Now()}
	s.pkgMu.Unlock()
	return &p, nil
}

// Products reads products by id in one round trip; missing ones are skipped.
func (s *Store) Products(ctx context.Context, ids []string) ([]*Product, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = s.FS.Collection(ProductsCollection).Doc(id)
	}
	snaps, err := s.FS.GetAll(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("get products: %w", err)
	}
	var out []*Product
	for _, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		var p Product
		if err := snap.DataTo(&p); err != nil {
			return nil, fmt.Errorf("decode product %s: %w", snap.Ref.ID, err)
		}
		p.ID = snap.Ref.ID
		out = append(out, &p)
	}
	return out, nil
}

// AllProducts lists every product (the catalogue is small).
func (s *Store) AllProducts(ctx context.Context) ([]*Product, error) {
	return collect(s.FS.Collection(ProductsCollection).Documents(ctx), "list products",
		decodeWithID("product", func(v *Product, id string) { v.ID = id }))
}

// AddAudit appends an audit entry inside a transaction.
func (s *Store) AddAudit(tx *firestore.Transaction, e AuditEntry) error {
	return tx.Create(s.FS.Collection(AuditCollection).NewDoc(), e)
}
