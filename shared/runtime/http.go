package runtime

import (
	"context"
	"log/slog"
	"maps"
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

// identityKey keys the authenticated caller in a request's context.
type identityKey struct{}

// caller is the request's authenticated caller, as Wrap left it in the
// request's context.
type caller struct {
	id *auth.Identity
	// pending waits for the account-state check still running (see
	// auth.DeferringVerifier) and returns its verdict; nil when none is.
	pending func() error
}

// authenticated answers 401 to a request that does not authenticate, and
// passes the others on with their identity.
//
// The token itself is checked before anything else. When the account's
// state has to be looked up at the Auth backend (an account's first
// request in a while, every first request of an instance) the request
// goes on meanwhile: Actor and CaseFor run their reads beside the lookup,
// and nothing acts on the identity or answers before it has passed —
// Identity, Actor and CaseFor wait for it, and the answer is held back
// until it has (gatedWriter), so a refused caller gets the 401 and nothing
// of what the routes would have said.
func (d *Deps) authenticated(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := d.authenticate(r)
		if err != nil {
			apierror.Write(r.Context(), w, d.Logger, err)
			return
		}
		// The request scope makes cached packages and products expire on
		// the first request after a change (store.WithRequestScope).
		r = r.WithContext(store.WithRequestScope(context.WithValue(r.Context(), identityKey{}, c)))
		if c.pending == nil {
			next.ServeHTTP(w, r)
			return
		}
		g := &gatedWriter{w: w, header: w.Header().Clone(), check: c.pending, r: r, logger: d.Logger}
		next.ServeHTTP(g, r)
		g.open()
	})
}

// authenticate checks the request's token; with a DeferringVerifier the
// account-state check may still be pending.
func (d *Deps) authenticate(r *http.Request) (*caller, error) {
	dv, ok := d.Verifier.(auth.DeferringVerifier)
	if !ok {
		id, err := auth.Authenticate(r.Context(), d.Verifier, r)
		if err != nil {
			return nil, err
		}
		return &caller{id: id}, nil
	}
	token, err := auth.BearerToken(r)
	if err != nil {
		return nil, err
	}
	id, pending, err := dv.VerifyDeferred(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return &caller{id: id, pending: pending}, nil
}

// forReads is the request's caller for reads that may run before its
// account check has passed, and that check (nil if none is pending). For a
// handler served without Wrap the token is verified now.
func (d *Deps) forReads(r *http.Request) (*auth.Identity, func() error, error) {
	if c, ok := r.Context().Value(identityKey{}).(*caller); ok {
		return c.id, c.pending, nil
	}
	id, err := auth.Authenticate(r.Context(), d.Verifier, r)
	return id, nil, err
}

// Identity is the request's authenticated caller: the one Wrap verified,
// or, for a handler served without Wrap, verified now.
func (d *Deps) Identity(r *http.Request) (*auth.Identity, error) {
	id, pending, err := d.forReads(r)
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

// Actor authenticates the request and resolves the caller for orgID (the
// resolution runs beside a pending account check, see Read).
func (d *Deps) Actor(r *http.Request, orgID string) (*access.Actor, error) {
	return Read(d, r, func(ctx context.Context, id *auth.Identity) (*access.Actor, error) {
		return d.Resolver.Resolve(ctx, id, orgID)
	})
}

// Read authenticates the request and runs read for the caller: read must
// only read (the access resolution, the caller's profile, …), because it
// runs beside the caller's account check when that is still pending (see
// authenticated); what it read is returned only once the check has passed,
// else the check's refusal.
func Read[T any](d *Deps, r *http.Request, read func(ctx context.Context, id *auth.Identity) (T, error)) (T, error) {
	var zero T
	id, pending, err := d.forReads(r)
	if err != nil {
		return zero, err
	}
	if pending == nil {
		return read(r.Context(), id)
	}
	var (
		v  T
		wg sync.WaitGroup
	)
	wg.Go(func() { v, err = read(r.Context(), id) })
	checkErr := pending()
	wg.Wait()
	if checkErr != nil {
		return zero, checkErr
	}
	return v, err
}

// CaseFor resolves the caller for orgID, reads the case and checks action
// on it — the path every case-scoped request takes. Another tenant's case,
// or one the caller may not know about, is NOT_FOUND.
func (d *Deps) CaseFor(r *http.Request, orgID, caseID string, action access.Action) (*access.Actor, *store.Case, error) {
	id, pending, err := d.forReads(r)
	if err != nil {
		return nil, nil, err
	}
	// The case read needs only the id, so it runs beside the access
	// resolution (same reads, one round trip less), and both beside a
	// pending account check. The check's verdict is taken first, then the
	// resolution's, so a refused caller still learns nothing about the case.
	var (
		a       *access.Actor
		c       *store.Case
		caseErr error
		wg      sync.WaitGroup
	)
	wg.Go(func() { c, caseErr = d.Store.Case(r.Context(), caseID) })
	if pending != nil {
		var checkErr error
		wg.Go(func() { checkErr = pending() })
		a, err = d.Resolver.Resolve(r.Context(), id, orgID)
		wg.Wait()
		if checkErr != nil {
			return nil, nil, checkErr
		}
	} else {
		a, err = d.Resolver.Resolve(r.Context(), id, orgID)
		wg.Wait()
	}
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

// gatedWriter holds a response back until the caller's account check has
// passed: the handler's headers go to a copy, handed over with its first
// write; if the check fails, the client gets the check's 401 (with the
// middleware's headers only) and the handler's answer is dropped.
type gatedWriter struct {
	w      http.ResponseWriter
	header http.Header
	check  func() error
	r      *http.Request
	logger *slog.Logger

	once    sync.Once
	refused bool
}

// open runs the check once and, if it passed, hands the handler's headers
// over; it reports whether the handler's answer may go out.
func (g *gatedWriter) open() bool {
	g.once.Do(func() {
		if err := g.check(); err != nil {
			g.refused = true
			apierror.Write(g.r.Context(), g.w, g.logger, err)
			return
		}
		dst := g.w.Header()
		for k := range dst {
			if _, ok := g.header[k]; !ok {
				delete(dst, k)
			}
		}
		maps.Copy(dst, g.header)
		g.header = dst
	})
	return !g.refused
}

func (g *gatedWriter) Header() http.Header { return g.header }

func (g *gatedWriter) WriteHeader(code int) {
	if g.open() {
		g.w.WriteHeader(code)
	}
}

func (g *gatedWriter) Write(b []byte) (int, error) {
	if !g.open() {
		return len(b), nil
	}
	return g.w.Write(b)
}

// Flush flushes an opened answer (streamed downloads).
func (g *gatedWriter) Flush() {
	if g.open() {
		if f, ok := g.w.(http.Flusher); ok {
			f.Flush()
		}
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (g *gatedWriter) Unwrap() http.ResponseWriter { return g.w }

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
