// Package casestate holds the rules of a support case's life: its states
// and priorities, who may move it from one state to another, what a
// comment does to it, and the 30-day window in which a customer's comment
// reopens a closed case.
//
//	NEW ─► IN_PROGRESS_GOOGLE_SUPPORT ⇄ ACTION_REQUIRED
//	              │  ▲                      │
//	              ▼  │                      ▼
//	          SOLUTION_PROVIDED ◄───────────┘
//	any open state ─(customer :close)─► CLOSED ─(customer comment ≤ 30 days)─► IN_PROGRESS_GOOGLE_SUPPORT
//
// Support staff move cases between the working states; customers close; a
// customer's (or reseller's) comment on ACTION_REQUIRED or
// SOLUTION_PROVIDED hands the case back to support, and on a recently
// CLOSED case reopens it. A support comment on a NEW case means support
// picked it up (IN_PROGRESS_GOOGLE_SUPPORT).
//
// The package is pure: callers read the case, ask here, and write what the
// answer says. Refusals are apierror FAILED_PRECONDITION (or
// INVALID_ARGUMENT for an unknown state), ready to send to the client.
package casestate

import (
	"slices"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// Case states, spelled as Cloud Support API v2's Case.State names.
const (
	New              = "NEW"
	InProgress       = "IN_PROGRESS_GOOGLE_SUPPORT" // support is working on it
	ActionRequired   = "ACTION_REQUIRED"            // waiting on the customer
	SolutionProvided = "SOLUTION_PROVIDED"
	Closed           = "CLOSED"
)

// States lists every state in Cloud Support API order.
var States = []string{New, InProgress, ActionRequired, SolutionProvided, Closed}

// Priorities lists the case priorities, most urgent first, as Cloud
// Support API v2's Case.Priority names: P0 service down, P1 unusable, P2
// severely impaired, P3 moderately impaired, P4 general question.
var Priorities = []string{"P0", "P1", "P2", "P3", "P4"}

// IsOpen reports whether a case in state is open (anything but CLOSED).
func IsOpen(state string) bool { return state != Closed }

// ValidPriority reports whether p is one of Priorities.
func ValidPriority(p string) bool { return slices.Contains(Priorities, p) }

// ReopenWindow is how long after closing a customer's comment still
// reopens a case; after it, the customer files a new case that refers to
// the old one.
const ReopenWindow = 30 * 24 * time.Hour

// ReopenWindowDays is ReopenWindow in days, for messages and e-mails.
const ReopenWindowDays = int(ReopenWindow / (24 * time.Hour))

// staffTargets are the states support may set, with the states each may be
// entered from.
var staffTargets = map[string][]string{
	InProgress:       {New, ActionRequired, SolutionProvided},
	ActionRequired:   {InProgress},
	SolutionProvided: {InProgress, ActionRequired},
}

// StaffMove checks that support staff may move a case from → to. Moving
// to the current state is allowed (a no-op), except on a closed case.
func StaffMove(from, to string) error {
	if from == to && from != Closed {
		return nil
	}
	switch to {
	case New:
		return apierror.FailedPrecondition("a case cannot be moved back to NEW")
	case Closed:
		return apierror.FailedPrecondition("only the customer closes a case (with :close)")
	}
	if from == Closed {
		return apierror.FailedPrecondition("the case is closed; it reopens when the customer comments within %d days of closing", ReopenWindowDays)
	}
	allowed, ok := staffTargets[to]
	if !ok {
		return apierror.InvalidArgument("unknown state %q", to)
	}
	if slices.Contains(allowed, from) {
		return nil
	}
	return apierror.FailedPrecondition("a case cannot move from %s to %s (allowed from: %v)", from, to, allowed)
}

// CheckClose checks that a case in state from may be closed.
func CheckClose(from string) error {
	if from == Closed {
		return apierror.FailedPrecondition("the case is already closed")
	}
	return nil
}

// CheckEdit checks that the fields of a case in state may be edited
// (title, priority, subscribers): not once it is closed.
func CheckEdit(state string) error {
	if state == Closed {
		return apierror.FailedPrecondition("the case is closed and cannot be changed; comment within %d days of closing to reopen it", ReopenWindowDays)
	}
	return nil
}

// CheckEscalate checks the case-side conditions of an escalation: the case
// is open and not escalated yet (escalatedAt is when it was). Whether the
// organisation's package allows escalation at all is an access decision.
func CheckEscalate(state string, escalated bool, escalatedAt time.Time) error {
	switch {
	case state == Closed:
		return apierror.FailedPrecondition("a closed case cannot be escalated; comment within %d days of closing to reopen it first", ReopenWindowDays)
	case escalated:
		return apierror.FailedPrecondition("the case is already escalated (on %s)", wire.Timestamp(escalatedAt))
	}
	return nil
}

// CheckSurvey checks that a satisfaction survey may be filed on a case in
// state: only once it is closed.
func CheckSurvey(state string) error {
	if state != Closed {
		return apierror.FailedPrecondition("a survey can be submitted once the case is closed")
	}
	return nil
}

// CommentOutcome is what a comment does to a case's state.
type CommentOutcome struct {
	NewState string // "" = unchanged
	Reopen   bool   // the comment reopens a closed case
}

// Commented describes the case a comment is added to.
type Commented struct {
	State     string
	CloseTime time.Time // when it was last closed
	// Name is the case's resource name, quoted in the refusal so the
	// customer can refer to it from a new case.
	Name string
}

// CommentEffect decides the state change a comment causes, or refuses the
// comment: support cannot comment on a closed case, and a customer's
// comment more than ReopenWindow after closing does not reopen it.
func CommentEffect(c Commented, bySupport bool, now time.Time) (CommentOutcome, error) {
	switch c.State {
	case Closed:
		if bySupport {
			return CommentOutcome{}, apierror.FailedPrecondition("the case is closed; only the customer can reopen it by commenting")
		}
		if now.Sub(c.CloseTime) > ReopenWindow {
			return CommentOutcome{}, apierror.FailedPrecondition(
				"this case was closed on %s, more than %d days ago, and can no longer be reopened; "+
					"please open a new case and reference this one (previousCaseName: %q)",
				c.CloseTime.UTC().Format("2006-01-02"), ReopenWindowDays, c.Name)
		}
		return CommentOutcome{NewState: InProgress, Reopen: true}, nil
	case New:
		if bySupport {
			return CommentOutcome{NewState: InProgress}, nil
		}
	case ActionRequired, SolutionProvided:
		if !bySupport {
			return CommentOutcome{NewState: InProgress}, nil
		}
	}
	return CommentOutcome{}, nil
}
