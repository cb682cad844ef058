// Package domain is the index of the domain layer: pure packages that hold
// the rules several functions share, with no I/O (no Firestore, Cloud
// Storage, Pub/Sub, HTTP clients or clocks of their own). Functions read
// and write through shared/store and ask these packages what the rules
// say.
//
//	caseclock     the waiting-on-customer clock (reminder, automatic close) and the
//	              SLA response clocks over a product's support hours
//	casestate     case states and priorities, who may move a case where, what a
//	              comment does to it, the 30-day reopen window, escalation checks
//	attachpolicy  attachment sniffing and served types, size and per-case limits,
//	              rejection reasons and their messages
//	filename      file names clients send made safe, and the download
//	              Content-Disposition built from them
//	provisioning  PENDING → DONE | FAILED | CANCELLED of a membership's provisioning,
//	              the stale-event rule, attempts and backoff
//	searchtokens  the words free-text case search matches
//	text          free text, display names and languages: what people may type
//	wire          the Cloud Support API v2 vocabulary: resource names and id shapes,
//	              timestamps, Actor, int64-as-string, enum names
//
// Domain packages may import each other and the platform leaves
// shared/apierror (typed errors) and shared/clock, never shared/store or a
// function; TestDependencies keeps it so.
package domain
