package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/supportcenter/supportcenter/shared/clock"
)

// IdentityToolkitURL is the Identity Toolkit REST API (Firebase Auth's
// backend), where account state is looked up.
const IdentityToolkitURL = "https://identitytoolkit.googleapis.com"

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

// accountLookup reads account state from the Identity Toolkit
// (accounts:lookup) of a project.
type accountLookup struct {
	url      string // ".../v1/projects/<project>/accounts:lookup"
	client   *http.Client
	emulator bool // send the emulator's admin credential ("Bearer owner")
}

// lookup returns the state of uid; a uid the backend does not know is
// exists == false, not an error.
func (l *accountLookup) lookup(ctx context.Context, uid string) (accountState, error) {
	body, err := json.Marshal(map[string][]string{"localId": {uid}})
	if err != nil {
		return accountState{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url, bytes.NewReader(body))
	if err != nil {
		return accountState{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if l.emulator {
		req.Header.Set("Authorization", "Bearer owner")
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return accountState{}, fmt.Errorf("accounts:lookup: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return accountState{}, fmt.Errorf("accounts:lookup: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusBadRequest && strings.Contains(string(b), "USER_NOT_FOUND") {
			return accountState{}, nil
		}
		return accountState{}, fmt.Errorf("accounts:lookup answered %s", resp.Status)
	}
	return parseLookup(b, uid)
}

// parseLookup reads an accounts:lookup response for uid.
func parseLookup(b []byte, uid string) (accountState, error) {
	var out struct {
		Users []struct {
			LocalID    string      `json:"localId"`
			Disabled   bool        `json:"disabled"`
			ValidSince json.Number `json:"validSince"` // int64 as a string
		} `json:"users"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return accountState{}, fmt.Errorf("accounts:lookup response: %w", err)
	}
	for _, u := range out.Users {
		if u.LocalID != uid {
			continue
		}
		st := accountState{exists: true, disabled: u.Disabled}
		if u.ValidSince != "" {
			v, err := u.ValidSince.Int64()
			if err != nil {
				return accountState{}, fmt.Errorf("accounts:lookup validSince: %w", err)
			}
			st.validSince = v
		}
		return st, nil
	}
	return accountState{}, nil
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
	now := c.clock.Now()
	c.mu.Lock()
	st, ok := c.byUID[uid]
	c.mu.Unlock()
	if ok && now.Sub(st.read) < c.ttl && !st.read.After(now) {
		return st, nil
	}
	v, err, _ := c.group.Do(uid, func() (any, error) {
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
