package caseclock

import "time"

// SLA states, as the case's sla.state shows them.
const (
	OnTrack  = "ON_TRACK"
	DueSoon  = "DUE_SOON"
	Breached = "BREACHED"
	Met      = "MET"
)

// DueSoonShare is the share of a target after which a running clock is
// DUE_SOON: the last quarter of the support hours it allows.
const DueSoonShare = 4

// Target is a package's response targets for one priority; zero means no
// target.
type Target struct {
	FirstResponse time.Duration
	NextResponse  time.Duration
}

// Responses are the stored start times of a case's SLA clocks.
type Responses struct {
	CreateTime        time.Time
	FirstResponseTime time.Time // support's first comment; zero until then
	// AwaitingSince is the first customer comment after support's latest
	// response; zero when nothing awaits support.
	AwaitingSince time.Time
}

// Respond returns the clocks after a comment at t: support's comment sets
// the first response (once) and answers what awaited; a customer's comment
// after support answered starts the next-response clock.
func (r Responses) Respond(bySupport bool, t time.Time) Responses {
	if bySupport {
		if r.FirstResponseTime.IsZero() {
			r.FirstResponseTime = t
		}
		r.AwaitingSince = time.Time{}
		return r
	}
	if !r.FirstResponseTime.IsZero() && r.AwaitingSince.IsZero() {
		r.AwaitingSince = t
	}
	return r
}

// SLA is the case's sla block.
type SLA struct {
	FirstResponseDueTime time.Time
	NextResponseDueTime  time.Time // zero unless a next response is awaited
	FirstResponseTime    time.Time
	State                string
	// DueTime is the running clock's due time (zero when none runs), the
	// time a sweep must look at the case for a breach.
	DueTime time.Time
	// DueSoonTime is when the running clock becomes DUE_SOON (zero when
	// none runs).
	DueSoonTime time.Time
	// Start is when the running clock started (the case's creation for the
	// first response, the customer's comment for a next response); a
	// breach is identified by it, so one run of a clock is alerted once
	// even when a priority change moves its due time.
	Start time.Time
}

// Compute returns the SLA of an open case at now. The state describes the
// running clock; when none runs (support answered everything) it is MET.
// A late answer was BREACHED while its clock ran, and the breach alert
// went out then.
func Compute(r Responses, t Target, cal Calendar, now time.Time) SLA {
	s := SLA{FirstResponseTime: r.FirstResponseTime}
	if t.FirstResponse > 0 {
		s.FirstResponseDueTime = cal.Add(r.CreateTime, t.FirstResponse)
	}
	var start time.Time
	var target time.Duration
	switch {
	case r.FirstResponseTime.IsZero() && t.FirstResponse > 0:
		start, target, s.DueTime = r.CreateTime, t.FirstResponse, s.FirstResponseDueTime
	case !r.FirstResponseTime.IsZero() && !r.AwaitingSince.IsZero() && t.NextResponse > 0:
		s.NextResponseDueTime = cal.Add(r.AwaitingSince, t.NextResponse)
		start, target, s.DueTime = r.AwaitingSince, t.NextResponse, s.NextResponseDueTime
	}
	if !s.DueTime.IsZero() {
		s.Start, s.DueSoonTime = start, cal.Add(start, target-target/DueSoonShare)
	}
	switch {
	case s.DueTime.IsZero():
		s.State = Met
	case now.After(s.DueTime):
		s.State = Breached
	case !now.Before(s.DueSoonTime):
		s.State = DueSoon
	default:
		s.State = OnTrack
	}
	return s
}
