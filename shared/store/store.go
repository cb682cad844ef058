package store

import (
	"context"
	"errors"
	"fmt"

	"cloud.google.com/go/firestore"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrNotFound is returned when a document does not exist.
var ErrNotFound = status.Error(codes.NotFound, "not found")

// Store reads and writes Support Center documents.
type Store struct {
	fs *firestore.Client

	packages cache[*Package]
	catalog  cache[map[string]*Product]
	// versionDoc overrides the catalogue version's document (tests).
	versionDoc string
}

// New returns a Store over fs.
func New(fs *firestore.Client) *Store { return &Store{fs: fs} }

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

// decoder returns the decoder of kind documents into *T that records the
// document id with setID: the one way documents become values here.
func decoder[T any](kind string, setID func(*T, string)) func(*firestore.DocumentSnapshot) (*T, error) {
	return func(snap *firestore.DocumentSnapshot) (*T, error) {
		v, err := decode[T](snap, kind)
		if err != nil {
			return nil, err
		}
		setID(v, snap.Ref.ID)
		return v, nil
	}
}

// Decoders of the documents that carry their id.
var (
	decodeOrg           = decoder("organization", func(v *Org, id string) { v.ID = id })
	decodeMembership    = decoder("membership", func(v *Membership, id string) { v.ID = id })
	decodeMembershipDoc = decoder("membership", func(v *MembershipDoc, id string) { v.ID = id })
	decodeCase          = decoder("case", func(v *Case, id string) { v.ID = id })
	decodeComment       = decoder("comment", func(v *Comment, id string) { v.ID = id })
	decodeAttachment    = decoder("attachment", func(v *Attachment, id string) { v.ID = id })
	decodeProduct       = decoder("product", func(v *Product, id string) { v.ID = id })
	decodePackage       = decoder("package", func(v *Package, id string) { v.ID = id })
)

// Org reads one organisation.
func (s *Store) Org(ctx context.Context, id string) (*Org, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	snap, err := s.fs.Collection(OrgsCollection).Doc(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "organization", id)
	}
	return decodeOrg(snap)
}

func wrapGet(err error, kind, id string) error {
	if status.Code(err) == codes.NotFound {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return fmt.Errorf("get %s %s: %w", kind, id, err)
}

// Membership reads email's membership in orgID.
func (s *Store) Membership(ctx context.Context, orgID, email string) (*Membership, error) {
	snap, err := s.fs.Collection(MembershipsCollection).Doc(MembershipID(orgID, email)).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "membership", orgID)
	}
	return decodeMembership(snap)
}

// OrgAndMemberships reads an organisation and email's memberships in the
// given organisations in one round trip. Missing documents come back nil.
// The first such read of a request also reads the catalogue version (one
// more document in the same round trip; see WithRequestScope).
func (s *Store) OrgAndMemberships(ctx context.Context, orgID, email string, memberOrgIDs ...string) (*Org, []*Membership, error) {
	refs := []*firestore.DocumentRef{s.fs.Collection(OrgsCollection).Doc(orgID)}
	for _, id := range memberOrgIDs {
		refs = append(refs, s.fs.Collection(MembershipsCollection).Doc(MembershipID(id, email)))
	}
	snaps, err := s.getAllVersioned(ctx, refs)
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
	return collect(s.fs.Collection(MembershipsCollection).Where("email", "==", NormalizeEmail(email)).Limit(limit).Documents(ctx), "list memberships", decodeMembership)
}

// Orgs reads several organisations in one round trip; missing ones are
// skipped. The first such read of a request also reads the catalogue
// version (see OrgAndMemberships).
func (s *Store) Orgs(ctx context.Context, ids []string) (map[string]*Org, error) {
	out := make(map[string]*Org, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = s.fs.Collection(OrgsCollection).Doc(id)
	}
	snaps, err := s.getAllVersioned(ctx, refs)
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
	return s.queryOrgs(ctx, s.fs.Collection(OrgsCollection).Where("resellerId", "==", resellerID).Limit(limit))
}

// AllOrgs lists organisations ordered by id (support team views).
func (s *Store) AllOrgs(ctx context.Context, limit int) ([]*Org, error) {
	return s.queryOrgs(ctx, s.fs.Collection(OrgsCollection).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit))
}

func (s *Store) queryOrgs(ctx context.Context, q firestore.Query) ([]*Org, error) {
	return collect(q.Documents(ctx), "list organizations", decodeOrg)
}

// Package reads a support package, cached until the catalogue version
// changes (inside a request) or for a minute (cacheTTL).
func (s *Store) Package(ctx context.Context, id string) (*Package, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	return s.packages.get(ctx, s, id, func(ctx context.Context) (*Package, error) {
		snap, err := s.fs.Collection(PackagesCollection).Doc(id).Get(ctx)
		if err != nil {
			return nil, wrapGet(err, "package", id)
		}
		return decodePackage(snap)
	})
}

// Catalog returns every product with its classifications by product id,
// cached until the catalogue version changes (inside a request) or for a
// minute (cacheTTL): one read per product per instance per change instead
// of reads on every request. Callers must not modify it.
func (s *Store) Catalog(ctx context.Context) (map[string]*Product, error) {
	return s.catalog.get(ctx, s, "", func(ctx context.Context) (map[string]*Product, error) {
		ps, err := collect(s.fs.Collection(ProductsCollection).Documents(ctx), "list products", decodeProduct)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]*Product, len(ps))
		for _, p := range ps {
			byID[p.ID] = p
		}
		return byID, nil
	})
}

// txAddAudit appends an audit entry inside a transaction.
func (s *Store) txAddAudit(tx *firestore.Transaction, e AuditEntry) error {
	return tx.Create(s.fs.Collection(AuditCollection).NewDoc(), e)
}

// decode decodes snap into a new T; what names the kind in errors.
func decode[T any](snap *firestore.DocumentSnapshot, what string) (*T, error) {
	v := new(T)
	if err := snap.DataTo(v); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", what, snap.Ref.ID, err)
	}
	return v, nil
}

// Close releases the Firestore client.
func (s *Store) Close() error { return s.fs.Close() }

// PutOrg writes organisation o under id, replacing it. One write.
func (s *Store) PutOrg(ctx context.Context, id string, o Org) error {
	return put(ctx, s.orgRef(id), o, "organization")
}

// PutMembership writes m under its id (MembershipID of its organisation
// and e-mail), replacing it. One write.
func (s *Store) PutMembership(ctx context.Context, m MembershipDoc) error {
	return put(ctx, s.membershipRef(MembershipID(m.OrgID, m.Email)), m, "membership")
}

func put(ctx context.Context, ref *firestore.DocumentRef, v any, what string) error {
	if _, err := ref.Set(ctx, v); err != nil {
		return fmt.Errorf("put %s %s: %w", what, ref.ID, err)
	}
	return nil
}
