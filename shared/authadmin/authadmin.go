// Package authadmin reads and manages Firebase Auth accounts through the
// Identity Toolkit REST API (Firebase Auth's backend): look an account up
// by uid or e-mail, create one, take one back (Reset), and generate password-set and e-mail
// verification links. It also registers organisations' identity providers
// (OIDC and SAML provider configurations, providers.go). It is the one client of that API: shared/auth looks
// account state up with it, provisioning manages accounts with it.
//
// It replaces the Firebase Admin SDK, whose Auth client can only be built
// through the SDK's root package, which links Cloud Storage, gRPC xDS and
// envoy into every binary that uses it (about 25 MB).
package authadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// BaseURL is the production Identity Toolkit API.
const BaseURL = "https://identitytoolkit.googleapis.com"

const (
	// callTimeout bounds one call (the client's own timeout).
	callTimeout = 10 * time.Second
	// maxResponseBytes bounds what is read from one answer.
	maxResponseBytes = 1 << 20
)

// Errors, matched with errors.Is.
var (
	// ErrNotFound: no account has the uid or e-mail address.
	ErrNotFound = errors.New("authadmin: no such account")
	// ErrEmailExists: another account has the address.
	ErrEmailExists = errors.New("authadmin: an account with this e-mail address exists")
	// ErrInvalidArgument: the backend refused the request's values (for
	// example an invalid e-mail address); retrying does not help.
	ErrInvalidArgument = errors.New("authadmin: invalid argument")
)

// Config configures a Client. Only ProjectID is required.
type Config struct {
	ProjectID string
	// EmulatorHost is FIREBASE_AUTH_EMULATOR_HOST ("host:port"): calls go
	// to the Auth emulator with its admin credential. The caller (the
	// runtime) refuses emulator hosts outside demo- projects.
	EmulatorHost string
	// HTTPClient, if set, makes every call as is (tests). By default calls
	// carry Application Default Credentials (the function's service account).
	HTTPClient *http.Client
	// BaseURL replaces BaseURL (tests).
	BaseURL string
}

// Client calls the Identity Toolkit API for one project. It is safe for
// concurrent use.
type Client struct {
	projectURL string // ".../v1/projects/<project>"
	adminURL   string // ".../v2/projects/<project>" (provider configurations)
	http       *http.Client
	emulator   bool
	// tokens are the default credentials' access tokens (production, no
	// HTTPClient given); nil otherwise.
	tokens oauth2.TokenSource
}

// New builds a Client. It makes no network call.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.ProjectID == "" {
		return nil, errors.New("authadmin: a project id is required")
	}
	base := cfg.BaseURL
	if base == "" {
		base = BaseURL
		if cfg.EmulatorHost != "" {
			base = "http://" + cfg.EmulatorHost + "/identitytoolkit.googleapis.com"
		}
	}
	client := cfg.HTTPClient
	var tokens oauth2.TokenSource
	if client == nil {
		client = &http.Client{Timeout: callTimeout}
		if cfg.EmulatorHost == "" {
			// The token source outlives ctx (often the first request's).
			ts, err := google.DefaultTokenSource(context.WithoutCancel(ctx), "https://www.googleapis.com/auth/cloud-platform")
			if err != nil {
				return nil, fmt.Errorf("authadmin: credentials: %w", err)
			}
			tokens = ts
			client = &http.Client{Timeout: callTimeout, Transport: &oauth2.Transport{Source: ts}}
		}
	}
	return &Client{
		projectURL: strings.TrimRight(base, "/") + "/v1/projects/" + url.PathEscape(cfg.ProjectID),
		adminURL:   strings.TrimRight(base, "/") + "/v2/projects/" + url.PathEscape(cfg.ProjectID),
		http:       client,
		emulator:   cfg.EmulatorHost != "",
		tokens:     tokens,
	}, nil
}

// Prefetch gets an access token now (production: from the metadata
// server), so that the first call does not wait for it. It does nothing
// on the emulator or with a caller's HTTPClient; a failure is left for the
// first call to meet again.
func (c *Client) Prefetch() {
	if c.tokens != nil {
		_, _ = c.tokens.Token()
	}
}

// NewFromEnv builds a Client for projectID, on the Auth emulator when
// FIREBASE_AUTH_EMULATOR_HOST is set.
func NewFromEnv(ctx context.Context, projectID string) (*Client, error) {
	return New(ctx, Config{ProjectID: projectID, EmulatorHost: os.Getenv("FIREBASE_AUTH_EMULATOR_HOST")})
}

// Account is what provisioning and token verification need of an account.
type Account struct {
	UID           string
	Email         string
	EmailVerified bool
	Disabled      bool
	// Providers are the account's sign-in providers ("password",
	// "google.com", …); none for an account created without a password.
	Providers []string
	// ValidSince: sign-ins before it were revoked (signed out everywhere,
	// password change). Second resolution; zero if never set.
	ValidSince time.Time
}

// AccountByUID looks uid up; ErrNotFound if there is no such account.
func (c *Client) AccountByUID(ctx context.Context, uid string) (*Account, error) {
	return c.lookup(ctx, map[string][]string{"localId": {uid}})
}

// AccountByEmail looks the address up; ErrNotFound if no account has it.
func (c *Client) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	return c.lookup(ctx, map[string][]string{"email": {email}})
}

func (c *Client) lookup(ctx context.Context, req map[string][]string) (*Account, error) {
	var out lookupResponse
	if err := c.call(ctx, "accounts:lookup", req, &out); err != nil {
		return nil, err
	}
	if len(out.Users) == 0 {
		return nil, ErrNotFound
	}
	return out.Users[0].account()
}

// lookupResponse is an accounts:lookup answer.
type lookupResponse struct {
	Users []lookupUser `json:"users"`
}

type lookupUser struct {
	LocalID          string      `json:"localId"`
	Email            string      `json:"email"`
	EmailVerified    bool        `json:"emailVerified"`
	Disabled         bool        `json:"disabled"`
	ValidSince       json.Number `json:"validSince"` // int64 seconds, as a string
	ProviderUserInfo []struct {
		ProviderID string `json:"providerId"`
	} `json:"providerUserInfo"`
}

func (u *lookupUser) account() (*Account, error) {
	a := &Account{UID: u.LocalID, Email: u.Email, EmailVerified: u.EmailVerified, Disabled: u.Disabled}
	if u.ValidSince != "" {
		s, err := u.ValidSince.Int64()
		if err != nil {
			return nil, fmt.Errorf("authadmin: validSince %q: %w", u.ValidSince, err)
		}
		a.ValidSince = time.Unix(s, 0).UTC()
	}
	for _, p := range u.ProviderUserInfo {
		a.Providers = append(a.Providers, p.ProviderID)
	}
	return a, nil
}

// CreateAccount creates an account for email with no password and the
// address not verified. ErrEmailExists if the address is taken.
func (c *Client) CreateAccount(ctx context.Context, email, displayName string) (*Account, error) {
	req := map[string]any{"email": email, "emailVerified": false}
	if displayName != "" {
		req["displayName"] = displayName
	}
	var out struct {
		LocalID string `json:"localId"`
	}
	if err := c.call(ctx, "accounts", req, &out); err != nil {
		return nil, err
	}
	if out.LocalID == "" {
		return nil, errors.New("authadmin: accounts answered without a uid")
	}
	return &Account{UID: out.LocalID, Email: email}, nil
}

// Reset takes back an account that was not created by us: it removes
// the password, the display name and photo, unlinks every provider in
// providers other than "password" (whose sign-in the password removal
// ends), marks the address not verified, and revokes every session
// (validSince now: production refuses the account's refresh tokens and
// the ID tokens signed in before). The uid and address stay, so the
// owner of the address can set a password with a password-set link.
// ErrNotFound if there is no such account.
func (c *Client) Reset(ctx context.Context, uid string, providers []string, now time.Time) error {
	req := map[string]any{
		"localId":         uid,
		"deleteAttribute": []string{"PASSWORD", "DISPLAY_NAME", "PHOTO_URL"},
		"emailVerified":   false,
		"validSince":      strconv.FormatInt(now.Unix(), 10),
	}
	var unlink []string
	for _, p := range providers {
		// Unlinking "password" would also clear the address (the
		// password provider carries it); the PASSWORD attribute goes
		// instead.
		if p != "password" {
			unlink = append(unlink, p)
		}
	}
	if len(unlink) > 0 {
		req["deleteProvider"] = unlink
	}
	var out struct {
		LocalID string `json:"localId"`
	}
	return c.call(ctx, "accounts:update", req, &out)
}

// PasswordResetLink returns a one-time link with which the owner of email
// sets a password, continuing to continueURL.
func (c *Client) PasswordResetLink(ctx context.Context, email, continueURL string) (string, error) {
	return c.oobLink(ctx, "PASSWORD_RESET", email, continueURL)
}

// EmailVerificationLink returns a one-time link that verifies email,
// continuing to continueURL.
func (c *Client) EmailVerificationLink(ctx context.Context, email, continueURL string) (string, error) {
	return c.oobLink(ctx, "VERIFY_EMAIL", email, continueURL)
}

func (c *Client) oobLink(ctx context.Context, kind, email, continueURL string) (string, error) {
	req := map[string]any{"requestType": kind, "email": email, "returnOobLink": true}
	if continueURL != "" {
		req["continueUrl"] = continueURL
	}
	var out struct {
		OOBLink string `json:"oobLink"`
	}
	if err := c.call(ctx, "accounts:sendOobCode", req, &out); err != nil {
		return "", err
	}
	if out.OOBLink == "" {
		return "", errors.New("authadmin: accounts:sendOobCode answered without a link")
	}
	return out.OOBLink, nil
}

// call POSTs req as JSON to method of the project and decodes the answer
// into out.
func (c *Client) call(ctx context.Context, method string, req, out any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.projectURL+"/"+method, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", "application/json")
	if c.emulator {
		r.Header.Set("Authorization", "Bearer owner") // the emulator's admin credential
	}
	resp, err := c.http.Do(r)
	if err != nil {
		return fmt.Errorf("authadmin: %s: %w", method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("authadmin: %s: %w", method, err)
	}
	if resp.StatusCode != http.StatusOK {
		return apiError(method, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("authadmin: %s answer: %w", method, err)
	}
	return nil
}

// Error is a refusal by the Identity Toolkit API.
type Error struct {
	Method     string
	HTTPStatus int
	// Code is the API's error code, e.g. "EMAIL_EXISTS", "INVALID_EMAIL".
	Code string
}

func (e *Error) Error() string {
	return fmt.Sprintf("authadmin: %s answered %d %s", e.Method, e.HTTPStatus, e.Code)
}

// Is matches ErrNotFound, ErrEmailExists, ErrInvalidArgument and
// ErrUnimplemented.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnimplemented:
		return e.HTTPStatus == http.StatusNotImplemented
	case ErrNotFound:
		return e.Code == "USER_NOT_FOUND" || e.Code == "EMAIL_NOT_FOUND" || e.Code == "CONFIGURATION_NOT_FOUND"
	case ErrEmailExists:
		return e.Code == "EMAIL_EXISTS" || e.Code == "DUPLICATE_EMAIL"
	case ErrInvalidArgument:
		return e.HTTPStatus == http.StatusBadRequest && !errors.Is(e, ErrNotFound) && !errors.Is(e, ErrEmailExists)
	}
	return false
}

// apiError decodes {"error":{"code":400,"message":"EMAIL_EXISTS : detail"}}.
func apiError(method string, status int, body []byte) error {
	var out struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &out)
	code, _, _ := strings.Cut(out.Error.Message, " ")
	return &Error{Method: method, HTTPStatus: status, Code: code}
}
