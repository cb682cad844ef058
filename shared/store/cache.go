package store

import (
	"context"
	"sync"
	"time"
)

// cacheTTL bounds how stale cached reference data — support packages and
// the product catalogue — may be where no catalogue version applies (work
// outside an HTTP request; see catalog_version.go). Both are small and
// change rarely; caching them saves a read per package and per product on
// nearly every request. (Wall clock, not an injected clock: this is cache
// hygiene, not a business rule.)
const cacheTTL = time.Minute

// cache holds values by key for cacheTTL, each tagged with the catalogue
// version it was loaded at: the one cache of this package. Concurrent
// misses of one key may both load (harmless: same data, and a value never
// replaces one loaded at a later version).
type cache[T any] struct {
	mu sync.Mutex
	m  map[string]cacheEntry[T]
}

type cacheEntry[T any] struct {
	v       T
	fetched time.Time
	version int64
}

// get returns key's value, loading it when absent, stale, or (inside a
// request) loaded before the catalogue version the request read.
func (c *cache[T]) get(ctx context.Context, s *Store, key string, load func(context.Context) (T, error)) (T, error) {
	want, versioned, err := s.minVersion(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < cacheTTL && (!versioned || e.version >= want) {
		return e.v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cacheEntry[T]{}
	}
	if old, ok := c.m[key]; !ok || old.version <= want {
		c.m[key] = cacheEntry[T]{v: v, fetched: time.Now(), version: want}
	}
	c.mu.Unlock()
	return v, nil
}
