// Package api bootstraps an HTTP API function: configuration, logger,
// Firestore, the token verifier and the access resolver, built once on the
// first request and shared by its handlers.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/config"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/logging"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Config is what every API function reads from its environment.
type Config struct {
	ProjectID      string   `env:"GOOGLE_CLOUD_PROJECT,required"`
	VendorOrgID    string   `env:"VENDOR_ORG_ID" default:"support"`
	AllowedOrigins []string `env:"CORS_ALLOWED_ORIGINS"`
	LogLevel       string   `env:"LOG_LEVEL" default:"info"`
	PortalURL      string   `env:"PORTAL_URL" default:"http://127.0.0.1:8000"`
}

// Deps are an API function's dependencies.
type Deps struct {
	Config   Config
	Logger   *slog.Logger
	Store    *store.Store
	Verifier auth.Verifier
	Resolver *access.Resolver
	Clock    clock.Clock
}

// NewDeps builds the production dependencies from the environment.
func NewDeps(ctx context.Context) (*Deps, error) {
	var cfg Config
	if err := config.Load(&cfg, config.OSLookuper()); err != nil {
		return nil, err
	}
	logger := logging.New(os.Stdout, logging.ParseLevel(cfg.LogLevel))
	st, err := store.Open(ctx, cfg.ProjectID)
	if err != nil {
		return nil, err
	}
	verifier, err := auth.NewFirebaseVerifier(ctx, cfg.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("firebase auth: %w", err)
	}
	return Assemble(cfg, logger, st, verifier, clock.Real{}), nil
}

// Assemble builds Deps from parts (tests pass a store over the emulator and
// a fake clock).
func Assemble(cfg Config, logger *slog.Logger, st *store.Store, v auth.Verifier, clk clock.Clock) *Deps {
	return &Deps{
		Config:   cfg,
		Logger:   logger,
		Store:    st,
		Verifier: v,
		Resolver: &access.Resolver{Store: st, VendorOrgID: cfg.VendorOrgID, Clock: clk},
		Clock:    clk,
	}
}

// Wrap applies the shared middleware (logs, recovery, CORS, body limit).
func (d *Deps) Wrap(h http.Handler, bodyLimit int64) http.Handler {
	return httpapi.Wrap(h, httpapi.Options{
		Logger: d.Logger, ProjectID: d.Config.ProjectID,
		AllowedOrigins: d.Config.AllowedOrigins, BodyLimit: bodyLimit,
	})
}

// Handle adapts an error-returning handler, writing errors with apierror.
func (d *Deps) Handle(fn httpapi.HandlerFunc) http.Handler { return httpapi.Handle(d.Logger, fn) }

// Identity authenticates the request.
func (d *Deps) Identity(r *http.Request) (*auth.Identity, error) {
	return auth.Authenticate(r.Context(), d.Verifier, r)
}

// Actor authenticates the request and resolves the caller for orgID.
func (d *Deps) Actor(r *http.Request, orgID string) (*access.Actor, error) {
	id, err := d.Identity(r)
	if err != nil {
		return nil, err
	}
	return d.Resolver.Resolve(r.Context(), id, orgID)
}

// Lazy returns an entry point that builds the handler once, on the first
// request, safely under concurrency (sync.OnceValues); a failed build answers
// 503 (and is logged) on every request until the instance is replaced.
func Lazy(build func(ctx context.Context) (http.Handler, error)) http.HandlerFunc {
	get := sync.OnceValues(func() (http.Handler, error) { return build(context.Background()) })
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := get()
		if err != nil {
			apierror.Write(r.Context(), w, slog.Default(), apierror.Unavailable(err))
			return
		}
		h.ServeHTTP(w, r)
	}
}

// StoreError maps a data-layer error to the API error the caller gets: API
// errors pass through, a missing document is NOT_FOUND ("<what> not found"),
// a cancelled or timed-out request stays as it is (apierror maps it), and
// anything else is UNAVAILABLE (retryable).
func StoreError(err error, what string) error {
	var ae *apierror.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae
	case store.IsNotFound(err):
		return apierror.NotFound("%s not found", what)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return apierror.Unavailable(err)
}

// CaseFor resolves the caller for orgID, reads the case and checks action
// on it — the path every case-scoped request takes. Another tenant's case,
// or one the caller may not know about, is NOT_FOUND.
func (d *Deps) CaseFor(r *http.Request, orgID, caseID string, action access.Action) (*access.Actor, *store.Case, error) {
	a, err := d.Actor(r, orgID)
	if err != nil {
		return nil, nil, err
	}
	c, err := d.Store.Case(r.Context(), caseID)
	if err != nil {
		return nil, nil, StoreError(err, "case")
	}
	if err := a.CheckCase(action, access.RefOf(c)); err != nil {
		return nil, nil, err
	}
	return a, c, nil
}
