package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"cloud.google.com/go/firestore"
)

// The catalogue version makes cached support packages and products expire
// on the next request after a change, on every instance. One document
// (meta/catalog) holds a counter that every change to a package or product
// increments in the same transaction. An HTTP request reads the counter
// once, in the batch of its first organisation read (OrgAndMemberships for
// the access resolution, Orgs for a person's memberships) or, when it has
// none, on its own just before the first cached read; a cached package or
// catalogue is used only if it was loaded at that version or later.
//
// Cost: one read per HTTP request that reads an organisation, a package or
// the catalogue (in the same round trip when batched), in exchange for
// packages and products that are never stale. Work outside a request
// (event and scheduled functions, which carry no request scope) keeps the
// one-minute expiry (cacheTTL) alone.
const (
	// MetaCollection holds single documents of bookkeeping.
	MetaCollection = "meta"
	// CatalogVersionDoc is the catalogue version's document id.
	CatalogVersionDoc = "catalog"
)

// CatalogVersion is the meta/catalog document.
type CatalogVersion struct {
	Version    int64     `firestore:"version"`
	UpdateTime time.Time `firestore:"updateTime"`
}

// requestScope is what one request knows of the catalogue version.
type requestScope struct {
	mu      sync.Mutex
	seen    bool
	version int64
}

type scopeKey struct{}

// WithRequestScope marks ctx as one request's: the first organisation,
// package or catalogue read under it also reads the catalogue version, and
// cached packages and products older than that version are loaded again.
// The HTTP runtime calls it for every request.
func WithRequestScope(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopeKey{}, &requestScope{})
}

func scopeOf(ctx context.Context) *requestScope {
	sc, _ := ctx.Value(scopeKey{}).(*requestScope)
	return sc
}

func (s *Store) catalogVersionRef() *firestore.DocumentRef {
	id := CatalogVersionDoc
	if s.versionDoc != "" {
		id = s.versionDoc
	}
	return s.fs.Collection(MetaCollection).Doc(id)
}

// UseCatalogVersionDoc makes s read and increment meta/{id} instead of
// meta/catalog. Tests that count a request's reads use a private one, so
// catalogue changes made by tests running beside them cannot add reloads
// to what they measure.
func (s *Store) UseCatalogVersionDoc(id string) { s.versionDoc = id }

// versionRefFor is the version document to add to a batch read under ctx,
// or nil when the request has it already (or is no request).
func (s *Store) versionRefFor(ctx context.Context) *firestore.DocumentRef {
	sc := scopeOf(ctx)
	if sc == nil {
		return nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.seen {
		return nil
	}
	return s.catalogVersionRef()
}

// noteVersion records the version document read in a batch under ctx.
func noteVersion(ctx context.Context, snap *firestore.DocumentSnapshot) error {
	v := int64(0)
	if snap.Exists() {
		cv, err := decode[CatalogVersion](snap, "catalog version")
		if err != nil {
			return err
		}
		v = cv.Version
	}
	if sc := scopeOf(ctx); sc != nil {
		sc.mu.Lock()
		if !sc.seen || v > sc.version {
			sc.seen, sc.version = true, v
		}
		sc.mu.Unlock()
	}
	return nil
}

// minVersion is the catalogue version cached values must have reached for
// this request, reading it (one read) if no batch did yet; ok is false
// outside a request (then the TTL alone applies).
func (s *Store) minVersion(ctx context.Context) (v int64, ok bool, err error) {
	sc := scopeOf(ctx)
	if sc == nil {
		return 0, false, nil
	}
	if ref := s.versionRefFor(ctx); ref != nil {
		snap, err := ref.Get(ctx)
		if err != nil && !IsNotFound(err) {
			return 0, false, fmt.Errorf("get catalog version: %w", err)
		}
		if snap == nil { // not found: version 0
			snap = &firestore.DocumentSnapshot{}
		}
		if err := noteVersion(ctx, snap); err != nil {
			return 0, false, err
		}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.version, true, nil
}

// txBumpCatalogVersion increments the catalogue version inside a
// transaction (one write, no read), so every instance's next request
// reloads packages and products.
func (s *Store) txBumpCatalogVersion(tx *firestore.Transaction, now time.Time) error {
	return tx.Set(s.catalogVersionRef(), map[string]any{"version": firestore.Increment(1), "updateTime": now}, firestore.MergeAll)
}

// getAllVersioned reads refs in one round trip, with the catalogue version
// when the request has not read it yet, and returns refs' snapshots only.
func (s *Store) getAllVersioned(ctx context.Context, refs []*firestore.DocumentRef) ([]*firestore.DocumentSnapshot, error) {
	vref := s.versionRefFor(ctx)
	if vref != nil {
		refs = append(refs[:len(refs):len(refs)], vref)
	}
	snaps, err := s.fs.GetAll(ctx, refs)
	if err != nil {
		return nil, err
	}
	if vref != nil {
		if err := noteVersion(ctx, snaps[len(snaps)-1]); err != nil {
			return nil, err
		}
		snaps = snaps[:len(snaps)-1]
	}
	return snaps, nil
}
