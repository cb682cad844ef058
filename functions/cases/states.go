package cases

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The case lifecycle (issue 3):
//
//	NEW ─► IN_PROGRESS_GOOGLE_SUPPORT ⇄ ACTION_REQUIRED
//	              │  ▲                      │
//	              ▼  │                      ▼
//	          SOLUTION_PROVIDED ◄───────────┘
//	any open state ─(customer :close)─► CLOSED ─(customer comment ≤ 30 days)─► IN_PROGRESS_GOOGLE_SUPPORT
//
// Support staff move cases between the working states (PATCH with "state"
// in updateMask, our extension); customers close; a customer's (or
// reseller's) comment on ACTION_REQUIRED or SOLUTION_PROVIDED hands the
// case back to support, and on a recently CLOSED case reopens it. A support
// comment on a NEW case means support picked it up (IN_PROGRESS).

// ReopenWindow is how long after closing a comment still reopens a case.
const ReopenWindow = 30 * 24 * time.Hour

// staffTargets are the states support may set, with the states each may be
// entered from.
var staffTargets = map[string][]string{
	store.StateInProgress:       {store.StateNew, store.StateActionRequired, store.StateSolutionProvided},
	store.StateActionRequired:   {store.StateInProgress},
	store.StateSolutionProvided: {store.StateInProgress, store.StateActionRequired},
}

// staffMove checks a support move from → to. Moving to the current state is
// allowed (a no-op).
func staffMove(from, to string) error {
	if from == to && from != store.StateClosed {
		return nil
	}
	switch to {
	case store.StateNew:
		return apierror.FailedPrecondition("a case cannot be moved back to NEW")
	case store.StateClosed:
		return apierror.FailedPrecondition("only the customer closes a case (with :close)")
	}
	if from == store.StateClosed {
		return apierror.FailedPrecondition("the case is closed; it reopens when the customer comments within %d days of closing", int(ReopenWindow.Hours()/24))
	}
	allowed, ok := staffTargets[to]
	if !ok {
		return apierror.InvalidArgument("unknown state %q", to)
	}
	for _, f := range allowed {
		if f == from {
			return nil
		}
	}
	return apierror.FailedPrecondition("a case cannot move from %s to %s (allowed from: %v)", from, to, allowed)
}

// closeCheck checks that a customer may close a case in state from.
func closeCheck(from string) error {
	if from == store.StateClosed {
		return apierror.FailedPrecondition("the case is already closed")
	}
	return nil
}

// commentOutcome is what a comment does to a case's state.
type commentOutcome struct {
	NewState string // "" = unchanged
	Reopen   bool
}

// commentEffect decides the state change a comment causes, or refuses the
// comment (closed too long ago; support commenting on a closed case).
func commentEffect(c *store.Case, bySupport bool, now time.Time) (commentOutcome, error) {
	switch c.State {
	case store.StateClosed:
		if bySupport {
			return commentOutcome{}, apierror.FailedPrecondition("the case is closed; only the customer can reopen it by commenting")
		}
		if now.Sub(c.CloseTime) > ReopenWindow {
			return commentOutcome{}, apierror.FailedPrecondition(
				"this case was closed on %s, more than %d days ago, and can no longer be reopened; "+
					"please open a new case and reference this one (previousCaseName: %q)",
				c.CloseTime.UTC().Format("2006-01-02"), int(ReopenWindow.Hours()/24), wire.CaseName(c.OrgID, c.ID))
		}
		return commentOutcome{NewState: store.StateInProgress, Reopen: true}, nil
	case store.StateNew:
		if bySupport {
			return commentOutcome{NewState: store.StateInProgress}, nil
		}
	case store.StateActionRequired, store.StateSolutionProvided:
		if !bySupport {
			return commentOutcome{NewState: store.StateInProgress}, nil
		}
	}
	return commentOutcome{}, nil
}
