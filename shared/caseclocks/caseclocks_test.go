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
