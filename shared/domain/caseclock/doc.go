// Package caseclock holds the clocks that run on an open support case: the
// waiting-on-customer clock that leads to a reminder and an automatic
// close, and the service-level (SLA) response clocks that follow the
// product's support hours.
//
// Waiting on the customer. Support putting a case in ACTION_REQUIRED or
// SOLUTION_PROVIDED (or commenting while it is in one of them) starts the
// clock; any customer comment, attachment or state change stops it. After
// the package's reminder window the customer gets one reminder; after the
// close window the case closes. Windows are per package and may be
// switched off. P0 and P1 cases get the reminder but are never closed
// automatically: a service-down case left silent more likely means the
// customer is busy with the outage than that it is solved, and closing it
// would drop the most urgent work out of the queue; support closes those
// by hand.
//
// SLA. The first-response clock starts at creation; a next-response clock
// starts at the first customer comment after support's latest response
// (further customer comments before support answers do not push the due
// time back, so writing more never makes support later). Due times are
// counted in the product's support hours (Calendar); a priority change
// re-computes them from the new priority's targets because every due time
// is derived from the stored start times, never stored alone.
//
// The package is pure: no I/O, no clock of its own; callers pass now.
package caseclock
