// Package caseclocks applies the rules of package caseclock to stored
// cases: it reads a store.Case and its organisation's store.Package, asks
// caseclock what the clocks say, and writes the derived fields back on the
// case (autoCloseTime, the SLA due times, dueTime — what the sweep
// queries — and the version of the rules that derived them). The cases function and the close-stale-cases sweep both call
// it, so the mapping lives once.
package caseclocks

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Version is the version of the rules Update applies, stored on every case
// it derives (store.CaseClocks.Version). Raise it when a rule change needs
// every open case derived again: the sweep's backfill then visits them.
const Version = 1

// Update re-derives c's clocks after act, a comment (comment true),
// attachment or state change; act nil means only the inputs changed (a
// priority change, a reminder sent, a breach alerted) and the due times
// are computed again.
func Update(c *store.Case, pkg *store.Package, act *caseclock.Activity, comment bool) {
	w := Waiting(c)
	r := Responses(c)
	if act != nil {
		w = w.Apply(*act)
		if comment {
			r = r.Respond(act.BySupport, act.At)
		}
	}
	c.Clocks.WaitingSince, c.Clocks.ReminderTime = w.Since, w.ReminderTime
	c.FirstResponseTime, c.Clocks.AwaitingSince = r.FirstResponseTime, r.AwaitingSince
	c.Clocks.Version = Version
	if !c.Open {
		c.Clocks.AutoCloseTime, c.Clocks.SLADueTime, c.Clocks.SLADueSoonTime, c.DueTime = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		return
	}
	plan := Plan(c, pkg)
	s := SLA(c, pkg, c.UpdateTime)
	c.Clocks.AutoCloseTime, c.Clocks.SLADueTime, c.Clocks.SLADueSoonTime = plan.CloseDue, s.DueTime, s.DueSoonTime
	c.DueTime = caseclock.NextDue(plan, s, c.Clocks.SLAAlertedClock)
}

// StoredState is c's SLA state at now from its stored due times, the
// state the support queue filters on (no package read: the stored times
// were derived from it at the case's last change). MET when no response
// clock runs or the case is closed.
func StoredState(c *store.Case, now time.Time) string {
	switch {
	case !c.Open || c.Clocks.SLADueTime.IsZero():
		return caseclock.Met
	case now.After(c.Clocks.SLADueTime):
		return caseclock.Breached
	case !c.Clocks.SLADueSoonTime.IsZero() && !now.Before(c.Clocks.SLADueSoonTime):
		return caseclock.DueSoon
	}
	return caseclock.OnTrack
}

// Waiting is c's waiting-on-customer clock.
func Waiting(c *store.Case) caseclock.Waiting {
	return caseclock.Waiting{Since: c.Clocks.WaitingSince, ReminderTime: c.Clocks.ReminderTime}
}

// Responses are c's SLA clock starts.
func Responses(c *store.Case) caseclock.Responses {
	return caseclock.Responses{CreateTime: c.CreateTime, FirstResponseTime: c.FirstResponseTime, AwaitingSince: c.Clocks.AwaitingSince}
}

// Plan is what the waiting clock has scheduled for c.
func Plan(c *store.Case, pkg *store.Package) caseclock.Plan {
	return caseclock.PlanFor(c.State, c.Priority, Waiting(c), Windows(pkg))
}

// SLA is c's SLA at now.
func SLA(c *store.Case, pkg *store.Package, now time.Time) caseclock.SLA {
	return caseclock.Compute(Responses(c), Target(c, pkg), Calendar(c), now)
}

// Windows are pkg's waiting-on-customer windows (defaults when pkg is nil).
func Windows(pkg *store.Package) caseclock.Windows {
	if pkg == nil {
		return caseclock.Windows{}
	}
	return caseclock.WindowsOf(pkg.AutoClose.Off, pkg.AutoClose.ReminderDays, pkg.AutoClose.CloseDays)
}

// Target is pkg's response target for c's priority (none when pkg is nil).
func Target(c *store.Case, pkg *store.Package) caseclock.Target {
	if pkg == nil {
		return caseclock.Target{}
	}
	t := pkg.Targets[c.Priority]
	return caseclock.Target{FirstResponse: time.Duration(t.FirstResponseMinutes) * time.Minute,
		NextResponse: time.Duration(t.NextResponseMinutes) * time.Minute}
}

// Calendar reads c's support hours; hours that do not parse count as
// 24x7, which never understates how late support is.
func Calendar(c *store.Case) caseclock.Calendar {
	cal, _ := caseclock.CalendarOrAlways(c.SupportHours)
	return cal
}

// Attached is what an attachment that became READY at does to its case
// (store.AttachmentCheck.OnReady): a customer's attachment stops the
// waiting-on-customer clock like a comment does (the case's autoCloseTime
// goes away). Support's attachments do not touch the clocks (support's
// clock starts at its comments and state changes), so nil: the case is not
// even read. The function reports whether it changed the case.
func Attached(pkg *store.Package, bySupport bool, at time.Time) func(*store.Case) bool {
	if bySupport {
		return nil
	}
	return func(c *store.Case) bool {
		if !c.Open || c.Clocks.WaitingSince.IsZero() {
			return false
		}
		c.UpdateTime = at
		Update(c, pkg, &caseclock.Activity{State: c.State, At: at}, false)
		return true
	}
}

// Backfill derives the clocks of an open case that has none yet (or older
// ones than Version): a case filed before the clocks existed. newest are
// its newest comments, newest first (enough to find what awaits support;
// may be nil), now the backfill's time. What it cannot know it takes
// conservatively:
//   - a case waiting on the customer starts its clock at its last update,
//     but no earlier than one reminder window before now: the customer is
//     reminded first and the close follows a full window later, never a
//     close without a word;
//   - a next response awaits support when the newest comments end with the
//     customer's (from the first of those);
//   - a response clock already past its due time counts as alerted: the
//     queue shows it BREACHED, but no alert floods the team about breaches
//     from before the clocks existed.
func Backfill(c *store.Case, pkg *store.Package, newest []*store.Comment, now time.Time) {
	if c.FirstResponseTime.IsZero() {
		for _, cm := range newest {
			if cm.CreatorIsSupport && cm.CreatorCapacity != "SYSTEM" {
				c.FirstResponseTime = cm.CreateTime // the oldest support comment seen
			}
		}
	}
	if !c.FirstResponseTime.IsZero() && c.Clocks.AwaitingSince.IsZero() {
		for _, cm := range newest {
			if cm.CreatorIsSupport {
				break
			}
			c.Clocks.AwaitingSince = cm.CreateTime
		}
	}
	if caseclock.WaitingState(c.State) && c.Clocks.WaitingSince.IsZero() {
		c.Clocks.WaitingSince = maxTime(c.UpdateTime, now.Add(-Windows(pkg).ReminderAfter()))
	}
	if s := SLA(c, pkg, now); s.State == caseclock.Breached {
		c.Clocks.SLAAlertedClock = s.Start
	}
	Update(c, pkg, nil, false)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
