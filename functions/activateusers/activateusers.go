// Package activateusers is the "activate-users" scheduled function (Cloud
// Scheduler → topic schedule-activate-users → CloudEvent, every 5 minutes;
// locally `make job`).
//
// Each run:
//   - activates PENDING memberships whose activateTime has come (one
//     transaction each, with an audit entry), so activation happens even if
//     every membership event was lost;
//   - re-drives provisioning that never completed: for memberships whose
//     provision.state is still PENDING at provision.retryTime it re-publishes
//     the membership event with its original id (so the provision function's
//     dedupe records still apply), backing off between attempts and giving up
//     (provision.state FAILED) after provisioning.MaxAttempts.
//
// Both steps re-check each membership in a transaction, so overlapping or
// repeated runs have one effect, and each reads at most Batch memberships.
package activateusers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("activate-users", Entry) }

// Entry is the function's entry point; each schedule tick runs the sweep once.
var Entry = runtime.Scheduled("activate-users", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	// Batch bounds how many memberships each step handles per run.
	Batch int `env:"ACTIVATION_BATCH" default:"200"`
}

// Handler runs the sweep.
type Handler struct {
	Store  *store.Store
	Outbox *outbox.Outbox
	Clock  clock.Clock
	Logger *slog.Logger
	Batch  int // 0 = 200
	// OrgID restricts a run to one organisation ("" = all, as scheduled).
	// Tests use it so a fake clock far ahead touches only their own data.
	OrgID string
}

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	pub, err := publish.New(ctx, d.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return &Handler{Store: d.Store, Outbox: outbox.New(d.Store, pub, d.Logger), Clock: d.Clock, Logger: d.Logger, Batch: cfg.Batch}, nil
}

// Result counts what one run did.
type Result struct {
	Activated int // memberships made ACTIVE
	Redriven  int // provisioning events re-published
	GaveUp    int // provisioning marked FAILED after provisioning.MaxAttempts
}

// Run sweeps once for a schedule tick (runtime.Job). An error makes Pub/Sub
// deliver the tick again; the next tick would redo the work anyway.
func (h *Handler) Run(ctx context.Context) error {
	res, err := h.Sweep(ctx)
	h.Logger.InfoContext(ctx, "activate-users: run",
		"activated", res.Activated, "redriven", res.Redriven, "gaveUp", res.GaveUp)
	return err
}

// Sweep activates due memberships and re-drives stuck provisioning.
func (h *Handler) Sweep(ctx context.Context) (Result, error) {
	var res Result
	batch := h.Batch
	if batch <= 0 {
		batch = 200
	}
	now := h.Clock.Now()
	due, err := h.Store.DueActivations(ctx, h.OrgID, now, batch)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, m := range due {
		ok, err := h.Store.ActivateIfDue(ctx, m.ID, now, store.SystemActor)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			res.Activated++
		}
	}
	stuck, err := h.Store.DueProvisioning(ctx, h.OrgID, now, batch)
	if err != nil {
		return res, errors.Join(append(errs, err)...)
	}
	for _, m := range stuck {
		gaveUp := false
		msgs, err := h.Store.ChangeProvisioning(ctx, m.ID, now, func(m *store.MembershipDoc) (bool, *events.MembershipEvent, error) {
			var ev *events.MembershipEvent
			ev, gaveUp = redrive(m, now)
			return ev != nil || gaveUp, ev, nil
		})
		switch {
		case store.IsNotFound(err):
		case err != nil:
			errs = append(errs, err)
		case gaveUp:
			res.GaveUp++
			h.Logger.WarnContext(ctx, "activate-users: provisioning gave up", "membership", m.ID)
		case len(msgs) > 0:
			// In the outbox with the move of retryTime: if this publish
			// fails, the relay sends it.
			h.Outbox.Send(ctx, msgs...)
			res.Redriven++
		}
	}
	return res, errors.Join(errs...)
}

// redrive decides, for membership m read in a transaction, whether its
// stuck provisioning is re-driven now — retryTime moved on, and the event
// to publish again with its original id (so the provision function's dedupe
// records still apply) — or given up (provisioning FAILED); the rules are
// package provisioning's. Neither when another run or the provision
// function got there first.
func redrive(m *store.MembershipDoc, now time.Time) (ev *events.MembershipEvent, gaveUp bool) {
	p := m.Provision
	if p == nil {
		return nil, false
	}
	next, due := provisioning.NextRedrive(p.State, p.Attempts, p.RetryTime, now)
	if !due {
		return nil, false
	}
	if next.GiveUp {
		p.State, p.Error = provisioning.Failed, next.Error
		return nil, true
	}
	p.Attempts, p.RetryTime = next.Attempts, next.RetryTime
	e := events.NewMembershipAdded(p.EventID, now, m.OrgID, m.ID)
	return &e, false
}
