// Package dedupe makes at-least-once event handling have one effect: before
// doing something that must happen once per event (and recipient), a
// handler claims a record keyed by them.
//
// A claim is a Firestore document created with a must-not-exist
// precondition, so of two concurrent deliveries exactly one wins. The record
// carries an expireTime field for a Firestore TTL policy (infra deletes
// expired records; nothing here depends on when).
//
//	c, err := d.Claim(ctx, dedupe.Key{Scope: "welcome", ID: ev.ID, Recipient: email})
//	switch {
//	case errors.Is(err, dedupe.ErrDone):  // an earlier delivery did it: ack
//	case errors.Is(err, dedupe.ErrBusy):  // another delivery is doing it: retry later
//	case err != nil:                      // Firestore failed: retry later
//	}
//	if err := send(); err != nil {
//		c.Release(ctx) // let a redelivery try again
//		return err
//	}
//	return c.Done(ctx)
//
// A claim whose holder died (crash, timeout) is taken over once its lease
// has run out, so an event is never stuck behind a dead delivery.
package dedupe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Collection holds the records; infra sets a TTL policy on expireTime.
const Collection = store.DedupeCollection

// Defaults.
const (
	// DefaultTTL outlives Pub/Sub's longest message retention (7 days), so
	// a record exists for as long as its event can be redelivered.
	DefaultTTL = 8 * 24 * time.Hour
	// DefaultLease is how long a claim protects work in progress; it must
	// exceed the handler's timeout.
	DefaultLease = 2 * time.Minute
)

// Record states.
const (
	stateClaimed = "CLAIMED"
	stateDone    = "DONE"
)

var (
	// ErrDone means an earlier delivery finished the work.
	ErrDone = errors.New("dedupe: already done")
	// ErrBusy means another delivery holds a live claim; try again later.
	ErrBusy = errors.New("dedupe: in progress elsewhere")
)

// Key names one unit of once-only work.
type Key struct {
	Scope     string // what is done, e.g. "provision", "welcome-email"
	ID        string // the event id
	Recipient string // optional: one effect per recipient of the event
}

// DocID is the record's document id: readable scope, hashed rest (event ids
// and addresses may hold characters document ids do not allow, and
// addresses are personal data).
func (k Key) DocID() string {
	sum := sha256.Sum256([]byte(k.ID + "\x00" + k.Recipient))
	return k.Scope + "_" + hex.EncodeToString(sum[:16])
}

// Record is the stored document.
type Record = store.DedupeRecord

// Deduper claims records in Firestore (through the store).
type Deduper struct {
	Store *store.Store
	Clock clock.Clock
	TTL   time.Duration // 0 = DefaultTTL
	Lease time.Duration // 0 = DefaultLease
}

// Claim is a held record.
type Claim struct {
	d       *Deduper
	id      string
	version store.Version // of our claim write
}

func (d *Deduper) ttl() time.Duration {
	if d.TTL > 0 {
		return d.TTL
	}
	return DefaultTTL
}

func (d *Deduper) lease() time.Duration {
	if d.Lease > 0 {
		return d.Lease
	}
	return DefaultLease
}

// Claim takes the record for k, or returns ErrDone / ErrBusy / a Firestore
// error. One write when the record is new; a read and a write when taking
// over an expired claim.
func (d *Deduper) Claim(ctx context.Context, k Key) (*Claim, error) {
	if k.Scope == "" || k.ID == "" {
		return nil, fmt.Errorf("dedupe: key needs a scope and an id")
	}
	now := d.Clock.Now()
	id := k.DocID()
	rec := Record{Scope: k.Scope, State: stateClaimed, ClaimTime: now, LeaseUntil: now.Add(d.lease()), ExpireTime: now.Add(d.ttl())}
	v, err := d.Store.CreateDedupe(ctx, id, rec)
	if err == nil {
		return &Claim{d: d, id: id, version: v}, nil
	}
	if !errors.Is(err, store.ErrAlreadyExists) {
		return nil, fmt.Errorf("dedupe: claim %s: %w", k.Scope, err)
	}
	old, v, err := d.Store.Dedupe(ctx, id)
	if store.IsNotFound(err) {
		// Released between our create and get: the next delivery claims it.
		return nil, ErrBusy
	}
	if err != nil {
		return nil, fmt.Errorf("dedupe: read %s: %w", k.Scope, err)
	}
	if old.State == stateDone {
		return nil, ErrDone
	}
	if now.Before(old.LeaseUntil) {
		return nil, ErrBusy
	}
	// The holder's lease ran out: take over, unless someone else just did.
	v, err = d.Store.ReclaimDedupe(ctx, id, rec, v)
	switch {
	case err == nil:
		return &Claim{d: d, id: id, version: v}, nil
	case errors.Is(err, store.ErrConflict):
		return nil, ErrBusy
	}
	return nil, fmt.Errorf("dedupe: take over %s: %w", k.Scope, err)
}

// Done marks the work finished: later claims get ErrDone.
func (c *Claim) Done(ctx context.Context) error {
	now := c.d.Clock.Now()
	if err := c.d.Store.FinishDedupe(ctx, c.id, stateDone, now, now.Add(c.d.ttl())); err != nil {
		return fmt.Errorf("dedupe: mark done: %w", err)
	}
	return nil
}

// Release gives the claim up after a failure, so a redelivery may try
// again at once (rather than after the lease). A claim another delivery has
// taken over since is left alone.
func (c *Claim) Release(ctx context.Context) error {
	if err := c.d.Store.DeleteDedupe(ctx, c.id, c.version); err != nil {
		return fmt.Errorf("dedupe: release: %w", err)
	}
	return nil
}
