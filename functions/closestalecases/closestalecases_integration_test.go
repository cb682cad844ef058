//go:build integration

package closestalecases_test

import (
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/closestalecases"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

const day = 24 * time.Hour

// solved is when support provided the solution: days ahead of the real
// clock, so the stack's own hourly sweep never touches these cases.
func solved() time.Time { return time.Now().UTC().Add(30 * day).Truncate(time.Microsecond) }

type fixture struct {
	t     *testing.T
	st    *store.Store
	org   string
	pkg   *store.Package
	rec   *events.Recorder
	start time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "PLATINUM", "clouddb")
	st := store.New(env.FS())
	pkg, err := st.Package(t.Context(), "PLATINUM")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, org: tn.OrgID, pkg: pkg, rec: &events.Recorder{}, start: solved()}
}

// waitingCase writes a case of priority that support answered and put in
// SOLUTION_PROVIDED at f.start, its clocks derived as the cases function
// derives them.
func (f *fixture) waitingCase(priority string) string {
	f.t.Helper()
	c := &store.Case{OrgID: f.org, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: "slow",
		Description: "slow queries", Priority: priority, State: casestate.SolutionProvided, Open: true, LanguageCode: "en",
		CreatorEmail: "kim@" + f.org + ".example", CreateTime: f.start.Add(-time.Hour), UpdateTime: f.start,
		FirstResponseTime: f.start, SupportHours: "24x7"}
	caseclocks.Update(c, f.pkg, &caseclock.Activity{BySupport: true, State: casestate.SolutionProvided, At: f.start}, false)
	if _, err := f.st.CreateCase(f.t.Context(), c, func(*store.Case) []events.Event { return nil }); err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

func (f *fixture) sweep(now time.Time) closestalecases.Result {
	f.t.Helper()
	res, err := f.trySweep(now)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// trySweep runs one sweep of the fixture's organisation at now (safe to
// call from any goroutine).
func (f *fixture) trySweep(now time.Time) (closestalecases.Result, error) {
	logger := slog.New(slog.DiscardHandler)
	h := &closestalecases.Handler{Store: f.st, Outbox: outbox.New(f.st, f.rec, logger), Clock: clock.NewFake(now),
		Logger: logger, OrgID: f.org, Page: 2}
	return h.Sweep(f.t.Context())
}

func (f *fixture) read(id string) (*store.Case, []*store.Comment) {
	f.t.Helper()
	c, err := f.st.Case(f.t.Context(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	cms, err := f.st.Comments(f.t.Context(), id, nil, 50)
	if err != nil {
		f.t.Fatal(err)
	}
	return c, cms
}

// TestRemindThenClose: one reminder after 3 days (a repeated tick sends no
// second), the close after 7 days with its reason and the close events; a
// P1 case is reminded but stays open.
func TestRemindThenClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p3, p1 := f.waitingCase("P3"), f.waitingCase("P1")

	if res := f.sweep(f.start.Add(2 * day)); res.Reminded+res.Closed != 0 {
		t.Fatalf("day 2: %+v", res)
	}
	if res := f.sweep(f.start.Add(3 * day)); res.Reminded != 2 || res.Closed != 0 {
		t.Fatalf("day 3: %+v, want two reminders", res)
	}
	if res := f.sweep(f.start.Add(3*day + time.Hour)); res.Reminded != 0 || res.Read != 0 {
		t.Fatalf("the next tick: %+v, want nothing read or sent", res)
	}
	c, cms := f.read(p3)
	if len(cms) != 1 || !cms[0].CreatorIsSupport || c.Clocks.ReminderTime.IsZero() || !c.Clocks.AutoCloseTime.Equal(f.start.Add(7*day)) {
		t.Fatalf("after the reminder: %d comments, clocks %+v", len(cms), c.Clocks)
	}
	if res := f.sweep(f.start.Add(7 * day)); res.Closed != 1 {
		t.Fatalf("day 7: %+v, want one close", res)
	}
	if res := f.sweep(f.start.Add(7*day + time.Minute)); res.Closed+res.Reminded != 0 {
		t.Fatalf("a repeated tick on day 7: %+v", res)
	}
	c, cms = f.read(p3)
	if c.State != casestate.Closed || c.Open || c.CloseCount != 1 || len(cms) != 2 || !c.DueTime.IsZero() || !c.Clocks.AutoCloseTime.IsZero() {
		t.Fatalf("after the close: state %s, closeCount %d, %d comments, dueTime %v", c.State, c.CloseCount, len(cms), c.DueTime)
	}
	if got, want := f.rec.ForCase(p3), []string{events.CaseReminded, events.CaseClosed}; !slices.Equal(got, want) {
		t.Errorf("events of the P3 case: %v, want %v", got, want)
	}
	c, cms = f.read(p1)
	if c.State != casestate.SolutionProvided || len(cms) != 1 || !c.Clocks.AutoCloseTime.IsZero() {
		t.Fatalf("P1 case: state %s, %d comments, autoCloseTime %v; want reminded, never closed", c.State, len(cms), c.Clocks.AutoCloseTime)
	}
	// A reopening comment within 30 days is still allowed on the closed case.
	if _, err := casestate.CommentEffect(casestate.Commented{State: c.State, CloseTime: c.CloseTime}, false, f.start.Add(20*day)); err != nil {
		t.Errorf("reopen window: %v", err)
	}
}

// TestConcurrentTicks: two runs at once (Cloud Scheduler's retry, two
// instances) close each case once, with one closing comment each.
func TestConcurrentTicks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ids := []string{f.waitingCase("P2"), f.waitingCase("P3"), f.waitingCase("P4")}
	var wg sync.WaitGroup
	results := make([]closestalecases.Result, 3)
	for i := range results {
		wg.Go(func() { results[i] = f.sweep(f.start.Add(8 * day)) })
	}
	wg.Wait()
	closed := 0
	for _, r := range results {
		closed += r.Closed
	}
	if closed != len(ids) {
		t.Fatalf("closes over three concurrent runs = %d, want %d (%+v)", closed, len(ids), results)
	}
	for _, id := range ids {
		c, cms := f.read(id)
		if c.CloseCount != 1 || len(cms) != 1 {
			t.Errorf("case %s: closeCount %d, %d comments; want 1 and 1", id, c.CloseCount, len(cms))
		}
	}
}

// TestCustomerActedFirst: a customer comment that committed before the
// sweep's transaction stops the clock; the sweep leaves the case alone even
// when it was found due.
func TestCustomerActedFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.waitingCase("P3")
	replied := f.start.Add(6 * day)
	if _, _, err := f.st.MutateCase(t.Context(), id, func(t *store.CaseTx, c *store.Case) (bool, error) {
		c.State, c.UpdateTime = casestate.InProgress, replied
		caseclocks.Update(c, f.pkg, &caseclock.Activity{State: c.State, At: replied}, true)
		return true, t.AddComment(&store.Comment{Body: "still broken", CreateTime: replied, CreatorCapacity: "CUSTOMER"})
	}); err != nil {
		t.Fatal(err)
	}
	if res := f.sweep(f.start.Add(8 * day)); res.Closed+res.Reminded != 0 {
		t.Fatalf("sweep after the customer's reply: %+v", res)
	}
	if c, _ := f.read(id); c.State != casestate.InProgress {
		t.Fatalf("state %s, want IN_PROGRESS_GOOGLE_SUPPORT", c.State)
	}
}

// TestBreachOnce: an unanswered case past its first-response due time is
// recorded as breached once; later ticks do not record it again.
func TestBreachOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &store.Case{OrgID: f.org, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: "down",
		Description: "down", Priority: "P1", State: casestate.New, Open: true, LanguageCode: "en",
		CreateTime: f.start, UpdateTime: f.start, SupportHours: "24x7"}
	caseclocks.Update(c, f.pkg, nil, false)
	if _, err := f.st.CreateCase(t.Context(), c, func(*store.Case) []events.Event { return nil }); err != nil {
		t.Fatal(err)
	}
	due := f.start.Add(time.Duration(f.pkg.Targets["P1"].FirstResponseMinutes) * time.Minute)
	if !c.DueTime.Equal(due) {
		t.Fatalf("dueTime %v, want the first-response due time %v", c.DueTime, due)
	}
	if res := f.sweep(due.Add(-time.Minute)); res.Breached != 0 || res.Read != 0 {
		t.Fatalf("before the due time: %+v", res)
	}
	if res := f.sweep(due.Add(time.Minute)); res.Breached != 1 {
		t.Fatalf("after the due time: %+v, want one breach", res)
	}
	for _, at := range []time.Duration{2 * time.Minute, time.Hour} {
		if res := f.sweep(due.Add(at)); res.Breached != 0 || res.Read != 0 {
			t.Fatalf("%v after the due time: %+v, want nothing", at, res)
		}
	}
	got, _ := f.read(c.ID)
	if !got.Clocks.SLAAlertedClock.Equal(f.start) || !got.DueTime.IsZero() {
		t.Fatalf("stored: alerted clock %v, dueTime %v", got.Clocks.SLAAlertedClock, got.DueTime)
	}
}

// TestBackfill: open cases filed before the clocks existed get them from
// the sweep, a page at a time (page size 2 here), resuming across runs;
// a case waiting on the customer for weeks is reminded first, never closed
// without a word; a closed case is left alone; a repeated pass derives
// nothing twice.
func TestBackfill(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	now := f.start
	legacy := func(state string, created, updated time.Time) string {
		t.Helper()
		c := &store.Case{OrgID: f.org, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: "old",
			Description: "filed before the clocks", Priority: "P2", State: state, Open: casestate.IsOpen(state), LanguageCode: "en",
			CreateTime: created, UpdateTime: updated, SupportHours: "24x7"}
		if state != casestate.New {
			c.FirstResponseTime = created.Add(time.Hour)
		}
		if _, err := f.st.CreateCase(t.Context(), c, func(*store.Case) []events.Event { return nil }); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	solvedLongAgo := legacy(casestate.SolutionProvided, now.Add(-60*day), now.Add(-50*day))
	fresh := legacy(casestate.New, now.Add(-time.Hour), now.Add(-time.Hour))
	inProgress := legacy(casestate.InProgress, now.Add(-3*day), now.Add(-3*day))
	closed := legacy(casestate.Closed, now.Add(-9*day), now.Add(-8*day))

	res := f.sweep(now)
	if res.Backfilled != 3 || res.Reminded+res.Closed != 0 {
		t.Fatalf("first run: %+v, want 3 cases backfilled and nothing sent yet", res)
	}
	c, _ := f.read(solvedLongAgo)
	if !c.DueTime.Equal(now) || !c.Clocks.AutoCloseTime.Equal(now.Add(4*day)) || c.Clocks.Version != caseclocks.Version {
		t.Fatalf("solved 50 days ago: dueTime %v, clocks %+v; want the reminder due now, the close in 4 days", c.DueTime, c.Clocks)
	}
	if c, _ := f.read(fresh); !c.DueTime.Equal(now.Add(3 * time.Hour)) {
		t.Errorf("new case: dueTime %v, want its first-response due time", c.DueTime)
	}
	if c, _ := f.read(inProgress); c.Clocks.Version != caseclocks.Version || !c.DueTime.IsZero() {
		t.Errorf("answered case: clocks %+v, dueTime %v; want derived, nothing due", c.Clocks, c.DueTime)
	}
	if c, _ := f.read(closed); c.Clocks.Version != 0 {
		t.Errorf("closed case derived: %+v", c.Clocks)
	}

	res = f.sweep(now.Add(time.Minute))
	if res.Reminded != 1 || res.Closed != 0 || res.Backfilled != 0 || res.BackfillRead != 0 {
		t.Fatalf("second run: %+v, want the reminder and a finished backfill", res)
	}
	// A new pass (the progress lost) finds every case derived.
	if _, err := f.st.ClockBackfill(t.Context(), f.org); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SaveClockBackfill(t.Context(), f.org, store.BackfillState{}); err != nil {
		t.Fatal(err)
	}
	if res = f.sweep(now.Add(2 * time.Minute)); res.Backfilled != 0 || res.BackfillRead != 3 {
		t.Fatalf("a repeated pass: %+v, want 3 cases read, none derived again", res)
	}
}

// customerComment adds a customer's comment the way the cases function
// does: the comment's state effect (a comment on a case closed within 30
// days reopens it) and the clocks, in one transaction.
func (f *fixture) customerComment(id string, at time.Time) error {
	_, _, err := f.st.MutateCase(f.t.Context(), id, func(t *store.CaseTx, c *store.Case) (bool, error) {
		out, err := casestate.CommentEffect(casestate.Commented{State: c.State, CloseTime: c.CloseTime}, false, at)
		if err != nil {
			return false, err
		}
		if out.NewState != "" {
			c.State, c.Open = out.NewState, casestate.IsOpen(out.NewState)
		}
		if out.Reopen {
			c.ReopenCount++
		}
		c.CommentCount++
		c.UpdateTime = at
		caseclocks.Update(c, f.pkg, &caseclock.Activity{State: c.State, At: at}, true)
		return true, t.AddComment(&store.Comment{Body: "still there", CreateTime: at, CreatorCapacity: "CUSTOMER"})
	})
	return err
}

// TestCustomerReplyRacesSweep: a customer's reply and the sweep's close
// run at the same moment, several times over. Whichever transaction
// commits first, the customer wins: either the sweep sees the stopped
// clock and does nothing, or it closed first and the reply reopens the
// case. Never a closed case with the customer's reply in it.
func TestCustomerReplyRacesSweep(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at := f.start.Add(8 * day)
	for round := range 6 {
		id := f.waitingCase("P3")
		var wg sync.WaitGroup
		var commentErr, sweepErr error
		wg.Go(func() { _, sweepErr = f.trySweep(at) })
		wg.Go(func() { commentErr = f.customerComment(id, at) })
		wg.Wait()
		if commentErr != nil || sweepErr != nil {
			t.Fatalf("round %d: comment: %v; sweep: %v", round, commentErr, sweepErr)
		}
		c, cms := f.read(id)
		if c.State != casestate.InProgress || !c.Open {
			t.Fatalf("round %d: state %s, want the customer's reply to keep the case open", round, c.State)
		}
		switch {
		case c.CloseCount == 0 && len(cms) == 1: // the reply committed first
		case c.CloseCount == 1 && c.ReopenCount == 1 && len(cms) == 2: // closed, then reopened by the reply
		default:
			t.Fatalf("round %d: closeCount %d, reopenCount %d, %d comments", round, c.CloseCount, c.ReopenCount, len(cms))
		}
		if !c.Clocks.AutoCloseTime.IsZero() || !c.Clocks.WaitingSince.IsZero() {
			t.Fatalf("round %d: the waiting clock still runs after the reply: %+v", round, c.Clocks)
		}
	}
}

// TestBreachAlertOncePerClockRun: the breach event goes out once; a
// priority change that moves the breached clock's due time raises none; a
// new run of the clock (support answered, the customer wrote again) that
// breaches raises a second one, with its own due time.
func TestBreachAlertOncePerClockRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := &store.Case{OrgID: f.org, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: "down",
		Description: "down", Priority: "P2", State: casestate.New, Open: true, LanguageCode: "en",
		CreateTime: f.start, UpdateTime: f.start, SupportHours: "24x7"}
	caseclocks.Update(c, f.pkg, nil, false)
	if _, err := f.st.CreateCase(t.Context(), c, func(*store.Case) []events.Event { return nil }); err != nil {
		t.Fatal(err)
	}
	mutate := func(fn func(c *store.Case)) {
		t.Helper()
		if _, _, err := f.st.MutateCase(t.Context(), c.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
			fn(c)
			return true, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	p2 := time.Duration(f.pkg.Targets["P2"].FirstResponseMinutes) * time.Minute
	if res := f.sweep(f.start.Add(p2 + time.Minute)); res.Breached != 1 {
		t.Fatalf("past the P2 due time: %+v", res)
	}
	// Support raises the priority to P1: the due time moves earlier, the
	// same run stays breached; no second alert, nothing due.
	mutate(func(c *store.Case) { c.Priority = "P1"; caseclocks.Update(c, f.pkg, nil, false) })
	if got, _ := f.read(c.ID); !got.DueTime.IsZero() {
		t.Fatalf("after the priority change: dueTime %v, want nothing due", got.DueTime)
	}
	if res := f.sweep(f.start.Add(p2 + 2*time.Minute)); res.Breached != 0 {
		t.Fatalf("after the priority change: %+v, want no second alert", res)
	}
	// Support answers, the customer writes again: a new run.
	answered, wrote := f.start.Add(p2+time.Hour), f.start.Add(p2+2*time.Hour)
	mutate(func(c *store.Case) {
		c.State = casestate.InProgress
		caseclocks.Update(c, f.pkg, &caseclock.Activity{BySupport: true, State: c.State, At: answered}, true)
	})
	if err := f.customerComment(c.ID, wrote); err != nil {
		t.Fatal(err)
	}
	next := time.Duration(f.pkg.Targets["P1"].NextResponseMinutes) * time.Minute
	if res := f.sweep(wrote.Add(next + time.Minute)); res.Breached != 1 {
		t.Fatalf("the next response breached: %+v, want a second alert", res)
	}
	if got := f.rec.ForCase(c.ID); !slices.Equal(got, []string{events.CaseSLABreached, events.CaseSLABreached}) {
		t.Fatalf("events %v, want two breach alerts", got)
	}
	var dues []time.Time
	for _, e := range f.rec.Events() {
		if e.CaseID == c.ID {
			dues = append(dues, e.DueTime)
		}
	}
	if len(dues) != 2 || !dues[0].Equal(f.start.Add(p2)) || !dues[1].Equal(wrote.Add(next)) {
		t.Errorf("breach due times %v, want %v and %v", dues, f.start.Add(p2), wrote.Add(next))
	}
}
