package cases

import "github.com/supportcenter/supportcenter/shared/domain/wire"

// The JSON shapes of Cloud Support API v2 (camelCase), plus our extension
// fields. One struct serves as request and response: Google's clients send
// whole messages (output-only fields included, e.g. a Case read back and
// patched), so every field they know must decode; output-only fields are
// ignored on input. Google's REST clients decode responses with
// protojson DiscardUnknown, so extension fields do not disturb them. The
// shared vocabulary (Actor, enums, names, timestamps) is package wire's.

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

// Comment is google.cloud.support.v2.Comment.
type Comment struct {
	Name          string      `json:"name,omitempty"`
	CreateTime    string      `json:"createTime,omitempty"`
	Creator       *wire.Actor `json:"creator,omitempty"`
	Body          string      `json:"body,omitempty"`
	PlainTextBody string      `json:"plainTextBody,omitempty"`
}

// Survey is the satisfaction survey of one closure (extension resource).
type Survey struct {
	Name       string      `json:"name,omitempty"`
	Rating     int         `json:"rating,omitempty"` // 1…5
	Text       string      `json:"text,omitempty"`
	CreateTime string      `json:"createTime,omitempty"`
	Creator    *wire.Actor `json:"creator,omitempty"`
	// CloseCount says which closure of the case the survey is about.
	CloseCount int `json:"closeCount,omitempty"`
}

// EscalateRequest is the body of :escalate.
type EscalateRequest struct {
	Name       string      `json:"name,omitempty"`
	Escalation *Escalation `json:"escalation,omitempty"`
}

// CloseRequest is the body of :close.
type CloseRequest struct {
	Name string `json:"name,omitempty"`
}

// ListCasesResponse is the body of cases.list, cases.search and the
// support queue.
type ListCasesResponse struct {
	Cases         []Case `json:"cases"`
	NextPageToken string `json:"nextPageToken,omitempty"`
}

// ListCommentsResponse is the body of comments.list.
type ListCommentsResponse struct {
	Comments      []Comment `json:"comments"`
	NextPageToken string    `json:"nextPageToken,omitempty"`
}

// SearchClassificationsResponse is the body of caseClassifications.search.
type SearchClassificationsResponse struct {
	CaseClassifications []Classification `json:"caseClassifications"`
	NextPageToken       string           `json:"nextPageToken,omitempty"`
}
