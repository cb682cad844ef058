// Package auth authenticates API callers from a Firebase ID token sent as
// "Authorization: Bearer <token>". The same identity system signs users in to
// the vendor's admin console, so one account works for both (SSO); enterprise
// SAML/OIDC providers federate through Firebase Auth / Identity Platform.
package auth

import (
	"context"
	"net/http"
	"strings"

	firebase "firebase.google.com/go/v4"
	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Identity is a verified caller.
type Identity struct {
	UID           string
	Email         string // lower-cased
	EmailVerified bool
	Name          string
	Provider      string // sign-in provider, e.g. "password", "saml.acme"
}

// Verifier turns a bearer token into a verified identity.
type Verifier interface {
	Verify(ctx context.Context, token string) (*Identity, error)
}

// FirebaseVerifier verifies Firebase ID tokens and refuses revoked tokens and
// disabled users (one Auth lookup per call, so a disable takes effect at once).
type FirebaseVerifier struct {
	client *fbauth.Client
}

// NewFirebaseVerifier builds a verifier for projectID. With
// FIREBASE_AUTH_EMULATOR_HOST set it talks to the Auth emulator.
func NewFirebaseVerifier(ctx context.Context, projectID string) (*FirebaseVerifier, error) {
	client, err := NewAdminClient(ctx, projectID)
	if err != nil {
		return nil, err
	}
	return &FirebaseVerifier{client: client}, nil
}

// NewAdminClient returns a Firebase Auth admin client for projectID.
func NewAdminClient(ctx context.Context, projectID string) (*fbauth.Client, error) {
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: projectID})
	if err != nil {
		return nil, err
	}
	return app.Auth(ctx)
}

// Verify checks the token's signature (skipped by the emulator), audience,
// expiry, revocation and the user's disabled flag.
func (v *FirebaseVerifier) Verify(ctx context.Context, token string) (*Identity, error) {
	tok, err := v.client.VerifyIDTokenAndCheckRevoked(ctx, token)
	switch {
	case err == nil:
	case fbauth.IsUserDisabled(err):
		return nil, apierror.Unauthenticated("this account is disabled")
	case fbauth.IsIDTokenRevoked(err):
		return nil, apierror.Unauthenticated("the sign-in was revoked; sign in again")
	case fbauth.IsIDTokenExpired(err):
		return nil, apierror.Unauthenticated("the ID token has expired; sign in again")
	case fbauth.IsIDTokenInvalid(err):
		return nil, apierror.Unauthenticated("the ID token is not valid")
	default:
		return nil, apierror.Unavailable(err)
	}
	id := &Identity{UID: tok.UID, Provider: tok.Firebase.SignInProvider}
	if s, ok := tok.Claims["email"].(string); ok {
		id.Email = strings.ToLower(s)
	}
	id.EmailVerified, _ = tok.Claims["email_verified"].(bool)
	id.Name, _ = tok.Claims["name"].(string)
	return id, nil
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
