package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

const (
	msgInvalid  = "the ID token is not valid"
	msgExpired  = "the ID token has expired; sign in again"
	msgDeleted  = "the account of this ID token no longer exists"
	msgDisabled = "this account is disabled"
	msgRevoked  = "the sign-in was revoked; sign in again"
)

// wantStatus checks that err is the API error status/message given.
func wantStatus(t *testing.T, err error, status int, msg string) {
	t.Helper()
	e := apierror.From(err)
	if err == nil || e.HTTPStatus != status || (msg != "" && e.Message != msg) {
		t.Fatalf("Verify error = %v (HTTP %d %q), want %d %q", err, e.HTTPStatus, e.Message, status, msg)
	}
}

func TestVerifyTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	keys := signingKeys(t)
	c := f.claims()
	now := f.now.Unix()
	skew := int64(ClockSkew / time.Second)
	valid := mint(t, rs256("k0"), c, keys[0])
	otherClaims := mint(t, rs256("k0"), with(c, map[string]any{"sub": "mallory"}), keys[0])
	tests := map[string]struct {
		token string
		want  string // "" = accepted
	}{
		"valid":                       {valid, ""},
		"signed with the second key":  {mint(t, rs256("k1"), c, keys[1]), ""},
		"expired within the skew":     {mint(t, rs256("k0"), with(c, map[string]any{"exp": now - skew + 1}), keys[0]), ""},
		"issued within the skew":      {mint(t, rs256("k0"), with(c, map[string]any{"iat": now + skew}), keys[0]), ""},
		"expired":                     {mint(t, rs256("k0"), with(c, map[string]any{"exp": now - skew - 1}), keys[0]), msgExpired},
		"issued in the future":        {mint(t, rs256("k0"), with(c, map[string]any{"iat": now + skew + 1}), keys[0]), msgInvalid},
		"signed in in the future":     {mint(t, rs256("k0"), with(c, map[string]any{"auth_time": now + skew + 1}), keys[0]), msgInvalid},
		"no auth_time":                {mint(t, rs256("k0"), with(c, map[string]any{"auth_time": nil}), keys[0]), msgInvalid},
		"no iat":                      {mint(t, rs256("k0"), with(c, map[string]any{"iat": nil}), keys[0]), msgInvalid},
		"no exp":                      {mint(t, rs256("k0"), with(c, map[string]any{"exp": nil}), keys[0]), msgInvalid},
		"other audience":              {mint(t, rs256("k0"), with(c, map[string]any{"aud": "other"}), keys[0]), msgInvalid},
		"audience list":               {mint(t, rs256("k0"), with(c, map[string]any{"aud": []string{testProject}}), keys[0]), msgInvalid},
		"other issuer":                {mint(t, rs256("k0"), with(c, map[string]any{"iss": "https://securetoken.google.com/other"}), keys[0]), msgInvalid},
		"no subject":                  {mint(t, rs256("k0"), with(c, map[string]any{"sub": ""}), keys[0]), msgInvalid},
		"subject over 128 characters": {mint(t, rs256("k0"), with(c, map[string]any{"sub": strings.Repeat("a", 129)}), keys[0]), msgInvalid},
		"string email_verified":       {mint(t, rs256("k0"), with(c, map[string]any{"email_verified": "true"}), keys[0]), msgInvalid},
		"signed by an unknown key":    {mint(t, rs256("k0"), c, keys[1]), msgInvalid},
		"unknown kid":                 {mint(t, rs256("k9"), c, keys[0]), msgInvalid},
		"signature of other claims":   {swapSignature(otherClaims, valid), msgInvalid},
		"unsigned (alg none)":         {mint(t, map[string]any{"alg": "none"}, c, nil), msgInvalid},
		"alg none with a signature":   {swapSignature(mint(t, map[string]any{"alg": "none", "kid": "k0"}, c, nil), valid), msgInvalid},
		"HS256":                       {mint(t, map[string]any{"alg": "HS256", "kid": "k0"}, c, nil) + "c2ln", msgInvalid},
		"empty":                       {"", msgInvalid},
		"not a JWT":                   {"not-a-jwt", msgInvalid},
		"four parts":                  {valid + ".x", msgInvalid},
		"padded base64":               {strings.Replace(valid, ".", "=.", 1), msgInvalid},
		"oversized":                   {strings.Repeat("a", maxTokenLen+1), msgInvalid},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id, err := f.v.Verify(context.Background(), tc.token)
			if tc.want != "" {
				wantStatus(t, err, 401, tc.want)
				return
			}
			if err != nil {
				t.Fatalf("valid token refused: %v", err)
			}
			want := Identity{UID: "alice", Email: "alice@acme.example", EmailVerified: true, Provider: "password"}
			if *id != want {
				t.Fatalf("identity = %+v, want %+v (the editable name claim must not be read)", *id, want)
			}
		})
	}
}

func TestVerifyAccountState(t *testing.T) {
	t.Parallel()
	keys := signingKeys(t)
	tests := map[string]struct {
		setup func(f *fixture)
		want  string
	}{
		"active":                      {func(f *fixture) {}, ""},
		"deleted":                     {func(f *fixture) { f.accounts.remove("alice") }, msgDeleted},
		"disabled":                    {func(f *fixture) { f.accounts.put("alice", true, 0) }, msgDisabled},
		"signed out after sign-in":    {func(f *fixture) { f.accounts.put("alice", false, f.now.Unix()) }, msgRevoked},
		"signed out at sign-in (sec)": {func(f *fixture) { f.accounts.put("alice", false, f.now.Add(-10*time.Minute).Unix()) }, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.setup(f)
			_, err := f.v.Verify(context.Background(), mint(t, rs256("k0"), f.claims(), keys[0]))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantStatus(t, err, 401, tc.want)
		})
	}
}

// TestAccountStateBound: account state is read once per AccountStateTTL,
// not per request, and a change takes effect once the TTL has passed.
func TestAccountStateBound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	tok := mint(t, rs256("k0"), f.claims(), signingKeys(t)[0])
	for range 100 {
		if _, err := f.v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.accounts.lookups.Load(); n != 1 {
		t.Fatalf("%d account lookups for 100 verifications, want 1", n)
	}
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("%d key fetches for 100 verifications, want 1", n)
	}
	f.accounts.put("alice", true, 0)
	f.clock.Advance(DefaultAccountStateTTL - time.Second)
	if _, err := f.v.Verify(ctx, tok); err != nil {
		t.Fatalf("within the bound the cached state is used, got %v", err)
	}
	f.clock.Advance(time.Second)
	_, err := f.v.Verify(ctx, tok)
	wantStatus(t, err, 401, msgDisabled)
	if n := f.accounts.lookups.Load(); n != 2 {
		t.Fatalf("%d account lookups, want 2", n)
	}
}

// TestConcurrentVerify: concurrent first requests share one key fetch and
// one account lookup.
func TestConcurrentVerify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := mint(t, rs256("k0"), f.claims(), signingKeys(t)[0])
	var wg sync.WaitGroup
	errs := make(chan error, 20*10)
	for range 20 {
		wg.Go(func() {
			for range 10 {
				if _, err := f.v.Verify(context.Background(), tok); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if k, a := f.keys.fetches.Load(), f.accounts.lookups.Load(); k != 1 || a != 1 {
		t.Fatalf("%d key fetches and %d account lookups for 200 concurrent verifications, want 1 and 1", k, a)
	}
}

// TestLookupFailure: an unreachable Auth backend is a retryable 503, and
// is asked again on the next request (failures are not cached).
func TestLookupFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := mint(t, rs256("k0"), f.claims(), signingKeys(t)[0])
	f.accounts.mu.Lock()
	f.accounts.down = true
	f.accounts.mu.Unlock()
	_, err := f.v.Verify(context.Background(), tok)
	wantStatus(t, err, 503, "")
	f.accounts.mu.Lock()
	f.accounts.down = false
	f.accounts.mu.Unlock()
	if _, err := f.v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	f.accounts.mu.Lock()
	defer f.accounts.mu.Unlock()
	if got, want := f.accounts.paths[0], "/v1/projects/"+testProject+"/accounts:lookup "; got != want {
		t.Fatalf("lookup %q, want %q (no emulator credential in production)", got, want)
	}
}

// TestSigningKeys: keys are cached for the server's max-age, a new kid
// triggers one refetch (rotation), and stale keys stay usable while the
// key server is down.
func TestSigningKeys(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	keys := signingKeys(t)
	verify := func(kid string, key int) error {
		_, err := f.v.Verify(ctx, mint(t, rs256(kid), with(f.claims(), map[string]any{"exp": f.clock.Now().Unix() + 3600}), keys[key]))
		return err
	}
	fetches := func(want int64) {
		t.Helper()
		if n := f.keys.fetches.Load(); n != want {
			t.Fatalf("%d key fetches, want %d", n, want)
		}
	}
	if err := verify("k0", 0); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(59 * time.Minute)
	if err := verify("k0", 0); err != nil {
		t.Fatal(err)
	}
	fetches(1)
	f.clock.Advance(time.Minute) // max-age 3600 s has passed
	if err := verify("k0", 0); err != nil {
		t.Fatal(err)
	}
	fetches(2)

	// Rotation: a kid missing from the cached set is fetched (once the last
	// fetch is keysRetryAfter old).
	f.keys.set(func(s *keyServer) { s.certs = map[string]string{"k2": certPEM(t, keys[1])} })
	f.clock.Advance(keysRetryAfter)
	if err := verify("k2", 1); err != nil {
		t.Fatalf("rotated key: %v", err)
	}
	fetches(3)
	// An unknown kid refetches at most once per keysRetryAfter.
	f.clock.Advance(keysRetryAfter)
	for range 5 {
		wantStatus(t, verify("k7", 1), 401, msgInvalid)
	}
	fetches(4)

	// Key server down: the keys it last published keep working.
	f.keys.set(func(s *keyServer) { s.down = true })
	f.clock.Advance(2 * time.Hour)
	if err := verify("k2", 1); err != nil {
		t.Fatalf("stale key while the key server is down: %v", err)
	}
	if err := verify("k2", 1); err != nil {
		t.Fatal(err)
	}
	fetches(5) // the failed fetch is not repeated for keysRetryAfter
}

// TestSigningKeysUnreachable: with no keys at all, an unreachable key
// server is a retryable 503, retried after keysRetryAfter.
func TestSigningKeysUnreachable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.keys.set(func(s *keyServer) { s.down = true })
	tok := mint(t, rs256("k0"), f.claims(), signingKeys(t)[0])
	for range 3 {
		_, err := f.v.Verify(context.Background(), tok)
		wantStatus(t, err, 503, "")
	}
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("%d key fetches, want 1", n)
	}
	f.keys.set(func(s *keyServer) { s.down = false })
	f.clock.Advance(keysRetryAfter)
	if _, err := f.v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
}

// TestEmulatorMode: unsigned tokens are taken only with an emulator host
// and a demo- project, and then signed ones are not.
func TestEmulatorMode(t *testing.T) {
	t.Parallel()
	if _, err := NewVerifier(context.Background(), Config{ProjectID: "prod-project", EmulatorHost: "127.0.0.1:9099"}); err == nil ||
		!strings.Contains(err.Error(), `does not start with "demo-"`) {
		t.Fatalf("emulator host with a production project: %v", err)
	}
	if _, err := NewVerifier(context.Background(), Config{}); err == nil {
		t.Fatal("no project id accepted")
	}

	f := newFixture(t)
	accounts := &accountServer{}
	const project = "demo-test"
	srv := newEmulatorServer(t, project, accounts)
	v, err := NewVerifier(context.Background(), Config{ProjectID: project, EmulatorHost: strings.TrimPrefix(srv, "http://"), Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	accounts.put("alice", false, 0)
	c := with(f.claims(), map[string]any{"iss": "https://securetoken.google.com/" + project, "aud": project})
	if _, err := v.Verify(context.Background(), mint(t, map[string]any{"alg": "none", "typ": "JWT"}, c, nil)); err != nil {
		t.Fatalf("emulator token refused: %v", err)
	}
	_, err = v.Verify(context.Background(), mint(t, rs256("k0"), c, signingKeys(t)[0]))
	wantStatus(t, err, 401, msgInvalid)
	accounts.mu.Lock()
	defer accounts.mu.Unlock()
	if got, want := accounts.paths[0], "/identitytoolkit.googleapis.com/v1/projects/"+project+"/accounts:lookup Bearer owner"; got != want {
		t.Fatalf("emulator lookup %q, want %q", got, want)
	}
}

func TestMaxAge(t *testing.T) {
	t.Parallel()
	tests := map[string]time.Duration{
		"public, max-age=19845, must-revalidate, no-transform": 19845 * time.Second,
		"max-age=60":     time.Minute,
		"MAX-AGE=10":     10 * time.Second,
		"":               defaultKeysMaxAge,
		"no-cache":       defaultKeysMaxAge,
		"max-age=-1":     defaultKeysMaxAge,
		"max-age=abc":    defaultKeysMaxAge,
		"max-age=999999": defaultKeysMaxAge,
	}
	for header, want := range tests {
		if got := maxAge(header); got != want {
			t.Errorf("maxAge(%q) = %v, want %v", header, got, want)
		}
	}
}

// TestErrorsKeepNoToken: causes are logged, so they must not carry the token.
func TestErrorsKeepNoToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := mint(t, rs256("k0"), with(f.claims(), map[string]any{"aud": "x"}), signingKeys(t)[0])
	_, err := f.v.Verify(context.Background(), tok)
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), tok[strings.LastIndex(tok, ".")+1:]) {
			t.Fatalf("error carries the token: %v", e)
		}
	}
}

// TestVerifyDeferred: the identity comes before the account state is
// known, with the lookup pending, and the pending verdict is Verify's; once
// the state is cached nothing is pending and a refusal comes at once.
func TestVerifyDeferred(t *testing.T) {
	t.Parallel()
	keys := signingKeys(t)
	tests := map[string]struct {
		setup func(f *fixture)
		want  string
	}{
		"active":   {func(f *fixture) {}, ""},
		"deleted":  {func(f *fixture) { f.accounts.remove("alice") }, msgDeleted},
		"disabled": {func(f *fixture) { f.accounts.put("alice", true, 0) }, msgDisabled},
		"revoked":  {func(f *fixture) { f.accounts.put("alice", false, f.now.Unix()) }, msgRevoked},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			tc.setup(f)
			tok := mint(t, rs256("k0"), f.claims(), keys[0])
			id, pending, err := f.v.VerifyDeferred(context.Background(), tok)
			if err != nil || id == nil || id.UID != "alice" || pending == nil {
				t.Fatalf("first verification: %+v, pending %v, %v; want alice with the lookup pending", id, pending != nil, err)
			}
			err = pending()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			} else {
				wantStatus(t, err, 401, tc.want)
			}
			// Cached now: nothing pending, the verdict at once.
			id, pending, err = f.v.VerifyDeferred(context.Background(), tok)
			if pending != nil {
				t.Fatal("pending with the account state cached")
			}
			if tc.want == "" {
				if err != nil || id == nil {
					t.Fatalf("cached: %+v, %v", id, err)
				}
			} else {
				wantStatus(t, err, 401, tc.want)
			}
			if n := f.accounts.lookups.Load(); n != 1 {
				t.Fatalf("%d account lookups, want 1", n)
			}
		})
	}
	// A token that does not verify is refused before any lookup.
	f := newFixture(t)
	if _, pending, err := f.v.VerifyDeferred(context.Background(), "not-a-jwt"); err == nil || pending != nil {
		t.Fatalf("bad token: pending %v, %v", pending != nil, err)
	}
	if n := f.accounts.lookups.Load(); n != 0 {
		t.Fatalf("%d account lookups for a bad token", n)
	}
}

// TestPrefetch: a prefetch fetches the signing keys once, and the first
// verification after it fetches nothing more.
func TestPrefetch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.v.Prefetch(context.Background())
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("%d key fetches after a prefetch, want 1", n)
	}
	if _, err := f.v.Verify(context.Background(), mint(t, rs256("k1"), f.claims(), signingKeys(t)[1])); err != nil {
		t.Fatal(err)
	}
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("%d key fetches after the first verification, want 1 (the prefetch's)", n)
	}
}
