package auth

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/clock"
)

// Config configures a FirebaseVerifier. Only ProjectID is required.
type Config struct {
	// ProjectID is the Firebase project: the tokens' audience and issuer.
	ProjectID string
	// EmulatorHost is FIREBASE_AUTH_EMULATOR_HOST ("host:port"). When set,
	// the verifier takes the emulator's unsigned tokens (and only those) and
	// looks account state up at the emulator. Refused unless ProjectID
	// starts with "demo-".
	EmulatorHost string
	// AccountStateTTL bounds how stale the cached account state (deleted,
	// disabled, signed out everywhere) may be; DefaultAccountStateTTL if 0.
	AccountStateTTL time.Duration

	// HTTPClient, if set, makes every call (key fetches and account
	// lookups) as is; tests point it at fakes. By default keys are fetched
	// with a plain client and lookups carry Application Default Credentials
	// (the function's service account; it needs firebaseauth.users.get).
	HTTPClient *http.Client
	// KeysURL and IdentityToolkitURL replace GoogleKeysURL and
	// authadmin.BaseURL (tests).
	KeysURL, IdentityToolkitURL string
	// Clock is the time source for expiry and caching; clock.Real if nil.
	Clock clock.Clock
}

// FirebaseVerifier verifies Firebase ID tokens locally and refuses tokens
// of deleted or disabled accounts and revoked sign-ins, as of an account
// state at most AccountStateTTL old. It is safe for concurrent use.
type FirebaseVerifier struct {
	projectID string
	emulator  bool
	clock     clock.Clock
	keys      *keySet
	accounts  *accountCache
	admin     *authadmin.Client
}

// NewVerifier builds a verifier from cfg. It makes no network call; keys and
// account states are fetched on first use.
func NewVerifier(ctx context.Context, cfg Config) (*FirebaseVerifier, error) {
	if cfg.ProjectID == "" {
		return nil, errors.New("auth: a project id is required")
	}
	if cfg.EmulatorHost != "" && !IsDemoProject(cfg.ProjectID) {
		return nil, fmt.Errorf("auth: FIREBASE_AUTH_EMULATOR_HOST is set but project %q does not start with %q: "+
			"the emulator's tokens are unsigned, so they are only accepted in demo projects", cfg.ProjectID, demoPrefix)
	}
	clk := cfg.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	ttl := cfg.AccountStateTTL
	if ttl <= 0 {
		ttl = DefaultAccountStateTTL
	}
	keysURL := cfg.KeysURL
	if keysURL == "" {
		keysURL = GoogleKeysURL
	}
	keysClient := cfg.HTTPClient
	if keysClient == nil {
		keysClient = &http.Client{Timeout: fetchTimeout}
	}
	admin, err := authadmin.New(ctx, authadmin.Config{ProjectID: cfg.ProjectID, EmulatorHost: cfg.EmulatorHost,
		HTTPClient: cfg.HTTPClient, BaseURL: cfg.IdentityToolkitURL})
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return &FirebaseVerifier{
		projectID: cfg.ProjectID,
		emulator:  cfg.EmulatorHost != "",
		clock:     clk,
		keys:      &keySet{url: keysURL, client: keysClient, clock: clk},
		accounts:  &accountCache{lookup: lookupAccount(admin), ttl: ttl, clock: clk},
		admin:     admin,
	}, nil
}

// Prefetch readies what the first verification needs from the network, so
// that an instance's first request does not wait for it: Google's signing
// keys (not in emulator mode, whose tokens are unsigned) and the access
// token of the account lookups (production). Failures are left for the
// first request to meet again.
func (v *FirebaseVerifier) Prefetch(ctx context.Context) {
	if !v.emulator {
		// An unknown kid fetches the set; the answer itself is not needed.
		_, _ = v.keys.key(ctx, "")
	}
	v.admin.Prefetch()
}

// NewFirebaseVerifier builds a verifier for projectID, in emulator mode when
// FIREBASE_AUTH_EMULATOR_HOST is set.
func NewFirebaseVerifier(ctx context.Context, projectID string) (*FirebaseVerifier, error) {
	return NewVerifier(ctx, Config{ProjectID: projectID, EmulatorHost: os.Getenv("FIREBASE_AUTH_EMULATOR_HOST")})
}

// Verify checks the token's signature (RS256 against Google's keys; in
// emulator mode, that it is the emulator's unsigned kind), issuer,
// audience, expiry, issue and sign-in times and subject, then the account's
// state: deleted, disabled and revoked sign-ins are refused with 401. Only a
// failure to reach Google is a retryable 503.
func (v *FirebaseVerifier) Verify(ctx context.Context, raw string) (*Identity, error) {
	id, pending, err := v.VerifyDeferred(ctx, raw)
	if err != nil {
		return nil, err
	}
	if pending != nil {
		if err := pending(); err != nil {
			return nil, err
		}
	}
	return id, nil
}

// VerifyDeferred makes Verify's checks but does not wait for an account
// state it has to look up (the account's first request in
// AccountStateTTL): the lookup is started and pending waits for it and
// returns Verify's verdict on the state. pending is nil when the state was
// cached (and passed). Until pending has returned nil the identity must
// not be acted on; it is handed out early only so that reads on the
// caller's behalf can run beside the lookup (see DeferringVerifier).
func (v *FirebaseVerifier) VerifyDeferred(ctx context.Context, raw string) (id *Identity, pending func() error, err error) {
	t, err := decodeToken(raw)
	if err != nil {
		return nil, nil, invalid(err)
	}
	if err := v.checkSignature(ctx, t); err != nil {
		return nil, nil, err
	}
	c := &t.claims
	if err := c.check(v.projectID, v.clock.Now()); err != nil {
		if errors.Is(err, errExpired) {
			return nil, nil, apierror.Unauthenticated("the ID token has expired; sign in again").WithCause(err)
		}
		return nil, nil, invalid(err)
	}
	id = &Identity{
		UID:           c.Subject,
		Email:         strings.ToLower(c.Email),
		EmailVerified: c.EmailVerified,
		Provider:      c.Firebase.SignInProvider,
	}
	if st, ok := v.accounts.fresh(c.Subject); ok {
		if err := accountVerdict(st, nil, c.AuthTime); err != nil {
			return nil, nil, err
		}
		return id, nil, nil
	}
	done := make(chan struct{})
	var (
		st      accountState
		lookErr error
	)
	go func() {
		defer close(done)
		st, lookErr = v.accounts.get(ctx, c.Subject)
	}()
	authTime := c.AuthTime
	return id, sync.OnceValue(func() error {
		<-done
		return accountVerdict(st, lookErr, authTime)
	}), nil
}

// accountVerdict refuses a token of a deleted or disabled account, or one
// signed in before the account's sessions were revoked; a failed lookup is
// a retryable 503.
func accountVerdict(st accountState, err error, authTime int64) error {
	switch {
	case err != nil:
		return apierror.Unavailable(err)
	case !st.exists:
		return apierror.Unauthenticated("the account of this ID token no longer exists")
	case st.disabled:
		return apierror.Unauthenticated("this account is disabled")
	case authTime < st.validSince:
		return apierror.Unauthenticated("the sign-in was revoked; sign in again")
	}
	return nil
}

// checkSignature accepts RS256 with a published Google key, or, in
// emulator mode only, the emulator's unsigned tokens.
func (v *FirebaseVerifier) checkSignature(ctx context.Context, t *token) error {
	if v.emulator {
		if t.header.Alg != algNone || len(t.signature) != 0 {
			return invalid(fmt.Errorf("alg %q in emulator mode, want unsigned", t.header.Alg))
		}
		return nil
	}
	if t.header.Alg != algRS256 {
		return invalid(fmt.Errorf("alg %q, want %s", t.header.Alg, algRS256))
	}
	key, err := v.keys.key(ctx, t.header.Kid)
	switch {
	case errors.Is(err, errUnknownKey):
		return invalid(err)
	case err != nil:
		return apierror.Unavailable(err)
	}
	sum := sha256.Sum256([]byte(t.signed))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], t.signature); err != nil {
		return invalid(err)
	}
	return nil
}

// invalid is the one answer for a token that is not a valid ID token of
// this project; the cause is kept for logs, not shown.
func invalid(cause error) error {
	return apierror.Unauthenticated("the ID token is not valid").WithCause(cause)
}
