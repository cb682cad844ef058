// Package relayevents is the "relay-events" scheduled function (Cloud
// Scheduler → topic schedule-relay-events → CloudEvent, every minute;
// locally `make job`).
//
// Each run re-publishes the events left in the transactional outbox — a
// publish that failed or timed out after its change committed, or an
// instance that died between commit and publish — with their original ids,
// so consumers' dedupe keeps each effect exactly-once (package outbox).
// It takes messages held for at least outbox.MinAge, oldest first, in
// pages; each is claimed before it is published, so overlapping or
// repeated runs publish it once, and deleted after.
//
// Worst-case delay of a left-over event (Pub/Sub up): outbox.MinAge plus
// the schedule period — 30 s + 1 min.
package relayevents

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/config"
	"github.com/supportcenter/supportcenter/shared/eventfn"
	"github.com/supportcenter/supportcenter/shared/logging"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("relay-events", Receive) }

// Receive is the function's entry point; the handler is built on the first event.
var Receive = eventfn.Lazy("relay-events", NewFromEnv)

// Config is what the function reads from its environment.
type Config struct {
	ProjectID string `env:"GOOGLE_CLOUD_PROJECT,required"`
	LogLevel  string `env:"LOG_LEVEL" default:"info"`
	// Page is how many outbox messages one query reads.
	Page int `env:"RELAY_PAGE" default:"100"`
}

// Handler runs the relay.
type Handler struct {
	Outbox *outbox.Outbox
	Clock  clock.Clock
	Logger *slog.Logger
	Page   int // 0 = 100
	// MinAge is how long a message must have been held; 0 means
	// outbox.MinAge. Tests set a tiny one.
	MinAge time.Duration
	// OrgID restricts a run to one organisation's messages ("" = all, as
	// scheduled). Tests use it to touch only their own data.
	OrgID string
}

// NewFromEnv builds the production Handler.
func NewFromEnv(ctx context.Context) (*Handler, error) {
	var cfg Config
	if err := config.Load(&cfg, config.OSLookuper()); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.ProjectID)
	if err != nil {
		return nil, err
	}
	pub, err := publish.New(ctx, cfg.ProjectID)
	if err != nil {
		return nil, err
	}
	logger := logging.New(os.Stdout, logging.ParseLevel(cfg.LogLevel))
	return &Handler{Outbox: outbox.New(st, pub, logger), Clock: clock.Real{}, Logger: logger, Page: cfg.Page}, nil
}

// Handle runs the relay for one schedule tick. An error makes Pub/Sub
// deliver the tick again; the next tick would redo the work anyway.
func (h *Handler) Handle(ctx context.Context, e event.Event) error {
	res, err := h.Run(ctx)
	log := h.Logger.InfoContext
	if err != nil || res.Failed > 0 {
		log = h.Logger.WarnContext
	}
	log(ctx, "relay-events: run", "tick", e.ID(), "published", res.Published, "skipped", res.Skipped, "failed", res.Failed)
	return err
}

// Run relays what is due now.
func (h *Handler) Run(ctx context.Context) (outbox.RelayResult, error) {
	page, age := h.Page, h.MinAge
	if page <= 0 {
		page = 100
	}
	if age <= 0 {
		age = outbox.MinAge
	}
	return h.Outbox.Relay(ctx, h.Clock.Now(), age, h.OrgID, page)
}
