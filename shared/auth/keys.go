package auth

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/supportcenter/supportcenter/shared/clock"
)

// GoogleKeysURL publishes the X.509 certificates whose keys sign Firebase ID
// tokens, keyed by "kid", with a Cache-Control max-age telling how long they
// may be cached.
const GoogleKeysURL = "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"

const (
	// defaultKeysMaxAge applies when the key server sends no max-age.
	defaultKeysMaxAge = 5 * time.Minute
	// keysRetryAfter limits refetches: after a failed fetch (stale keys are
	// kept meanwhile), and for tokens naming a kid the last fetch lacked.
	keysRetryAfter = 30 * time.Second
	// fetchTimeout bounds one key fetch or account lookup.
	fetchTimeout = 10 * time.Second
	// maxResponseBytes bounds what is read from the key server or the
	// Identity Toolkit.
	maxResponseBytes = 1 << 20
)

// errUnknownKey means the token names a key Google does not publish.
var errUnknownKey = errors.New("unknown signing key")

// keySet caches Google's token-signing public keys. Readers take the read
// lock only; one fetch at a time refreshes the set.
type keySet struct {
	url    string
	client *http.Client
	clock  clock.Clock

	mu      sync.RWMutex
	keys    map[string]*rsa.PublicKey
	expires time.Time // keys are fresh until then
	fetched time.Time // last fetch attempt
	err     error     // its error, if it failed

	fetch singleflight.Group
}

// key returns the public key named kid, fetching the set when the cached
// one is stale or lacks kid (at most once per keysRetryAfter in that case).
func (k *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	now := k.clock.Now()
	k.mu.RLock()
	key, ok := k.keys[kid]
	fresh := now.Before(k.expires)
	seen := k.fetched
	recent := now.Sub(seen) < keysRetryAfter
	lastErr := k.err
	k.mu.RUnlock()
	switch {
	case ok && fresh:
		return key, nil
	case !ok && fresh && recent:
		return nil, errUnknownKey
	case !fresh && recent && lastErr != nil:
		// No keys at all and the last fetch just failed: do not hammer
		// the key server from every request.
		return nil, lastErr
	}
	_, err, _ := k.fetch.Do("", func() (any, error) {
		if fetched, err := k.last(); !fetched.Equal(seen) {
			return nil, err // another caller fetched since we looked
		}
		return nil, k.refresh(ctx)
	})
	k.mu.RLock()
	key, ok = k.keys[kid]
	k.mu.RUnlock()
	switch {
	case ok:
		// Possibly a stale key when the fetch failed: a key Google published
		// stays trustworthy while its server is briefly unreachable.
		return key, nil
	case err != nil:
		return nil, err
	}
	return nil, errUnknownKey
}

// last is the time and error of the last fetch attempt.
func (k *keySet) last() (time.Time, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.fetched, k.err
}

// refresh fetches the key set. On failure the old keys stay in use and the
// next attempt waits keysRetryAfter.
func (k *keySet) refresh(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
	defer cancel()
	keys, maxAge, err := fetchKeys(ctx, k.client, k.url)
	now := k.clock.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.fetched = now
	if err != nil {
		k.err = fmt.Errorf("fetch token signing keys: %w", err)
		if len(k.keys) > 0 {
			k.expires = now.Add(keysRetryAfter)
		}
		return k.err
	}
	k.keys, k.expires, k.err = keys, now.Add(maxAge), nil
	return nil
}

// fetchKeys downloads and parses the certificates at url.
func fetchKeys(ctx context.Context, client *http.Client, url string) (map[string]*rsa.PublicKey, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("%s answered %s", url, resp.Status)
	}
	keys, err := parseKeys(body)
	if err != nil {
		return nil, 0, err
	}
	return keys, maxAge(resp.Header.Get("Cache-Control")), nil
}

// parseKeys reads {"kid": "-----BEGIN CERTIFICATE-----...", ...}.
func parseKeys(body []byte) (map[string]*rsa.PublicKey, error) {
	var certs map[string]string
	if err := json.Unmarshal(body, &certs); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	keys := make(map[string]*rsa.PublicKey, len(certs))
	for kid, p := range certs {
		block, _ := pem.Decode([]byte(p))
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("key %q: not a PEM certificate", kid)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", kid, err)
		}
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("key %q: not an RSA key", kid)
		}
		keys[kid] = pub
	}
	if len(keys) == 0 {
		return nil, errors.New("key set is empty")
	}
	return keys, nil
}

// maxAge reads max-age from a Cache-Control header, defaulting to
// defaultKeysMaxAge when it is absent or unusable.
func maxAge(cacheControl string) time.Duration {
	for d := range strings.SplitSeq(cacheControl, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
		if !strings.EqualFold(name, "max-age") {
			continue
		}
		if s, err := strconv.ParseInt(value, 10, 64); err == nil && s > 0 && s < 7*24*3600 {
			return time.Duration(s) * time.Second
		}
	}
	return defaultKeysMaxAge
}
