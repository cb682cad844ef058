// Package runtime is the one bootstrap of every function kind: HTTP API
// functions, Pub/Sub-triggered event functions and scheduled functions.
//
// Each function package registers an entry point built here and names its
// pieces the same way:
//
//	func init() { functions.HTTP("me", Entry) }        // or functions.CloudEvent
//	var Entry = runtime.HTTP("me", Build)               // runtime.Event, runtime.Scheduled
//	func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error)
//
// On the first request or event the runtime loads the function's own Config
// together with the common one in a single pass (so every missing or
// malformed variable is reported at once), refuses emulator settings outside
// demo projects, builds the logger, Firestore store, clock and access
// resolver (and, for HTTP functions, the token verifier) and calls Build —
// once, safely under concurrency (sync.OnceValues). Tests skip all of that:
// they call Assemble with emulator clients and a fake clock and pass the
// result to Build or to the handler's own constructor.
package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/config"
	"github.com/supportcenter/supportcenter/shared/logging"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Config is what every function reads from its environment.
type Config struct {
	ProjectID   string `env:"GOOGLE_CLOUD_PROJECT,required"`
	VendorOrgID string `env:"VENDOR_ORG_ID" default:"support"`
	LogLevel    string `env:"LOG_LEVEL" default:"info"`
	// PortalURL is the base of links in responses and e-mails.
	PortalURL string `env:"PORTAL_URL" default:"http://127.0.0.1:8000"`
	// AllowedOrigins are the browser origins allowed by CORS (HTTP functions).
	AllowedOrigins []string `env:"CORS_ALLOWED_ORIGINS"`
}

// NoConfig is the Config of a function that reads nothing beyond the common one.
type NoConfig struct{}

// Deps are a function's dependencies, shared by its handlers.
type Deps struct {
	Config   Config
	Logger   *slog.Logger
	Store    *store.Store
	Resolver *access.Resolver
	Clock    clock.Clock
	// Verifier checks ID tokens; set for HTTP functions only.
	Verifier auth.Verifier
}

// Assemble builds Deps from parts (tests pass emulator clients and a fake
// clock; v may be nil for event and scheduled functions).
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

// settings is everything a function reads from its environment, loaded in
// one pass.
type settings[C any] struct {
	Common Config
	Own    C
}

// load reads the common and the function's own configuration together,
// then checks the emulator settings against the project.
func load[C any](lookup config.Lookuper, environ []string) (Config, C, error) {
	var s settings[C]
	err := config.Load(&s, lookup)
	// The function's own Validate (config.Load validates only the outer
	// struct) joins the same report.
	if v, ok := any(s.Own).(interface{ Validate() error }); ok && err == nil {
		err = v.Validate()
	}
	if err == nil {
		err = config.CheckEmulators(s.Common.ProjectID, environ)
	}
	if err != nil {
		return Config{}, s.Own, err
	}
	return s.Common, s.Own, nil
}

// bootstrap loads the configuration and builds the dependencies every
// function kind shares; withVerifier adds the ID-token verifier.
func bootstrap[C any](ctx context.Context, withVerifier bool) (*Deps, C, error) {
	cfg, own, err := load[C](config.OSLookuper(), os.Environ())
	if err != nil {
		return nil, own, err
	}
	logger := logging.New(os.Stdout, logging.ParseLevel(cfg.LogLevel))
	st, err := store.Open(ctx, cfg.ProjectID)
	if err != nil {
		return nil, own, err
	}
	var v auth.Verifier
	if withVerifier {
		fv, err := auth.NewFirebaseVerifier(ctx, cfg.ProjectID)
		if err != nil {
			return nil, own, fmt.Errorf("firebase auth: %w", err)
		}
		// Signing keys and credentials are fetched beside the rest of the
		// start (and the wait for the first request).
		go fv.Prefetch(context.WithoutCancel(ctx))
		v = fv
	}
	return Assemble(cfg, logger, st, v, clock.Real{}), own, nil
}

// startEarly starts get (the function's bootstrap and build) at once, in
// the background, when this process serves the function named name: the
// Functions Framework's FUNCTION_TARGET names it, as in a deployed instance
// (and in the cold-start benchmark), not in tests or the local runner,
// which serves every function. Building the clients then overlaps the
// framework's own start and the wait for the first request, and the
// Firestore client's connection (dialled when the client is built) is
// open, or on its way, when that request arrives. A failure is kept by
// get and answered on every request, as on a lazy start.
func startEarly[T any](name string, get func() (T, error)) {
	if os.Getenv("FUNCTION_TARGET") == name {
		go func() { _, _ = get() }()
	}
}

// errStart wraps a failed start so logs say what happened.
func errStart(name string, err error) error {
	return errors.Join(fmt.Errorf("%s: cannot start", name), err)
}
