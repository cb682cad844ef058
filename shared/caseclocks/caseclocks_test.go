package caseclocks

import (
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC) // a Friday
	pkg := &store.Package{Targets: map[string]store.Target{"P2": {FirstResponseMinutes: 240, NextResponseMinutes: 480}}}
	off := &store.Package{Targets: pkg.Targets, AutoClose: store.AutoClose{Off: true}}
	solved := &caseclock.Activity{BySupport: true, State: casestate.SolutionProvided, At: t0.Add(time.Hour)}
	tests := []struct {
		name             string
		state, hours     string
		pkg              *store.Package
		act              *caseclock.Activity
		comment          bool
		wantDue, wantAut time.Time
	}{
		{"new case: the first-response due time", casestate.New, "24x7", pkg, nil, false, t0.Add(4 * time.Hour), time.Time{}},
		{"business hours: due Monday", casestate.New, "Mon-Fri 09:00-12:00 UTC", pkg, nil, false,
			time.Date(2026, 3, 9, 11, 0, 0, 0, time.UTC), time.Time{}},
		{"hours that do not parse count as 24x7", casestate.New, "whenever", pkg, nil, false, t0.Add(4 * time.Hour), time.Time{}},
		{"support answers with a solution: reminder due, close scheduled", casestate.SolutionProvided, "24x7", pkg, solved, true,
			t0.Add(time.Hour + 3*24*time.Hour), t0.Add(time.Hour + 7*24*time.Hour)},
		{"package switched off: nothing scheduled", casestate.SolutionProvided, "24x7", off, solved, true, time.Time{}, time.Time{}},
		{"closed: nothing due", casestate.Closed, "24x7", pkg, &caseclock.Activity{State: casestate.Closed, At: t0}, false, time.Time{}, time.Time{}},
		{"no package: no targets, default windows", casestate.SolutionProvided, "24x7", nil, solved, false,
			t0.Add(time.Hour + 3*24*time.Hour), t0.Add(time.Hour + 7*24*time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &store.Case{State: tt.state, Open: casestate.IsOpen(tt.state), Priority: "P2", CreateTime: t0, UpdateTime: t0, SupportHours: tt.hours}
			Update(c, tt.pkg, tt.act, tt.comment)
			if !c.DueTime.Equal(tt.wantDue) || !c.Clocks.AutoCloseTime.Equal(tt.wantAut) {
				t.Errorf("dueTime %v, autoCloseTime %v; want %v, %v", c.DueTime, c.Clocks.AutoCloseTime, tt.wantDue, tt.wantAut)
			}
		})
	}
}

// TestBackfill: a case filed before the clocks existed gets them, with the
// conservative choices Backfill documents.
func TestBackfill(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)
	pkg := &store.Package{Targets: map[string]store.Target{"P2": {FirstResponseMinutes: 240, NextResponseMinutes: 480}}}
	support := func(at time.Time) *store.Comment {
		return &store.Comment{CreateTime: at, CreatorIsSupport: true, CreatorCapacity: "SUPPORT"}
	}
	customer := func(at time.Time) *store.Comment { return &store.Comment{CreateTime: at, CreatorCapacity: "CUSTOMER"} }
	day := 24 * time.Hour
	tests := []struct {
		name   string
		c      store.Case
		newest []*store.Comment
		check  func(c *store.Case) string
	}{
		{"solved long ago: reminded now, closed a full window later", store.Case{State: casestate.SolutionProvided,
			CreateTime: now.Add(-60 * day), UpdateTime: now.Add(-50 * day), FirstResponseTime: now.Add(-59 * day)}, nil,
			func(c *store.Case) string {
				if !c.DueTime.Equal(now) || !c.Clocks.AutoCloseTime.Equal(now.Add(4*day)) {
					return "want the reminder due now and the close 4 days later"
				}
				return ""
			}},
		{"solved yesterday: the clock starts at the last update", store.Case{State: casestate.ActionRequired,
			CreateTime: now.Add(-3 * day), UpdateTime: now.Add(-day), FirstResponseTime: now.Add(-2 * day)}, nil,
			func(c *store.Case) string {
				if !c.Clocks.WaitingSince.Equal(now.Add(-day)) || !c.Clocks.AutoCloseTime.Equal(now.Add(6*day)) {
					return "want the clock from the last update"
				}
				return ""
			}},
		{"the customer wrote last: a next response awaits, breached long ago, counted as alerted", store.Case{State: casestate.InProgress,
			CreateTime: now.Add(-10 * day), UpdateTime: now.Add(-5 * day)},
			[]*store.Comment{customer(now.Add(-5 * day)), customer(now.Add(-6 * day)), support(now.Add(-7 * day)), support(now.Add(-9 * day))},
			func(c *store.Case) string {
				if !c.FirstResponseTime.Equal(now.Add(-9*day)) || !c.Clocks.AwaitingSince.Equal(now.Add(-6*day)) {
					return "want the first response and the awaited comment from the thread"
				}
				if !c.Clocks.SLAAlertedClock.Equal(c.Clocks.AwaitingSince) || !c.DueTime.IsZero() {
					return "want the old breach counted as alerted and nothing due"
				}
				if StoredState(c, now) != caseclock.Breached {
					return "want the queue to show BREACHED"
				}
				return ""
			}},
		{"a new case still on time", store.Case{State: casestate.New, CreateTime: now.Add(-time.Hour), UpdateTime: now.Add(-time.Hour)}, nil,
			func(c *store.Case) string {
				if !c.DueTime.Equal(now.Add(3*time.Hour)) || !c.Clocks.SLAAlertedClock.IsZero() {
					return "want the first-response due time, not alerted"
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.c
			c.Open, c.Priority, c.SupportHours = true, "P2", "24x7"
			Backfill(&c, pkg, tt.newest, now)
			if msg := tt.check(&c); msg != "" {
				t.Errorf("%s; got clocks %+v, dueTime %v, firstResponse %v", msg, c.Clocks, c.DueTime, c.FirstResponseTime)
			}
			if c.Clocks.Version != Version {
				t.Errorf("version %d, want %d", c.Clocks.Version, Version)
			}
		})
	}
}
