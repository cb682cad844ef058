//go:build integration

package store_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// newCase files a case of a real organisation (a sweep running in the same
// stack may read it).
func newCase(t *testing.T, st *store.Store, orgID string) *store.Case {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	c := &store.Case{OrgID: orgID, DisplayName: "guarded", State: "NEW", Open: true, Priority: "P3",
		CreateTime: now, UpdateTime: now, Tokens: []string{"guarded"}, PreviousCaseID: "123456789"}
	if _, err := st.CreateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMutateCaseWritesWhatSetWrites: the guarded rewrite of a case leaves
// exactly the document that setting the changed case would (fields set,
// emptied omitempty fields gone), whatever fn changed.
func TestMutateCaseWritesWhatSetWrites(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	st := store.New(env.FS())
	org := env.NewCustomer(t, "PLATINUM").OrgID
	now := time.Now().UTC().Truncate(time.Microsecond)
	for _, tc := range []struct {
		name   string
		change func(c *store.Case)
	}{
		{"close", func(c *store.Case) {
			c.State, c.Open, c.CloseTime, c.UpdateTime = "CLOSED", false, now, now
			c.CloseCount++
		}},
		{"escalate (a nested struct appears)", func(c *store.Case) {
			c.Escalated = true
			c.Escalation = &store.Escalation{Time: now, ActorUID: "u", ActorEmail: "a@x", Reason: "BUSINESS_IMPACT", Justification: "j"}
		}},
		{"omitempty fields emptied", func(c *store.Case) {
			c.PreviousCaseID = ""
			c.Tokens = nil
			c.DueTime = time.Time{}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCase(t, st, org)
			got, _, err := st.MutateCase(ctx, c.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
				tc.change(c)
				return true, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			stored, err := env.FS().Collection(store.CasesCollection).Doc(c.ID).Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ref := env.FS().Collection("guardedSetCopies").Doc(c.ID)
			if _, err := ref.Set(ctx, got); err != nil {
				t.Fatal(err)
			}
			want, err := ref.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(stored.Data(), want.Data()) {
				t.Fatalf("stored %v\nwant (Set) %v", stored.Data(), want.Data())
			}
		})
	}
}

// TestMutateCaseConcurrentChangesAllCount: concurrent changes of one case
// never overwrite each other; a change that kept losing the race reports
// ABORTED instead of writing.
func TestMutateCaseConcurrentChangesAllCount(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	st := store.New(env.FS())
	c := newCase(t, st, env.NewCustomer(t, "PLATINUM").OrgID)
	const writers = 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	succeeded := 0
	for range writers {
		wg.Go(func() {
			_, _, err := st.MutateCase(ctx, c.ID, func(t *store.CaseTx, c *store.Case) (bool, error) {
				c.CommentCount++
				return true, t.Publish(events.New(events.CaseCommented, time.Now(), c.OrgID, c.ID))
			})
			if err != nil && status.Code(err) != codes.Aborted {
				t.Errorf("mutate: %v", err)
				return
			}
			if err == nil {
				mu.Lock()
				succeeded++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got, err := st.Case(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CommentCount != succeeded || succeeded == 0 {
		t.Fatalf("comment count %d after %d successful changes of %d", got.CommentCount, succeeded, writers)
	}
}

// TestMutateCaseMissingAndRefused: a missing case is ErrNotFound; fn's
// error passes through and nothing is written.
func TestMutateCaseMissingAndRefused(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	st := store.New(env.FS())
	if _, _, err := st.MutateCase(ctx, "999999998", func(*store.CaseTx, *store.Case) (bool, error) { return true, nil }); !store.IsNotFound(err) {
		t.Fatalf("missing case: %v", err)
	}
	c := newCase(t, st, env.NewCustomer(t, "PLATINUM").OrgID)
	refused := errors.New("refused")
	if _, _, err := st.MutateCase(ctx, c.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
		c.State = "CLOSED"
		return true, refused
	}); !errors.Is(err, refused) {
		t.Fatalf("refusal: %v", err)
	}
	if got, err := st.Case(ctx, c.ID); err != nil || got.State != "NEW" {
		t.Fatalf("after a refusal: %+v, %v", got, err)
	}
}

// TestTakeRateConcurrentNeverOvercounts: concurrent takes of one counter
// allow at most the limit, and the counter holds exactly what was
// allowed.
func TestTakeRateConcurrentNeverOvercounts(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	st := store.New(env.FS())
	id := testenv.UniqueID("guarded-rate")
	const perOrg, callers = 3, 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for i := range callers {
		wg.Go(func() {
			ok, err := st.TakeRate(ctx, id, "p"+string(rune('a'+i)), 10, perOrg, time.Now().Add(time.Hour))
			if err != nil && status.Code(err) != codes.Aborted {
				t.Errorf("take: %v", err)
			}
			if ok && err == nil {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	snap, err := env.FS().Collection(store.RateLimitsCollection).Doc(id).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := snap.Data()["total"].(int64)
	if allowed == 0 || allowed > perOrg || int(total) != allowed {
		t.Fatalf("allowed %d of %d (limit %d), counter total %d", allowed, callers, perOrg, total)
	}
}
