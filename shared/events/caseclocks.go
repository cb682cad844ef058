package events

// Events of the case clocks (the close-stale-cases sweep). Like every case
// event they carry ids, times and enum values only.

// Case clock event types.
const (
	// CaseReminded: the case waited on the customer past its package's
	// reminder window; CommentID names the system comment that reminds
	// them (the e-mail says when the case will close).
	CaseReminded = "case.reminded"
	// CaseSLABreached: a response clock passed its due time without an
	// answer from support; DueTime is the due time it missed. Raised once
	// per run of a clock.
	CaseSLABreached = "case.slaBreached"
)

// Reasons of system changes (Event.Reason).
const (
	// ReasonAutoClose: the sweep closed a case that waited on the customer
	// past its package's close window (on case.closed; CommentID names the
	// closing system comment).
	ReasonAutoClose = "AUTO_CLOSE"
)

func init() { Types = append(Types, CaseReminded, CaseSLABreached) }
