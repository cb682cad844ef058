package caseclock

import (
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func TestWaitingApply(t *testing.T) {
	t.Parallel()
	running := Waiting{Since: t0, ReminderTime: t0.Add(3 * day)}
	at := t0.Add(4 * day)
	tests := []struct {
		name string
		from Waiting
		a    Activity
		want Waiting
	}{
		{"support provides a solution: starts", Waiting{}, Activity{BySupport: true, State: casestate.SolutionProvided, At: t0}, Waiting{Since: t0}},
		{"support asks for action: starts", Waiting{}, Activity{BySupport: true, State: casestate.ActionRequired, At: t0}, Waiting{Since: t0}},
		{"support comments again while waiting: restarts and forgets the reminder", running, Activity{BySupport: true, State: casestate.ActionRequired, At: at}, Waiting{Since: at}},
		{"customer comment: stops", running, Activity{State: casestate.InProgress, At: at}, Waiting{}},
		{"customer attachment (state unchanged): stops", running, Activity{State: casestate.SolutionProvided, At: at}, Waiting{}},
		{"customer closes: stops", running, Activity{State: casestate.Closed, At: at}, Waiting{}},
		{"support takes it back to work: stops", running, Activity{BySupport: true, State: casestate.InProgress, At: at}, Waiting{}},
		{"support comments on a new case: stays stopped", Waiting{}, Activity{BySupport: true, State: casestate.InProgress, At: at}, Waiting{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.from.Apply(tt.a); got != tt.want {
				t.Errorf("Apply = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPlanFor(t *testing.T) {
	t.Parallel()
	waiting := Waiting{Since: t0}
	reminded := Waiting{Since: t0, ReminderTime: t0.Add(3 * day)}
	tests := []struct {
		name, state, priority string
		w                     Waiting
		win                   Windows
		want                  Plan
	}{
		{"defaults", casestate.SolutionProvided, "P3", waiting, Windows{}, Plan{ReminderDue: t0.Add(3 * day), CloseDue: t0.Add(7 * day)}},
		{"reminded: only the close is left", casestate.ActionRequired, "P2", reminded, Windows{}, Plan{CloseDue: t0.Add(7 * day)}},
		{"P0 is reminded, never closed", casestate.ActionRequired, "P0", waiting, Windows{}, Plan{ReminderDue: t0.Add(3 * day)}},
		{"P1 is reminded, never closed", casestate.SolutionProvided, "P1", waiting, Windows{}, Plan{ReminderDue: t0.Add(3 * day)}},
		{"P1 after its reminder: nothing", casestate.SolutionProvided, "P1", reminded, Windows{}, Plan{}},
		{"package switched off", casestate.SolutionProvided, "P3", waiting, Windows{Off: true}, Plan{}},
		{"package windows", casestate.SolutionProvided, "P4", waiting, Windows{Reminder: 5 * day, Close: 10 * day}, Plan{ReminderDue: t0.Add(5 * day), CloseDue: t0.Add(10 * day)}},
		{"a reminder window past the close is cut to it", casestate.SolutionProvided, "P4", waiting, Windows{Reminder: 9 * day, Close: 2 * day}, Plan{ReminderDue: t0.Add(2 * day), CloseDue: t0.Add(2 * day)}},
		{"clock stopped", casestate.SolutionProvided, "P3", Waiting{}, Windows{}, Plan{}},
		{"not a waiting state", casestate.InProgress, "P3", waiting, Windows{}, Plan{}},
		{"closed", casestate.Closed, "P3", waiting, Windows{}, Plan{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PlanFor(tt.state, tt.priority, tt.w, tt.win); got != tt.want {
				t.Errorf("PlanFor = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPlanNextAndDue(t *testing.T) {
	t.Parallel()
	full := Plan{ReminderDue: t0.Add(3 * day), CloseDue: t0.Add(7 * day)}
	tests := []struct {
		name     string
		p        Plan
		now      time.Time
		want     Action
		wantNext time.Time
	}{
		{"before the reminder", full, t0.Add(2 * day), None, t0.Add(3 * day)},
		{"at the reminder", full, t0.Add(3 * day), Remind, t0.Add(3 * day)},
		{"past both: close, not remind", full, t0.Add(8 * day), Close, t0.Add(3 * day)},
		{"reminded, before the close", Plan{CloseDue: t0.Add(7 * day)}, t0.Add(5 * day), None, t0.Add(7 * day)},
		{"reminded, at the close", Plan{CloseDue: t0.Add(7 * day)}, t0.Add(7 * day), Close, t0.Add(7 * day)},
		{"P1: only the reminder", Plan{ReminderDue: t0.Add(3 * day)}, t0.Add(30 * day), Remind, t0.Add(3 * day)},
		{"nothing scheduled", Plan{}, t0.Add(30 * day), None, time.Time{}},
	}
	for _, tt := range tests {
		if got := tt.p.Due(tt.now); got != tt.want {
			t.Errorf("%s: Due = %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.p.Next(); !got.Equal(tt.wantNext) {
			t.Errorf("%s: Next = %v, want %v", tt.name, got, tt.wantNext)
		}
	}
}

// TestWaitingStory plays a case through a fake clock: solution provided,
// reminded on day 3, the customer answers on day 5 (the clock stops, the
// close is off), support provides another solution, and the case closes 7
// days after that.
func TestWaitingStory(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(t0)
	state, w := casestate.SolutionProvided, Waiting{}.Apply(Activity{BySupport: true, State: casestate.SolutionProvided, At: clk.Now()})
	sweep := func() Action { return PlanFor(state, "P3", w, Windows{}).Due(clk.Now()) }

	clk.Set(t0.Add(3*day - time.Minute))
	if a := sweep(); a != None {
		t.Fatalf("a minute before the reminder window: %v", a)
	}
	clk.Set(t0.Add(3 * day))
	if a := sweep(); a != Remind {
		t.Fatalf("day 3: %v, want Remind", a)
	}
	w.ReminderTime = clk.Now()
	if a := sweep(); a != None {
		t.Fatalf("a second tick on day 3: %v, want None (one reminder)", a)
	}
	clk.Set(t0.Add(5 * day))
	state = casestate.InProgress
	w = w.Apply(Activity{State: state, At: clk.Now()})
	clk.Set(t0.Add(8 * day))
	if a := sweep(); a != None {
		t.Fatalf("day 8 after the customer answered: %v, want None", a)
	}
	restart := clk.Now()
	state = casestate.SolutionProvided
	w = w.Apply(Activity{BySupport: true, State: state, At: restart})
	if p := PlanFor(state, "P3", w, Windows{}); !p.CloseDue.Equal(restart.Add(7 * day)) {
		t.Fatalf("autoCloseTime after the restart = %v, want %v", p.CloseDue, restart.Add(7*day))
	}
	clk.Set(restart.Add(7 * day))
	if a := sweep(); a != Close {
		t.Fatalf("7 days after the new solution: %v, want Close", a)
	}
}

func TestNextDue(t *testing.T) {
	t.Parallel()
	plan := Plan{ReminderDue: t0.Add(3 * day), CloseDue: t0.Add(7 * day)}
	sla := SLA{DueTime: t0.Add(time.Hour), Start: t0}
	moved := SLA{DueTime: t0.Add(30 * time.Minute), Start: t0} // the same clock after a priority change
	tests := []struct {
		name    string
		p       Plan
		s       SLA
		alerted time.Time
		want    time.Time
	}{
		{"nothing", Plan{}, SLA{}, time.Time{}, time.Time{}},
		{"the SLA comes first", plan, sla, time.Time{}, t0.Add(time.Hour)},
		{"an alerted breach is not due again", plan, sla, t0, t0.Add(3 * day)},
		{"a priority change moves an alerted clock's due time: still alerted", plan, moved, t0, t0.Add(3 * day)},
		{"a new clock run after an alerted one is due", plan, SLA{DueTime: t0.Add(5 * time.Hour), Start: t0.Add(4 * time.Hour)}, t0, t0.Add(5 * time.Hour)},
		{"only the SLA", Plan{}, sla, time.Time{}, t0.Add(time.Hour)},
		{"only the plan", plan, SLA{}, time.Time{}, t0.Add(3 * day)},
	}
	for _, tt := range tests {
		if got := NextDue(tt.p, tt.s, tt.alerted); !got.Equal(tt.want) {
			t.Errorf("%s: NextDue = %v, want %v", tt.name, got, tt.want)
		}
	}
	if w := WindowsOf(false, 5, 10); w.Reminder != 5*day || w.Close != 10*day {
		t.Errorf("WindowsOf(5, 10) = %+v", w)
	}
}
