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
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
)

func init() { functions.CloudEvent("relay-events", Entry) }

// Entry is the function's entry point; each schedule tick runs the relay once.
var Entry = runtime.Scheduled("relay-events", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
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

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	pub, err := publish.New(ctx, d.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return &Handler{Outbox: outbox.New(d.Store, pub, d.Logger), Clock: d.Clock, Logger: d.Logger, Page: cfg.Page}, nil
}

// Run relays once for a schedule tick (runtime.Job). An error makes Pub/Sub
// deliver the tick again; the next tick would redo the work anyway.
func (h *Handler) Run(ctx context.Context) error {
	res, err := h.Relay(ctx)
	log := h.Logger.InfoContext
	if err != nil || res.Failed > 0 {
		log = h.Logger.WarnContext
	}
	log(ctx, "relay-events: run", "published", res.Published, "skipped", res.Skipped, "failed", res.Failed)
	return err
}

// Relay re-publishes what is due now.
func (h *Handler) Relay(ctx context.Context) (outbox.RelayResult, error) {
	page, age := h.Page, h.MinAge
	if page <= 0 {
		page = 100
	}
	if age <= 0 {
		age = outbox.MinAge
	}
	return h.Outbox.Relay(ctx, h.Clock.Now(), age, h.OrgID, page)
}
