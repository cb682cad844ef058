// Package casewire is the wire shape of a support case — the Cloud Support
// API v2 Case (camelCase JSON) plus our extension fields — and its
// rendering from a stored case. It is the one mapping of a case for every
// function that answers with one (cases, and knownissues' "me too").
//
// One struct serves as request and response: Google's clients send whole
// messages (output-only fields included, e.g. a Case read back and
// patched), so every field they know must decode; output-only fields are
// ignored on input. Google's REST clients decode responses with protojson
// DiscardUnknown, so extension fields do not disturb them.
package casewire

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Case is google.cloud.support.v2.Case plus extensions.
type Case struct {
	Name                     string          `json:"name,omitempty"`
	DisplayName              string          `json:"displayName,omitempty"`
	Description              string          `json:"description,omitempty"`
	Classification           *Classification `json:"classification,omitempty"`
	TimeZone                 string          `json:"timeZone,omitempty"`
	SubscriberEmailAddresses []string        `json:"subscriberEmailAddresses,omitempty"`
	State                    wire.State      `json:"state,omitempty"`
	CreateTime               string          `json:"createTime,omitempty"`
	UpdateTime               string          `json:"updateTime,omitempty"`
	Creator                  *wire.Actor     `json:"creator,omitempty"`
	ContactEmail             string          `json:"contactEmail,omitempty"`
	Escalated                bool            `json:"escalated,omitempty"`
	TestCase                 bool            `json:"testCase,omitempty"`
	LanguageCode             string          `json:"languageCode,omitempty"`
	Priority                 wire.Priority   `json:"priority,omitempty"`

	// Extension: structured intake, set on create.
	IssueStartTime       string   `json:"issueStartTime,omitempty"`
	IssueEndTime         string   `json:"issueEndTime,omitempty"`
	ProductVersion       string   `json:"productVersion,omitempty"`
	StackTrace           string   `json:"stackTrace,omitempty"` // stack trace or log lines
	ReproductionSteps    string   `json:"reproductionSteps,omitempty"`
	RelatedCode          string   `json:"relatedCode,omitempty"`
	ApplicationFlow      string   `json:"applicationFlow,omitempty"`
	UsersAffectedPercent *float64 `json:"usersAffectedPercent,omitempty"`
	UserImpact           string   `json:"userImpact,omitempty"`
	// Extension: links, set on create.
	PreviousCaseName string `json:"previousCaseName,omitempty"` // organizations/{org}/cases/{id}
	KnownIssueName   string `json:"knownIssueName,omitempty"`   // knownIssues/{id}
	// Extension: output only.
	CloseTime    string      `json:"closeTime,omitempty"`
	ReopenCount  int         `json:"reopenCount,omitempty"`
	CommentCount int         `json:"commentCount,omitempty"`
	Escalation   *Escalation `json:"escalation,omitempty"`
	SLA          *SLA        `json:"sla,omitempty"`
	// AutoCloseTime is when the case closes unless the customer acts;
	// shown while a close is scheduled (output only).
	AutoCloseTime string `json:"autoCloseTime,omitempty"`
}

// Classification is google.cloud.support.v2.CaseClassification.
type Classification struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// Escalation is google.cloud.support.v2.Escalation plus who and when
// (output only).
type Escalation struct {
	Reason        wire.Reason `json:"reason,omitempty"`
	Justification string      `json:"justification,omitempty"`
	EscalateTime  string      `json:"escalateTime,omitempty"`
	Actor         *wire.Actor `json:"actor,omitempty"`
}

// SLA is the service-level target of the case's priority under the
// organisation's package and how the response clocks are doing, counted in
// the product's support hours (output only). State is ON_TRACK, DUE_SOON
// (the last quarter of the target), BREACHED or MET (nothing awaits
// support), on open cases.
type SLA struct {
	Package              string `json:"package,omitempty"`
	FirstResponseMinutes int    `json:"firstResponseMinutes"`
	NextResponseMinutes  int    `json:"nextResponseMinutes"`
	FirstResponseDueTime string `json:"firstResponseDueTime,omitempty"`
	FirstResponseTime    string `json:"firstResponseTime,omitempty"`
	NextResponseDueTime  string `json:"nextResponseDueTime,omitempty"`
	// NextDueTime is the due time of the response clock running now (the
	// first-response due time until support first answers, then the
	// next-response due time while a customer's comment awaits an answer);
	// absent when MET. The support queue orders by it (orderBy=sla.nextDueTime).
	NextDueTime string `json:"nextDueTime,omitempty"`
	State       string `json:"state,omitempty"`
}

// FromStore renders a stored case at now. pkg (the organisation's support
// package, may be nil) supplies the SLA targets.
func FromStore(c *store.Case, pkg *store.Package, now time.Time) Case {
	out := Case{
		Name:                     wire.CaseName(c.OrgID, c.ID),
		DisplayName:              c.DisplayName,
		Description:              c.Description,
		Classification:           &Classification{ID: c.ClassificationID, DisplayName: c.ClassificationName},
		TimeZone:                 c.TimeZone,
		SubscriberEmailAddresses: c.SubscriberEmailAddresses,
		State:                    wire.State(c.State),
		CreateTime:               wire.Timestamp(c.CreateTime),
		UpdateTime:               wire.Timestamp(c.UpdateTime),
		Creator:                  wire.NewActor(c.CreatorName, c.CreatorEmail, false),
		ContactEmail:             c.ContactEmail,
		Escalated:                c.Escalated,
		TestCase:                 c.TestCase,
		LanguageCode:             c.LanguageCode,
		Priority:                 wire.Priority(c.Priority),

		IssueStartTime:       wire.Timestamp(c.Intake.IssueStartTime),
		IssueEndTime:         wire.Timestamp(c.Intake.IssueEndTime),
		ProductVersion:       c.Intake.ProductVersion,
		StackTrace:           c.Intake.StackTrace,
		ReproductionSteps:    c.Intake.ReproductionSteps,
		RelatedCode:          c.Intake.RelatedCode,
		ApplicationFlow:      c.Intake.ApplicationFlow,
		UsersAffectedPercent: c.Intake.UsersAffectedPercent,
		UserImpact:           c.Intake.UserImpact,

		CloseTime:    wire.Timestamp(c.CloseTime),
		ReopenCount:  c.ReopenCount,
		CommentCount: c.CommentCount,
	}
	if c.PreviousCaseID != "" {
		out.PreviousCaseName = wire.CaseName(c.OrgID, c.PreviousCaseID)
	}
	if c.KnownIssueID != "" {
		out.KnownIssueName = wire.KnownIssueName(c.KnownIssueID)
	}
	if e := c.Escalation; e != nil {
		out.Escalation = &Escalation{Reason: wire.Reason(e.Reason), Justification: e.Justification,
			EscalateTime: wire.Timestamp(e.Time), Actor: wire.NewActor(e.ActorName, e.ActorEmail, false)}
	}
	if c.Open {
		out.AutoCloseTime = wire.Timestamp(c.Clocks.AutoCloseTime)
	}
	out.SLA = sla(c, pkg, now)
	return out
}

// sla renders the case's response clocks at now, counted in the support
// hours of its product; on a closed case only the targets and the first
// response show.
func sla(c *store.Case, pkg *store.Package, now time.Time) *SLA {
	if pkg == nil {
		return storedSLA(c, now)
	}
	t, ok := pkg.Targets[c.Priority]
	if !ok {
		return nil
	}
	s := &SLA{Package: pkg.ID, FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes,
		FirstResponseTime: wire.Timestamp(c.FirstResponseTime)}
	clk := caseclocks.SLA(c, pkg, now)
	s.FirstResponseDueTime = wire.Timestamp(clk.FirstResponseDueTime)
	if c.Open {
		s.NextResponseDueTime = wire.Timestamp(clk.NextResponseDueTime)
		s.NextDueTime = wire.Timestamp(clk.DueTime)
		s.State = clk.State
	}
	return s
}

// storedSLA renders the SLA of a case read without its organisation's
// package (the support queue spans organisations and reads no packages):
// from the due times stored at the case's last change, the same ones the
// queue filters and orders by; no targets. nil for a case whose clocks were
// never derived.
func storedSLA(c *store.Case, now time.Time) *SLA {
	if c.Clocks.Version == 0 {
		return nil
	}
	s := &SLA{FirstResponseTime: wire.Timestamp(c.FirstResponseTime)}
	if !c.Open {
		return s
	}
	s.State = caseclocks.StoredState(c, now)
	if due := c.Clocks.SLADueTime; !due.IsZero() {
		s.NextDueTime = wire.Timestamp(due)
		if c.FirstResponseTime.IsZero() {
			s.FirstResponseDueTime = s.NextDueTime
		} else {
			s.NextResponseDueTime = s.NextDueTime
		}
	}
	return s
}
