package store

import (
	"context"
	"sync"
	"time"
)

// cacheTTL bounds how stale cached reference data — support packages and
// the product catalogue — may be. Both are small and change rarely;
// caching them saves a read per package and per product on nearly every
// request. (Wall clock, not an injected clock: this is cache hygiene, not
// a business rule.)
const cacheTTL = time.Minute

// cache holds values by key for cacheTTL: the one cache of this package.
// Concurrent misses of one key may both load (harmless: same data).
type cache[T any] struct {
	mu sync.Mutex
	m  map[string]cacheEntry[T]
}

type cacheEntry[T any] struct {
	v       T
	fetched time.Time
}

// get returns key's value, loading it when absent or stale.
func (c *cache[T]) get(ctx context.Context, key string, load func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < cacheTTL {
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
	c.m[key] = cacheEntry[T]{v: v, fetched: time.Now()}
	c.mu.Unlock()
	return v, nil
}
