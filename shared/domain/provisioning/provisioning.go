// Package provisioning is the state machine of a membership's
// provisioning — the work done after an admin adds a person (an Auth
// account, the welcome e-mail, activation when due) — and its retry
// policy.
//
//	PENDING ─► DONE       account ensured, welcome e-mail sent
//	        ─► FAILED     a permanent failure, or MaxAttempts re-drives without success
//	        ─► CANCELLED  the membership was disabled before provisioning ran
//
// Only PENDING moves; the other states are final. The membership event
// that starts provisioning has a fixed id; the activate-users sweep
// re-publishes it (same id, so consumers' dedupe still applies) when a
// PENDING provisioning is still pending at its retry time, backing off
// between attempts, and gives up after MaxAttempts.
//
// The package is pure: the store keeps the state on the membership
// document and applies the transitions decided here in its transactions.
package provisioning

import (
	"fmt"
	"time"
)

// States.
const (
	Pending   = "PENDING"   // not done yet; the sweep re-drives it from its retry time
	Done      = "DONE"      // account ensured, welcome e-mail sent
	Failed    = "FAILED"    // a permanent failure; the recorded error says why
	Cancelled = "CANCELLED" // disabled before provisioning ran
)

// Retry policy.
const (
	// Grace is how long the first delivery of the membership event has
	// before the sweep re-drives it.
	Grace = 15 * time.Minute
	// MaxAttempts is how many re-drives the sweep makes before giving up.
	MaxAttempts = 8
	// FirstBackoff is the wait after the first re-drive; it doubles up to
	// MaxBackoff.
	FirstBackoff = 15 * time.Minute
	MaxBackoff   = 6 * time.Hour
)

// CanMove reports whether provisioning may move from → to: only out of
// PENDING, and only into a final state.
func CanMove(from, to string) bool {
	return from == Pending && (to == Done || to == Failed || to == Cancelled)
}

// Awaits reports whether a provisioning in state, started by the event
// with id startedBy, still waits for the event with id eventID: the
// event is the current one (the membership was not re-added since) and no
// final state was reached. Only then may the event's consumer record an
// outcome.
func Awaits(state, startedBy, eventID string) bool {
	return state == Pending && startedBy == eventID
}

// FirstRetry is when the sweep first re-drives a provisioning started at
// now.
func FirstRetry(now time.Time) time.Time { return now.Add(Grace) }

// Backoff is the wait before re-drive attempt n+1 after attempt n (n ≥ 1):
// FirstBackoff doubling, at most MaxBackoff.
func Backoff(n int) time.Duration {
	d := FirstBackoff
	for i := 1; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// Redrive is what the sweep does to a provisioning that is due.
type Redrive struct {
	// GiveUp: move to FAILED with Error instead of re-publishing.
	GiveUp bool
	Error  string
	// Otherwise: re-publish the event and record Attempts and RetryTime.
	Attempts  int
	RetryTime time.Time
}

// NextRedrive decides the sweep's step for a provisioning in state after
// attempts re-drives, due at retryTime; ok is false when nothing is to be
// done (not PENDING, or not due yet).
func NextRedrive(state string, attempts int, retryTime, now time.Time) (r Redrive, ok bool) {
	if state != Pending || retryTime.After(now) {
		return Redrive{}, false
	}
	if attempts >= MaxAttempts {
		return Redrive{GiveUp: true, Error: fmt.Sprintf("provisioning did not complete after %d attempts", attempts+1)}, true
	}
	return Redrive{Attempts: attempts + 1, RetryTime: now.Add(Backoff(attempts + 1))}, true
}

// MaxActivationDelay is the promise made to customers: a person an admin
// adds has access within a day.
const MaxActivationDelay = 24 * time.Hour

// CheckActivationDelay checks a configured activation delay (ACTIVATION_DELAY:
// how long an added person stays PENDING, 0 = as soon as provisioning ran).
func CheckActivationDelay(d time.Duration) error {
	if d < 0 || d > MaxActivationDelay {
		return fmt.Errorf("ACTIVATION_DELAY must be between 0 and %s, got %s", MaxActivationDelay, d)
	}
	return nil
}
