package runtime

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// HTTP returns the entry point of an HTTP function: on the first request it
// bootstraps (configuration, logger, store, clock, access, token verifier)
// and calls build, once; a failed start answers 503 (and is logged) on every
// request until the instance is replaced.
func HTTP[C any, H http.Handler](name string, build func(ctx context.Context, d *Deps, cfg C) (H, error)) http.HandlerFunc {
	get := sync.OnceValues(func() (http.Handler, error) {
		ctx := context.Background()
		d, cfg, err := bootstrap[C](ctx, true)
		if err != nil {
			return nil, errStart(name, err)
		}
		h, err := build(ctx, d, cfg)
		if err != nil {
			return nil, errStart(name, err)
		}
		return h, nil
	})
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := get()
		if err != nil {
			apierror.Write(r.Context(), w, slog.Default(), apierror.Unavailable(err))
			return
		}
		h.ServeHTTP(w, r)
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

// CaseFor resolves the caller for orgID, reads the case and checks action
// on it — the path every case-scoped request takes. Another tenant's case,
// or one the caller may not know about, is NOT_FOUND.
func (d *Deps) CaseFor(r *http.Request, orgID, caseID string, action access.Action) (*access.Actor, *store.Case, error) {
	id, err := d.Identity(r)
	if err != nil {
		return nil, nil, err
	}
	// The case read needs only the id, so it runs beside the access
	// resolution (same reads, one round trip less). Only a verified caller
	// gets this far, and the resolution's verdict is checked first, so a
	// refused caller still learns nothing about the case.
	var (
		a       *access.Actor
		c       *store.Case
		caseErr error
		wg      sync.WaitGroup
	)
	wg.Go(func() { c, caseErr = d.Store.Case(r.Context(), caseID) })
	a, err = d.Resolver.Resolve(r.Context(), id, orgID)
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if caseErr != nil {
		return nil, nil, apierror.Describe(caseErr, "case")
	}
	if err := a.CheckCase(action, access.RefOf(c)); err != nil {
		return nil, nil, err
	}
	return a, c, nil
}
