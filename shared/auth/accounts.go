package auth

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/clock"
)

const (
	// DefaultAccountStateTTL is how long a looked-up account state is used
	// before it is read again: the bound after which deleting, disabling or
	// signing out an account everywhere takes effect.
	DefaultAccountStateTTL = 60 * time.Second
	// maxCachedAccounts bounds the account-state cache of one instance.
	maxCachedAccounts = 10000
)

// accountState is what the Auth backend says about a uid.
type accountState struct {
	exists   bool
	disabled bool
	// validSince (Unix seconds): sign-ins before it were revoked ("signed
	// out everywhere", a password change).
	validSince int64
	read       time.Time
}

// lookupAccount reads uid's state through the Identity Toolkit.
func lookupAccount(admin *authadmin.Client) func(ctx context.Context, uid string) (accountState, error) {
	return func(ctx context.Context, uid string) (accountState, error) {
		a, err := admin.AccountByUID(ctx, uid)
		switch {
		case errors.Is(err, authadmin.ErrNotFound):
			return accountState{}, nil
		case err != nil:
			return accountState{}, err
		}
		st := accountState{exists: true, disabled: a.Disabled}
		if !a.ValidSince.IsZero() {
			st.validSince = a.ValidSince.Unix()
		}
		return st, nil
	}
}

// accountCache keeps account states for ttl, so that one account's
// requests cost one lookup per ttl, and concurrent misses share it.
type accountCache struct {
	lookup func(ctx context.Context, uid string) (accountState, error)
	ttl    time.Duration
	clock  clock.Clock

	mu    sync.Mutex
	byUID map[string]accountState

	group singleflight.Group
}

// get returns uid's state, no older than ttl.
func (c *accountCache) get(ctx context.Context, uid string) (accountState, error) {
	if st, ok := c.fresh(uid); ok {
		return st, nil
	}
	v, err, _ := c.group.Do(uid, func() (any, error) {
		// Another caller may have stored it since our miss.
		if st, ok := c.fresh(uid); ok {
			return st, nil
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		// The state is stamped with the time the lookup started, so the
		// bound holds even when the lookup is slow.
		started := c.clock.Now()
		st, err := c.lookup(ctx, uid)
		if err != nil {
			return accountState{}, err
		}
		st.read = started
		c.put(uid, st)
		return st, nil
	})
	if err != nil {
		return accountState{}, err
	}
	return v.(accountState), nil
}

// fresh returns uid's cached state if it is younger than ttl.
func (c *accountCache) fresh(uid string) (accountState, bool) {
	now := c.clock.Now()
	c.mu.Lock()
	st, ok := c.byUID[uid]
	c.mu.Unlock()
	return st, ok && now.Sub(st.read) < c.ttl && !st.read.After(now)
}

// put stores st, first dropping expired entries (or, if none are, an
// arbitrary one) when the cache is full.
func (c *accountCache) put(uid string, st accountState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byUID == nil {
		c.byUID = make(map[string]accountState)
	}
	if _, ok := c.byUID[uid]; !ok && len(c.byUID) >= maxCachedAccounts {
		for k, old := range c.byUID {
			if st.read.Sub(old.read) >= c.ttl {
				delete(c.byUID, k)
			}
		}
		for k := range c.byUID {
			if len(c.byUID) < maxCachedAccounts {
				break
			}
			delete(c.byUID, k)
		}
	}
	c.byUID[uid] = st
}
