//go:build integration

package activateusers_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/activateusers"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

// recorder records published membership events.
type recorder struct{ events.Recorder }

func (r *recorder) ids() []string {
	var out []string
	for _, e := range r.MembershipEvents() {
		out = append(out, e.ID)
	}
	return out
}

// put writes a membership of org (provision nil = a seeded membership).
func put(t *testing.T, env *testenv.Env, org, email, status string, activate time.Time, p *store.Provisioning) *store.MembershipDoc {
	t.Helper()
	m := &store.MembershipDoc{Membership: store.Membership{ID: store.MembershipID(org, email), OrgID: org, Email: email,
		Status: status, ActivateTime: activate, Roles: []store.Role{{Role: store.RoleMember}}}, Provision: p}
	if err := env.Writer.Store.PutMembership(t.Context(), *m); err != nil {
		t.Fatal(err)
	}
	return m
}

// future is the fake "now" of these tests: days ahead, so the stack's own
// scheduled sweep (real clock) never touches their memberships. Firestore
// keeps microseconds.
func future() time.Time { return time.Now().UTC().Add(72 * time.Hour).Truncate(time.Microsecond) }

func sweep(env *testenv.Env, org string, clk clock.Clock, pub events.Publisher) *activateusers.Handler {
	st, logger := store.New(env.FS()), slog.New(slog.DiscardHandler)
	return &activateusers.Handler{Store: st, Outbox: outbox.New(st, pub, logger), Clock: clk, Logger: logger, OrgID: org}
}

func status(t *testing.T, env *testenv.Env, id string) *store.MembershipDoc {
	t.Helper()
	m, err := store.New(env.FS()).MembershipDocByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSweepActivatesDueMembershipsOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	now := future()
	due1 := put(t, env, tn.OrgID, tn.Email("due1"), store.StatusPending, now.Add(-time.Hour), nil)
	due2 := put(t, env, tn.OrgID, tn.Email("due2"), store.StatusPending, now, nil)
	due3 := put(t, env, tn.OrgID, tn.Email("due3"), store.StatusPending, now.Add(-time.Minute), nil)
	later := put(t, env, tn.OrgID, tn.Email("later"), store.StatusPending, now.Add(time.Second), nil)
	disabled := put(t, env, tn.OrgID, tn.Email("disabled"), store.StatusDisabled, now.Add(-time.Hour), nil)

	// Bounded: two per run here. Two overlapping runs and a third one
	// still activate each due membership exactly once.
	clk := clock.NewFake(now)
	var wg sync.WaitGroup
	results := make([]activateusers.Result, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := sweep(env, tn.OrgID, clk, &recorder{})
			h.Batch = 2
			res, err := h.Sweep(context.Background())
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		}()
	}
	wg.Wait()
	h := sweep(env, tn.OrgID, clk, &recorder{})
	h.Batch = 2
	res, err := h.Sweep(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if total := results[0].Activated + results[1].Activated + res.Activated; total != 3 {
		t.Fatalf("activated %d in total (%+v, %+v), want 3", total, results, res)
	}
	for _, m := range []*store.MembershipDoc{due1, due2, due3} {
		if got := status(t, env, m.ID); got.Status != store.StatusActive || !got.ActivateTime.Equal(now) {
			t.Errorf("%s: %s at %s", m.Email, got.Status, got.ActivateTime)
		}
	}
	if got := status(t, env, later.ID).Status; got != store.StatusPending {
		t.Errorf("not yet due: %s", got)
	}
	if got := status(t, env, disabled.ID).Status; got != store.StatusDisabled {
		t.Errorf("disabled: %s", got)
	}
}

func TestSweepRedrivesStuckProvisioning(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	now := future()
	stuck := put(t, env, tn.OrgID, tn.Email("stuck"), store.StatusPending, now.Add(24*time.Hour),
		&store.Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: now.Add(-time.Minute)})
	put(t, env, tn.OrgID, tn.Email("fresh"), store.StatusPending, now.Add(24*time.Hour),
		&store.Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: now.Add(10 * time.Minute)})
	put(t, env, tn.OrgID, tn.Email("done"), store.StatusPending, now.Add(24*time.Hour),
		&store.Provisioning{State: provisioning.Done, EventID: events.NewID(), RetryTime: now.Add(-time.Hour)})

	clk := clock.NewFake(now)
	pub := &recorder{}
	h := sweep(env, tn.OrgID, clk, pub)
	res, err := h.Sweep(t.Context())
	if err != nil || res.Redriven != 1 {
		t.Fatalf("first run: %+v %v", res, err)
	}
	// The original event id goes out again, so provision's dedupe applies.
	if ids := pub.ids(); len(ids) != 1 || ids[0] != stuck.Provision.EventID {
		t.Fatalf("published %v, want %s", ids, stuck.Provision.EventID)
	}
	got := status(t, env, stuck.ID).Provision
	if got.Attempts != 1 || !got.RetryTime.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("after re-drive: %+v", got)
	}
	// Not again until the backoff has passed.
	if res, _ := h.Sweep(t.Context()); res.Redriven != 0 {
		t.Fatalf("re-driven again at once: %+v", res)
	}
	clk.Advance(16 * time.Minute)
	if res, _ := h.Sweep(t.Context()); res.Redriven != 2 { // stuck again, and fresh is due now
		t.Fatalf("after the backoff: %+v", res)
	}
	// Past the attempt cap it gives up, with a reason the admin sees.
	for range 20 {
		clk.Advance(7 * time.Hour)
		if _, err := h.Sweep(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	got = status(t, env, stuck.ID).Provision
	if got.State != provisioning.Failed || got.Error == "" {
		t.Fatalf("after the cap: %+v", got)
	}
	// Activation is independent of provisioning: the membership still
	// became active when its time came.
	if s := status(t, env, stuck.ID).Status; s != store.StatusActive {
		t.Fatalf("status %s", s)
	}
}

// TestScheduledRunThroughPubSub drives the deployed entry point the way
// Cloud Scheduler does: a message on the schedule topic, pushed to the
// runner's activate-users function (real clock, every organisation).
func TestScheduledRunThroughPubSub(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	m := put(t, env, tn.OrgID, tn.Email("due"), store.StatusPending, time.Now().UTC().Add(-time.Minute), nil)
	ps, err := pubsub.NewClient(t.Context(), env.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	topic := ps.Publisher(manifest.ScheduleTopic("activate-users"))
	defer topic.Stop()
	start := time.Now()
	if _, err := topic.Publish(t.Context(), &pubsub.Message{Data: []byte(`{"job":"activate-users"}`)}).Get(t.Context()); err != nil {
		t.Fatal(err)
	}
	for status(t, env, m.ID).Status != store.StatusActive {
		if time.Since(start) > 30*time.Second {
			t.Fatal("the scheduled run did not activate the due membership within 30 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("scheduled run activated the membership %s after the tick", time.Since(start).Round(time.Millisecond))
}
