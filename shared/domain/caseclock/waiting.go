package caseclock

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
)

// Default windows of the waiting-on-customer clock.
const (
	DefaultReminderWindow = 3 * 24 * time.Hour
	DefaultCloseWindow    = 7 * 24 * time.Hour
)

// Windows are a package's waiting-on-customer windows, both counted from
// the start of the clock. Off switches reminders and automatic closing off.
type Windows struct {
	Off      bool
	Reminder time.Duration // 0 = DefaultReminderWindow
	Close    time.Duration // 0 = DefaultCloseWindow
}

// reminder and closeAfter apply the defaults; a reminder window at or past
// the close window would remind after the close, so it is cut to the close.
func (w Windows) reminder() time.Duration {
	r := w.Reminder
	if r <= 0 {
		r = DefaultReminderWindow
	}
	return min(r, w.closeAfter())
}

// ReminderAfter is the reminder window in effect (defaults applied).
func (w Windows) ReminderAfter() time.Duration { return w.reminder() }

func (w Windows) closeAfter() time.Duration {
	if w.Close <= 0 {
		return DefaultCloseWindow
	}
	return w.Close
}

// WaitingState reports whether a case in state waits on the customer.
func WaitingState(state string) bool {
	return state == casestate.ActionRequired || state == casestate.SolutionProvided
}

// NeverAutoClose reports whether cases of priority are exempt from the
// automatic close (they still get the reminder): P0 and P1.
func NeverAutoClose(priority string) bool { return priority == "P0" || priority == "P1" }

// Waiting is the stored state of the waiting-on-customer clock.
type Waiting struct {
	Since        time.Time // zero = the clock is stopped
	ReminderTime time.Time // when the reminder for this run of the clock went out
}

// Activity is something that happened on a case.
type Activity struct {
	BySupport bool
	// State is the case's state after the activity.
	State string
	At    time.Time
}

// Apply returns the clock after an activity: support's comment or state
// change into a waiting state (re)starts it; anything else support does
// to a case that is not waiting stops it; anything the customer does
// (comment, attachment, state change) stops it. A restart forgets the
// earlier reminder: the new wait gets its own.
func (w Waiting) Apply(a Activity) Waiting {
	if a.BySupport && WaitingState(a.State) {
		return Waiting{Since: a.At}
	}
	return Waiting{}
}

// Plan is what the waiting clock has scheduled; zero times mean nothing.
type Plan struct {
	ReminderDue time.Time // zero once the reminder went out
	CloseDue    time.Time // the case's autoCloseTime
}

// Next returns the earlier of the plan's due times (zero when none), the
// time a sweep must next look at the case.
func (p Plan) Next() time.Time {
	switch {
	case p.ReminderDue.IsZero():
		return p.CloseDue
	case p.CloseDue.IsZero() || p.ReminderDue.Before(p.CloseDue):
		return p.ReminderDue
	}
	return p.CloseDue
}

// PlanFor returns what is scheduled for a case in state with priority,
// its clock w and its package's windows.
func PlanFor(state, priority string, w Waiting, win Windows) Plan {
	if win.Off || w.Since.IsZero() || !WaitingState(state) {
		return Plan{}
	}
	var p Plan
	if w.ReminderTime.IsZero() {
		p.ReminderDue = w.Since.Add(win.reminder())
	}
	if !NeverAutoClose(priority) {
		p.CloseDue = w.Since.Add(win.closeAfter())
	}
	return p
}

// Action is what a sweep does to a case.
type Action int

// Actions of a sweep.
const (
	None Action = iota
	Remind
	Close
)

// Due decides what a sweep at now does. Close wins over a reminder that is
// also due (a case found after the close window is closed, with the
// closing comment saying why, rather than reminded and closed at once).
func (p Plan) Due(now time.Time) Action {
	switch {
	case !p.CloseDue.IsZero() && !now.Before(p.CloseDue):
		return Close
	case !p.ReminderDue.IsZero() && !now.Before(p.ReminderDue):
		return Remind
	}
	return None
}

// WindowsOf builds a package's windows from whole days (0 = default).
func WindowsOf(off bool, reminderDays, closeDays int) Windows {
	return Windows{Off: off, Reminder: time.Duration(reminderDays) * 24 * time.Hour, Close: time.Duration(closeDays) * 24 * time.Hour}
}

// NextDue is the earliest time a sweep must look at a case: the waiting
// plan's next due time or the running SLA clock's due time, unless that
// clock's breach was already alerted (alerted is the Start of the clock
// whose breach was). Zero when nothing is due.
func NextDue(p Plan, s SLA, alerted time.Time) time.Time {
	next := p.Next()
	if sla := s.DueTime; !sla.IsZero() && !Alerted(s, alerted) && (next.IsZero() || sla.Before(next)) {
		next = sla
	}
	return next
}

// Alerted reports whether the breach of s's running clock was alerted:
// alerted is the Start of the clock whose breach was.
func Alerted(s SLA, alerted time.Time) bool {
	return !s.Start.IsZero() && s.Start.Equal(alerted)
}

// BreachToAlert reports whether s is a breach not yet alerted.
func BreachToAlert(s SLA, alerted time.Time) bool {
	return s.State == Breached && !Alerted(s, alerted)
}
