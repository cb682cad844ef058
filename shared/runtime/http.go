package runtime

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// HTTP returns the entry point of an HTTP function: it bootstraps
// (configuration, logger, store, clock, access, token verifier) and calls
// build, once — at start in a process that serves this function (see
// startEarly), else on the first request; a failed start answers 503 (and
// is logged) on every request until the instance is replaced.
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
	startEarly(name, get)
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := get()
		if err != nil {
			apierror.Write(r.Context(), w, slog.Default(), apierror.Unavailable(err))
			return
		}
		h.ServeHTTP(w, r)
	}
}

// Wrap applies the shared middleware (logs, recovery, CORS, body limit)
// and authenticates every request before h routes it: an anonymous caller,
// or one with a token that does not verify, gets 401 UNAUTHENTICATED on
// every path, before any path or id validation could answer 404 or 400
// (and so tell an outsider which paths and id shapes exist). The identity
// rides in the request's context for Identity and Actor.
func (d *Deps) Wrap(h http.Handler, bodyLimit int64) http.Handler {
	return httpapi.Wrap(d.authenticated(h), httpapi.Options{
		Logger: d.Logger, ProjectID: d.Config.ProjectID,
		AllowedOrigins: d.Config.AllowedOrigins, BodyLimit: bodyLimit,
	})
}

// WrapPublic applies the shared middleware of Wrap without
// authentication, for the manifest's public_routes only: routes that serve
// anonymous callers by design (a signed one-click unsubscribe link carries
// its own credential; GET /v2/signInOptions is asked before anyone signs
// in). Such a route tells an outsider nothing it may not know.
func (d *Deps) WrapPublic(h http.Handler, bodyLimit int64) http.Handler {
	return httpapi.Wrap(h, httpapi.Options{
		Logger: d.Logger, ProjectID: d.Config.ProjectID,
		AllowedOrigins: d.Config.AllowedOrigins, BodyLimit: bodyLimit,
	})
}

// Handle adapts an error-returning handler, writing errors with apierror.
func (d *Deps) Handle(fn httpapi.HandlerFunc) http.Handler { return httpapi.Handle(d.Logger, fn) }

// identityKey keys the authenticated identity in a request's context.
type identityKey struct{}

// authenticated answers 401 to a request that does not authenticate, and
// passes the others on with their identity.
func (d *Deps) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := auth.Authenticate(r.Context(), d.Verifier, r)
		if err != nil {
			apierror.Write(r.Context(), w, d.Logger, err)
			return
		}
		// The request scope makes cached packages and products expire on
		// the first request after a change (store.WithRequestScope).
		ctx := store.WithRequestScope(context.WithValue(r.Context(), identityKey{}, id))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Identity is the request's authenticated caller: the one Wrap verified,
// or, for a handler served without Wrap, verified now.
func (d *Deps) Identity(r *http.Request) (*auth.Identity, error) {
	if id, ok := r.Context().Value(identityKey{}).(*auth.Identity); ok {
		return id, nil
	}
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

// Limit counts one write of action by a against the rate limits of a's
// organisation (its package's settings over ratelimit.Defaults): once a
// person's or the organisation's count for the window is reached, the
// write is refused with 429 RESOURCE_EXHAUSTED and a RetryInfo of the time
// left in the window. Support staff are not limited (they answer every
// organisation's cases). Cost: one Firestore read and one write
// (store.TakeRate).
func (d *Deps) Limit(ctx context.Context, a *access.Actor, action ratelimit.Action) error {
	if a.IsSupport() {
		return nil
	}
	orgID := ratelimit.NoOrg
	if a.Org != nil {
		orgID = a.Org.ID
	}
	return d.LimitFor(ctx, orgID, a.Identity.UID, a.Package, action)
}

// LimitFor is Limit for a write of uid in orgID under pkg (nil: defaults).
func (d *Deps) LimitFor(ctx context.Context, orgID, uid string, pkg *store.Package, action ratelimit.Action) error {
	var set store.RateLimit
	if pkg != nil {
		set = pkg.RateLimits[string(action)]
	}
	l := ratelimit.Resolve(action, set.PerPerson, set.PerOrg, set.WindowSeconds)
	now := d.Clock.Now()
	win := l.WindowAt(orgID, action, now)
	ok, err := d.Store.TakeRate(ctx, win.CounterID, ratelimit.PersonKey(uid), l.PerPerson, l.PerOrg, win.End.Add(time.Hour))
	if err != nil {
		return apierror.Describe(err, "rate limit")
	}
	if !ok {
		return apierror.ResourceExhausted("too many %s requests: at most %d per person and %d per organization every %s; try again later",
			action, l.PerPerson, l.PerOrg, l.Window).
			WithReason(apierror.ReasonRateLimited, map[string]string{"action": string(action)}).
			WithRetryInfo(win.RetryDelay(now))
	}
	return nil
}
