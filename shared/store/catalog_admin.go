package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// Catalogue administration by the vendor's support admins: support
// packages and products with their classifications. Nothing here deletes:
// cases point to packages, products and classifications, so they are
// deactivated instead. Every change increments the catalogue version in
// its transaction (cached copies expire on the next request) and writes an
// audit entry in the vendor organisation's audit log.

// Audit actions of catalogue administration.
const (
	AuditPackageCreate = "package.create"
	AuditPackageUpdate = "package.update"
	AuditProductCreate = "product.create"
	AuditProductUpdate = "product.update"
)

func (s *Store) packageRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(PackagesCollection).Doc(id)
}

func (s *Store) productRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(ProductsCollection).Doc(id)
}

// Packages lists every support package by id, uncached. Reads: one per
// package (one if none).
func (s *Store) Packages(ctx context.Context) ([]*Package, error) {
	return collect(s.fs.Collection(PackagesCollection).OrderBy(firestore.DocumentID, firestore.Asc).Documents(ctx),
		"list packages", decodePackage)
}

// PackageByID reads support package id, uncached (administration reads
// what is stored). One read.
func (s *Store) PackageByID(ctx context.Context, id string) (*Package, error) {
	snap, err := s.packageRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "package", id)
	}
	return decodePackage(snap)
}

// Products lists every product by id, uncached. Reads: one per product
// (one if none).
func (s *Store) Products(ctx context.Context) ([]*Product, error) {
	return collect(s.fs.Collection(ProductsCollection).OrderBy(firestore.DocumentID, firestore.Asc).Documents(ctx),
		"list products", decodeProduct)
}

// ProductByID reads product id, uncached. One read.
func (s *Store) ProductByID(ctx context.Context, id string) (*Product, error) {
	snap, err := s.productRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "product", id)
	}
	return decodeProduct(snap)
}

// CreatePackage creates support package p (p.ID) with audit entry e
// (time filled in) and a new catalogue version, in one transaction.
// ErrAlreadyExists when the id is taken. Reads: 1. Writes: 3 (package,
// audit entry, catalogue version).
func (s *Store) CreatePackage(ctx context.Context, p *Package, e AuditEntry, now time.Time) error {
	return s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		if err := s.txMustNotExist(tx, s.packageRef(p.ID), "package"); err != nil {
			return err
		}
		if err := tx.Create(s.packageRef(p.ID), p); err != nil {
			return err
		}
		return s.txCatalogChanged(tx, e, now)
	})
}

// ChangePackage applies change to support package id in one transaction
// and writes it back whole with the audit entry change returns (nil:
// nothing to change, nothing written) and a new catalogue version. It
// returns the package as written or read. ErrNotFound if id does not
// exist. Reads: 1. Writes: 3, or 0.
func (s *Store) ChangePackage(ctx context.Context, id string, now time.Time, change func(p *Package) (*AuditEntry, error)) (*Package, error) {
	var out *Package
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.packageRef(id))
		if err != nil {
			return wrapGet(err, "package", id)
		}
		p, err := decodePackage(snap)
		if err != nil {
			return err
		}
		out = p
		e, err := change(p)
		if err != nil || e == nil {
			return err
		}
		if err := tx.Set(s.packageRef(id), p); err != nil {
			return err
		}
		return s.txCatalogChanged(tx, *e, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CatalogTx is what a product change may read inside its transaction.
type CatalogTx struct {
	s  *Store
	tx *firestore.Transaction
}

// ClassificationOwners maps every classification id in the catalogue to
// its product (classification ids are unique across products: cases and
// caseClassifications:search name them alone). Reads: one per product.
func (t *CatalogTx) ClassificationOwners() (map[string]string, error) {
	snaps, err := t.tx.Documents(t.s.fs.Collection(ProductsCollection)).GetAll()
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	out := map[string]string{}
	for _, snap := range snaps {
		p, err := decodeProduct(snap)
		if err != nil {
			return nil, err
		}
		for _, c := range p.Classifications {
			out[c.ID] = p.ID
		}
	}
	return out, nil
}

// CreateProduct creates product p (p.ID) with audit entry e and a new
// catalogue version in one transaction, after check (which may read the
// catalogue through t, e.g. for classification ids; nil: none).
// ErrAlreadyExists when the id is taken. Reads: 1 + check's. Writes: 3.
func (s *Store) CreateProduct(ctx context.Context, p *Product, e AuditEntry, now time.Time, check func(t *CatalogTx) error) error {
	return s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		if check != nil {
			if err := check(&CatalogTx{s: s, tx: tx}); err != nil {
				return err
			}
		}
		if err := s.txMustNotExist(tx, s.productRef(p.ID), "product"); err != nil {
			return err
		}
		if err := tx.Create(s.productRef(p.ID), p); err != nil {
			return err
		}
		return s.txCatalogChanged(tx, e, now)
	})
}

// ChangeProduct applies change to product id (its classifications
// included) in one transaction and writes it back whole with the audit
// entry change returns (nil: nothing written) and a new catalogue version.
// ErrNotFound if id does not exist. Reads: 1 + change's. Writes: 3, or 0.
func (s *Store) ChangeProduct(ctx context.Context, id string, now time.Time, change func(t *CatalogTx, p *Product) (*AuditEntry, error)) (*Product, error) {
	var out *Product
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snap, err := tx.Get(s.productRef(id))
		if err != nil {
			return wrapGet(err, "product", id)
		}
		p, err := decodeProduct(snap)
		if err != nil {
			return err
		}
		out = p
		e, err := change(&CatalogTx{s: s, tx: tx}, p)
		if err != nil || e == nil {
			return err
		}
		if err := tx.Set(s.productRef(id), p); err != nil {
			return err
		}
		return s.txCatalogChanged(tx, *e, now)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// txMustNotExist refuses with ErrAlreadyExists when ref exists. One read.
func (s *Store) txMustNotExist(tx *firestore.Transaction, ref *firestore.DocumentRef, what string) error {
	snap, err := tx.Get(ref)
	if err != nil && !IsNotFound(err) {
		return err
	}
	if snap != nil && snap.Exists() {
		return fmt.Errorf("%s %s: %w", what, ref.ID, ErrAlreadyExists)
	}
	return nil
}

// txCatalogChanged writes the audit entry of a catalogue change and
// increments the catalogue version. Writes: 2.
func (s *Store) txCatalogChanged(tx *firestore.Transaction, e AuditEntry, now time.Time) error {
	e.Time = now
	if err := s.txAddAudit(tx, e); err != nil {
		return err
	}
	return s.txBumpCatalogVersion(tx, now)
}
