package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// Writes for the first production data (infra/bootstrap): the catalogue
// (packages, products) as the operator's file says, and the vendor
// organisation and first support admin only when missing, so re-running
// never undoes what was done through the API since.

// PutPackage writes support package id as given, with a new catalogue
// version so cached copies expire. Cost: 2 writes (one commit).
func (s *Store) PutPackage(ctx context.Context, id string, p Package) error {
	return s.putCatalogDoc(ctx, s.packageRef(id), p, "package")
}

// PutProduct writes product id as given, with a new catalogue version.
// Cost: 2 writes (one commit).
func (s *Store) PutProduct(ctx context.Context, id string, p Product) error {
	return s.putCatalogDoc(ctx, s.productRef(id), p, "product")
}

func (s *Store) putCatalogDoc(ctx context.Context, ref *firestore.DocumentRef, v any, what string) error {
	b := s.fs.Batch() //nolint:staticcheck // one atomic commit without a transaction round trip
	b.Set(ref, v)
	b.Set(s.catalogVersionRef(), map[string]any{"version": firestore.Increment(1), "updateTime": time.Now()}, firestore.MergeAll)
	if _, err := b.Commit(ctx); err != nil {
		return fmt.Errorf("%s %s: %w", what, ref.ID, err)
	}
	return nil
}

// CreateOrgIfMissing creates organisation o (o.ID) unless one with that id
// exists, which it leaves as it is; it reports whether it created it. It
// goes through CreateOrg, so o's domains are claimed (no customer can be
// given the vendor's domain) and the creation is audited.
// Cost: 1 + 1 per domain reads; 2 + 1 per domain writes when it creates.
func (s *Store) CreateOrgIfMissing(ctx context.Context, o Org, now time.Time) (bool, error) {
	_, err := s.CreateOrg(ctx, NewOrg{Org: o, Audit: []AuditEntry{{Actor: "bootstrap", Action: AuditOrgCreate,
		Target: "organizations/" + o.ID}}}, now)
	if errors.Is(err, ErrAlreadyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("organization %s: %w", o.ID, err)
	}
	return true, nil
}

// CreateMembershipIfMissing creates membership m (m.ID) with an audit entry
// in one transaction, unless it exists; it returns the stored membership and
// whether it created it. Cost: 1 read, and 2 writes when it creates.
func (s *Store) CreateMembershipIfMissing(ctx context.Context, m *MembershipDoc, audit AuditEntry) (*MembershipDoc, bool, error) {
	var stored *MembershipDoc
	created := false
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		created = false
		ref := s.membershipRef(m.ID)
		snap, err := tx.Get(ref)
		if err == nil && snap.Exists() {
			stored, err = decodeMembershipDoc(snap)
			return err
		}
		if err != nil && !IsNotFound(err) {
			return err
		}
		if err := tx.Create(ref, m); err != nil {
			return err
		}
		created, stored = true, m
		return s.txAddAudit(tx, audit)
	})
	if err != nil {
		return nil, false, fmt.Errorf("membership %s: %w", m.ID, err)
	}
	return stored, created, nil
}
