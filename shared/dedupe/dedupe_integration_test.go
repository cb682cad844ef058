//go:build integration

package dedupe

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/store"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/clock"
)

func newDeduper(t *testing.T) (*Deduper, *clock.Fake) {
	t.Helper()
	if os.Getenv("FIRESTORE_EMULATOR_HOST") == "" {
		t.Fatal("needs the Firestore emulator (run `make test`)")
	}
	project := os.Getenv("GOOGLE_CLOUD_PROJECT")
	if project == "" {
		project = "demo-dedupe"
	}
	st, err := store.Open(t.Context(), project)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Now())
	return &Deduper{Store: st, Clock: clk, Lease: time.Minute, TTL: time.Hour}, clk
}

func TestClaimLifecycle(t *testing.T) {
	t.Parallel()
	d, clk := newDeduper(t)
	ctx := t.Context()
	k := Key{Scope: "test", ID: testenv.UniqueID("ev")}

	c, err := d.Claim(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Claim(ctx, k); !errors.Is(err, ErrBusy) {
		t.Fatalf("second claim: %v, want ErrBusy", err)
	}
	// A failed attempt releases; the next delivery claims again.
	if err := c.Release(ctx); err != nil {
		t.Fatal(err)
	}
	c, err = d.Claim(ctx, k)
	if err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	if err := c.Done(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Claim(ctx, k); !errors.Is(err, ErrDone) {
		t.Fatalf("claim after done: %v, want ErrDone", err)
	}
	// Done stays done, whatever the lease.
	clk.Advance(10 * time.Minute)
	if _, err := d.Claim(ctx, k); !errors.Is(err, ErrDone) {
		t.Fatalf("claim after done and lease: %v, want ErrDone", err)
	}

	rec, _, err := d.Store.Dedupe(ctx, k.DocID())
	if err != nil {
		t.Fatal(err)
	}
	if rec.ExpireTime.Before(clk.Now().Add(-10 * time.Minute).Add(50 * time.Minute)) {
		t.Errorf("expireTime %v not about TTL after done", rec.ExpireTime)
	}
}

func TestExpiredClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	d, clk := newDeduper(t)
	ctx := t.Context()
	k := Key{Scope: "test", ID: testenv.UniqueID("ev"), Recipient: "a@x.example"}
	dead, err := d.Claim(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute) // past the lease: the holder died
	c, err := d.Claim(ctx, k)
	if err != nil {
		t.Fatalf("take over: %v", err)
	}
	// The dead holder's late release must not free the new claim.
	if err := dead.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Claim(ctx, k); !errors.Is(err, ErrBusy) {
		t.Fatalf("after stale release: %v, want ErrBusy", err)
	}
	if err := c.Done(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentClaimsHaveOneWinner(t *testing.T) {
	t.Parallel()
	d, _ := newDeduper(t)
	k := Key{Scope: "test", ID: testenv.UniqueID("ev")}
	var wins, busy atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := d.Claim(t.Context(), k)
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ErrBusy):
				busy.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 || busy.Load() != 9 {
		t.Fatalf("wins %d busy %d", wins.Load(), busy.Load())
	}
}
