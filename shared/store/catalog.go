package store

import (
	"context"
	"sync"
	"time"
)

// catalogTTL bounds how stale a cached product catalogue may be. The
// catalogue is small and changes rarely. (Wall-clock, not an injected
// clock: this is cache hygiene, not a business rule.)
const catalogTTL = time.Minute

// Catalog caches every product with its classifications, so showing
// product names and classifications costs no reads per request: one read
// per product per instance per minute instead.
type Catalog struct {
	st      *Store
	mu      sync.Mutex
	byID    map[string]*Product
	fetched time.Time
}

// NewCatalog returns a Catalog reading through st.
func NewCatalog(st *Store) *Catalog { return &Catalog{st: st} }

// Products returns the catalogue by product id. Callers must not modify it.
func (c *Catalog) Products(ctx context.Context) (map[string]*Product, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID != nil && time.Since(c.fetched) < catalogTTL {
		return c.byID, nil
	}
	ps, err := c.st.AllProducts(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Product, len(ps))
	for _, p := range ps {
		byID[p.ID] = p
	}
	c.byID, c.fetched = byID, time.Now()
	return byID, nil
}
