// Package sso is the "sso" HTTP function (see infra/functions.yaml): single
// sign-on per customer organisation — its identity provider (OIDC or SAML,
// registered in Identity Platform) with the policy "SSO required for our
// domains", and the public question a sign-in page asks first: which
// provider does this address use?
//
// Routes (JSON camelCase):
//
//	GET   /v2/organizations/{org}/ssoConfig   support staff; the customer's org admins
//	PATCH /v2/organizations/{org}/ssoConfig   support admins (updateMask: displayName, ssoRequired, oidc, saml)
//	GET   /v2/signInOptions?email=            anyone, signed in or not; rate-limited per client address
//
// Who may configure: support admins only. Customer org admins read their
// organisation's settings (the entity id and callback URL their SAML
// provider must be given) but do not change them: the identity provider
// decides who may sign in as anyone at the organisation's domains — its
// admins included — and a broken provider with SSO required would lock
// everyone out, with only the vendor able to undo it.
//
// The configuration lives on the organisation document (store.SSOConfig),
// which every request for the organisation reads already, so the policy
// (package access, "Single sign-on") costs no extra read. A change
// registers the provider in Identity Platform first (shared/authadmin) and
// then commits the organisation together with its audit entry; removing
// one commits first and deletes the registration after. Either way a
// registration our data does not name grants nothing: access trusts a
// provider only when the organisation names it. On the Auth emulator,
// which has no provider-configuration API (it answers 501), the
// configuration is stored with registered=false; the emulator signs in
// with any "oidc."/"saml." provider id, so everything else works as in
// production.
//
// GET /v2/signInOptions answers the same shape for every address:
// {"providers":[…]}, the organisation's provider first, then PASSWORD
// unless SSO is required. A domain no organisation owns, or one without
// SSO, gets [{"type":"PASSWORD"}] — the same bytes — so the answer tells
// nothing beyond which provider a domain uses, which its sign-in page
// shows anyway.
//
// Costs (Firestore reads R / writes W; "resolve" is access.Resolver.Resolve,
// 4 reads in one batch: organisation, own and vendor membership, catalogue
// version):
//
//	ssoConfig.get      resolve; W 0
//	ssoConfig.update   resolve + 1 (transaction); W 2 (organisation, audit entry), 0 when nothing changes
//	signInOptions.get  1 (rate-limit counter) + 1 (organisation by domain); W 1 (counter); refused: R 1, W 0
package sso

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/runtime"
)

func init() { functions.HTTP("sso", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("sso", Build)

// Config is the function's own environment.
type Config struct {
	// AuthDomain is the Firebase Auth domain, where SAML assertions are
	// posted ("https://<it>/__/auth/handler"): the portal's host in a
	// deployment (the portal serves that path itself and completes the
	// sign-in); "<project>.firebaseapp.com" if unset.
	AuthDomain string `env:"FIREBASE_AUTH_DOMAIN"`
	// AuthEmulatorHost, set by the local stack, sends provider
	// registrations to the Auth emulator (which refuses them, see above).
	AuthEmulatorHost string `env:"FIREBASE_AUTH_EMULATOR_HOST"`
}

// Providers registers identity providers (authadmin.Client in production).
type Providers interface {
	PutOIDCProvider(ctx context.Context, id string, p authadmin.OIDCProvider) error
	PutSAMLProvider(ctx context.Context, id string, p authadmin.SAMLProvider) error
	DeleteProvider(ctx context.Context, id string) error
}

// Build returns the function's HTTP handler over the runtime's dependencies.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	admin, err := authadmin.New(ctx, authadmin.Config{ProjectID: deps.Config.ProjectID, EmulatorHost: cfg.AuthEmulatorHost})
	if err != nil {
		return nil, fmt.Errorf("sso: %w", err)
	}
	authDomain := cfg.AuthDomain
	if authDomain == "" {
		authDomain = deps.Config.ProjectID + ".firebaseapp.com"
	}
	return New(deps, admin, authDomain, cfg.AuthEmulatorHost != "").Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps       *runtime.Deps
	providers  Providers
	authDomain string
	// emulator: provider registration may be unimplemented (the Auth
	// emulator); anywhere else that is an error.
	emulator bool
}

// New returns a Handler.
func New(deps *runtime.Deps, providers Providers, authDomain string, emulator bool) *Handler {
	return &Handler{deps: deps, providers: providers, authDomain: strings.TrimSuffix(authDomain, "/"), emulator: emulator}
}

// Routes returns the function's HTTP handler: the public route without
// authentication, every other path behind it (401 before any path check).
func (h *Handler) Routes() http.Handler {
	d := h.deps
	private := http.NewServeMux()
	private.Handle("/v2/organizations/{org}/ssoConfig", httpapi.Methods{"GET": d.Handle(h.get), "PATCH": d.Handle(h.patch)})
	private.Handle("/", httpapi.NotFoundHandler())
	mux := http.NewServeMux()
	mux.Handle("/v2/signInOptions", d.WrapPublic(httpapi.Methods{"GET": d.Handle(h.signInOptions)}, 0))
	mux.Handle("/", d.Wrap(private, 0))
	return mux
}
