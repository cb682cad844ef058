// Package auth authenticates API callers from a Firebase ID token sent as
// "Authorization: Bearer <token>". The same identity system signs users in to
// the vendor's admin console, so one account works for both (SSO); enterprise
// SAML/OIDC providers federate through Firebase Auth / Identity Platform.
//
// Tokens are verified locally (RS256 against Google's published signing
// keys, cached as long as Google allows), so a request makes no call to the
// Auth backend. Whether the account was deleted, disabled or signed out
// everywhere is read from the Auth backend at most once per account per
// AccountStateTTL (see Config): that is the bound for those changes to take
// effect. Removing or disabling someone's membership through the users API
// is effective on the next request, because every request reads the
// membership. Nothing here links the Firebase Admin SDK (shared/authadmin
// has it, for account management) or a Cloud client library.
package auth

import (
	"context"
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Identity is a verified caller. Every field comes from what Google signed
// (the ID token); nothing here is user-editable.
type Identity struct {
	UID           string
	Email         string // lower-cased
	EmailVerified bool
	// There is no name: the token's "name" claim is editable by the account
	// holder, so it is not read. Names shown to others come from the
	// profile or membership display name.
	Provider string // sign-in provider, e.g. "password", "saml.acme"
}

// Verifier turns a bearer token into a verified identity.
type Verifier interface {
	Verify(ctx context.Context, token string) (*Identity, error)
}

// DeferringVerifier is a Verifier that can hand out a token's identity
// before the account state behind it is known: VerifyDeferred checks the
// token itself and returns, with the identity, pending — nil when nothing
// is left to check, else a function that waits for the account's state
// (looked up at the Auth backend when not cached) and returns the verdict
// Verify would. Whoever uses it must not act on the identity, or answer
// the request, before pending has returned nil; reads may run meanwhile.
// FirebaseVerifier is one.
type DeferringVerifier interface {
	Verifier
	VerifyDeferred(ctx context.Context, token string) (id *Identity, pending func() error, err error)
}

// BearerToken extracts the token from the Authorization header.
func BearerToken(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" {
		return "", apierror.Unauthenticated("sign in required: send an Authorization: Bearer <Firebase ID token> header")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", apierror.Unauthenticated("the Authorization header must be \"Bearer <Firebase ID token>\"")
	}
	return strings.TrimSpace(token), nil
}

// Authenticate verifies the request's bearer token.
func Authenticate(ctx context.Context, v Verifier, r *http.Request) (*Identity, error) {
	token, err := BearerToken(r)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, token)
}
