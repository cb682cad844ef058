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
	"fmt"
	"log/slog"
	"time"

	"cloud.google.com/go/firestore"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("activate-users", Entry) }

// Entry is the function's entry point; each schedule tick runs the sweep once.
var Entry = runtime.Scheduled("activate-users", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	Topic string `env:"MEMBERSHIP_EVENTS_TOPIC" default:"membership-events"`
	// Batch bounds how many memberships each step handles per run.
	Batch int `env:"ACTIVATION_BATCH" default:"200"`
}

// Publisher sends membership events.
type Publisher interface {
	PublishMembership(ctx context.Context, ev events.MembershipEvent) error
}

// Handler runs the sweep.
type Handler struct {
	Store     *store.Store
	Publisher Publisher
	Clock     clock.Clock
	Logger    *slog.Logger
	Batch     int // 0 = 200
	// OrgID restricts a run to one organisation ("" = all, as scheduled).
	// Tests use it so a fake clock far ahead touches only their own data.
	OrgID string
}

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	pub, err := publish.NewPubSub(ctx, d.Config.ProjectID, cfg.Topic)
	if err != nil {
		return nil, err
	}
	return &Handler{Store: d.Store, Publisher: pub, Clock: d.Clock, Logger: d.Logger, Batch: cfg.Batch}, nil
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
		ev, gaveUp, err := h.claimRedrive(ctx, m.ID, now)
		switch {
		case err != nil:
			errs = append(errs, err)
		case gaveUp:
			res.GaveUp++
			h.Logger.WarnContext(ctx, "activate-users: provisioning gave up", "membership", m.ID)
		case ev != nil:
			if err := h.Publisher.PublishMembership(ctx, *ev); err != nil {
				// retryTime was moved on: the next run after it tries again.
				errs = append(errs, fmt.Errorf("re-publish %s: %w", m.ID, err))
				continue
			}
			res.Redriven++
		}
	}
	return res, errors.Join(errs...)
}

// claimRedrive moves a stuck provisioning's retryTime on (or gives it up)
// in a transaction and returns the event to re-publish; nil when another
// run or the provision function got there first.
func (h *Handler) claimRedrive(ctx context.Context, id string, now time.Time) (*events.MembershipEvent, bool, error) {
	var ev *events.MembershipEvent
	gaveUp := false
	err := h.Store.FS.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		ev, gaveUp = nil, false
		m, err := h.Store.TxMembershipDoc(tx, id)
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		p := m.Provision
		if p == nil {
			return nil
		}
		next, due := provisioning.NextRedrive(p.State, p.Attempts, p.RetryTime, now)
		if !due {
			return nil
		}
		ref := h.Store.MembershipRef(id)
		if next.GiveUp {
			gaveUp = true
			return tx.Update(ref, []firestore.Update{
				{Path: "provision.state", Value: provisioning.Failed},
				{Path: "provision.error", Value: next.Error},
				{Path: store.FieldUpdateTime, Value: now},
			})
		}
		e := events.NewMembershipAdded(p.EventID, now, m.OrgID, m.ID)
		ev = &e
		return tx.Update(ref, []firestore.Update{
			{Path: "provision.attempts", Value: next.Attempts},
			{Path: "provision.retryTime", Value: next.RetryTime},
		})
	})
	if err != nil {
		return nil, false, fmt.Errorf("re-drive %s: %w", id, err)
	}
	return ev, gaveUp, nil
}
