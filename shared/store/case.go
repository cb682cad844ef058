package store

import (
	"time"
)

// Case collections (top level: "cases" holds every organisation's cases so
// the support queue is one query; each case has its comments and surveys
// as subcollections).
//
//	cases/{caseId}                      Case
//	cases/{caseId}/comments/{commentId} Comment
//	cases/{caseId}/surveys/{closeCount} Survey (one per closure)
const (
	CasesCollection    = "cases"
	CommentsCollection = "comments"
	SurveysCollection  = "surveys"
)

// Case is a support case. Fields used in queries are named in CaseField*.
type Case struct {
	// ID is the numeric case id, also the document id; stored so queries
	// can order by it (the emulator refuses descending order on __name__).
	ID        string `firestore:"id"`
	OrgID     string `firestore:"orgId"`
	ProductID string `firestore:"productId"`
	// ResellerID is the organisation's reseller when the case was filed
	// ("" when no reseller managed it); it never changes afterwards.
	ResellerID         string `firestore:"resellerId"`
	ClassificationID   string `firestore:"classificationId"`
	ClassificationName string `firestore:"classificationName"`

	DisplayName              string   `firestore:"displayName"`
	Description              string   `firestore:"description"`
	TimeZone                 string   `firestore:"timeZone,omitempty"`
	SubscriberEmailAddresses []string `firestore:"subscriberEmailAddresses"`
	ContactEmail             string   `firestore:"contactEmail,omitempty"`
	LanguageCode             string   `firestore:"languageCode"`
	Priority                 string   `firestore:"priority"` // P0…P4
	State                    string   `firestore:"state"`    // a casestate state
	// Open is State != CLOSED, so "state=OPEN" is one equality filter.
	Open     bool `firestore:"open"`
	TestCase bool `firestore:"testCase"`

	CreatorUID   string `firestore:"creatorUid"`
	CreatorEmail string `firestore:"creatorEmail"` // lower case
	CreatorName  string `firestore:"creatorName,omitempty"`

	CreateTime time.Time `firestore:"createTime"`
	UpdateTime time.Time `firestore:"updateTime"`
	CloseTime  time.Time `firestore:"closeTime,omitempty"`
	// FirstResponseTime is when support first commented.
	FirstResponseTime time.Time `firestore:"firstResponseTime,omitempty"`
	CloseCount        int       `firestore:"closeCount"`
	ReopenCount       int       `firestore:"reopenCount"`
	CommentCount      int       `firestore:"commentCount"`

	Escalated  bool        `firestore:"escalated"`
	Escalation *Escalation `firestore:"escalation,omitempty"`

	Intake Intake `firestore:"intake"`
	// PreviousCaseID links a follow-up case to the (closed) case it continues.
	PreviousCaseID string `firestore:"previousCaseId,omitempty"`
	KnownIssueID   string `firestore:"knownIssueId,omitempty"`

	// SupportHours are the product's support hours when the case was filed
	// (package caseclock reads them; "" counts as 24x7), kept on the case
	// so its clocks need no catalog read.
	SupportHours string `firestore:"supportHours,omitempty"`
	// Clocks are the case's running clocks, derived by package caseclock
	// on every change.
	Clocks CaseClocks `firestore:"clocks"`
	// DueTime is the earliest time a sweep must look at the case (a
	// reminder, a close or an SLA due time); absent when nothing is due, so
	// the sweep's query on it reads only cases that have something due.
	DueTime time.Time `firestore:"dueTime,omitempty"`

	// Tokens are the lower-cased words of the title, description and
	// comments, for free-text search (package searchtokens cuts them).
	Tokens []string `firestore:"tokens"`
}

// Case fields used in queries (and in infra/firestore.indexes.json).
const (
	CaseFieldID           = "id"
	CaseFieldOrgID        = "orgId"
	CaseFieldProductID    = "productId"
	CaseFieldResellerID   = "resellerId"
	CaseFieldState        = "state"
	CaseFieldOpen         = "open"
	CaseFieldPriority     = "priority"
	CaseFieldCreatorEmail = "creatorEmail"
	CaseFieldEscalated    = "escalated"
	CaseFieldTestCase     = "testCase"
	CaseFieldTokens       = "tokens"
	CaseFieldCreateTime   = "createTime"
	CaseFieldDueTime      = "dueTime"
	CaseFieldSLADueTime   = "clocks.slaDueTime"
)

// CaseClocks hold the stored state and the due times of a case's clocks.
type CaseClocks struct {
	// WaitingSince is when the waiting-on-customer clock started (zero:
	// stopped); ReminderTime when its reminder went out.
	WaitingSince time.Time `firestore:"waitingSince,omitempty"`
	ReminderTime time.Time `firestore:"reminderTime,omitempty"`
	// AutoCloseTime is when the case closes unless the customer acts.
	AutoCloseTime time.Time `firestore:"autoCloseTime,omitempty"`
	// AwaitingSince starts the next-response clock: the first customer
	// comment after support's latest response.
	AwaitingSince time.Time `firestore:"awaitingSince,omitempty"`
	// SLADueTime is the running response clock's due time (the support
	// queue orders and filters by it); SLADueSoonTime when it turns DUE_SOON.
	SLADueTime     time.Time `firestore:"slaDueTime,omitempty"`
	SLADueSoonTime time.Time `firestore:"slaDueSoonTime,omitempty"`
	// SLAAlertedClock is the start of the response clock whose breach was
	// alerted, so each run of a clock is alerted once (a priority change
	// that moves its due time does not alert it again).
	SLAAlertedClock time.Time `firestore:"slaAlertedClock,omitempty"`
	// Version is the version of the clock rules that derived these fields
	// (caseclocks.Version); older or absent means the case still needs them
	// (the sweep's backfill).
	Version int `firestore:"version,omitempty"`
}

// Intake is the structured problem report asked for when filing a case
// (what support needs to start work without a round of questions).
type Intake struct {
	IssueStartTime       time.Time `firestore:"issueStartTime,omitempty"`
	IssueEndTime         time.Time `firestore:"issueEndTime,omitempty"`
	ProductVersion       string    `firestore:"productVersion,omitempty"`
	StackTrace           string    `firestore:"stackTrace,omitempty"`
	ReproductionSteps    string    `firestore:"reproductionSteps,omitempty"`
	RelatedCode          string    `firestore:"relatedCode,omitempty"`
	ApplicationFlow      string    `firestore:"applicationFlow,omitempty"`
	UsersAffectedPercent *float64  `firestore:"usersAffectedPercent,omitempty"`
	UserImpact           string    `firestore:"userImpact,omitempty"`
}

// Escalation records who escalated a case, when and why.
type Escalation struct {
	Time          time.Time `firestore:"time"`
	ActorUID      string    `firestore:"actorUid"`
	ActorEmail    string    `firestore:"actorEmail"`
	ActorName     string    `firestore:"actorName,omitempty"`
	Reason        string    `firestore:"reason"` // RESOLUTION_TIME | TECHNICAL_EXPERTISE | BUSINESS_IMPACT
	Justification string    `firestore:"justification"`
}

// Comment is one message in a case's thread.
type Comment struct {
	ID               string    `firestore:"id"` // also the document id (ordering, see Case.ID)
	Body             string    `firestore:"body"`
	CreateTime       time.Time `firestore:"createTime"`
	CreatorUID       string    `firestore:"creatorUid"`
	CreatorEmail     string    `firestore:"creatorEmail"`
	CreatorName      string    `firestore:"creatorName,omitempty"`
	CreatorIsSupport bool      `firestore:"creatorIsSupport"`
	CreatorCapacity  string    `firestore:"creatorCapacity"` // CUSTOMER | RESELLER | SUPPORT
}

// Survey is a satisfaction survey for one closure of a case.
type Survey struct {
	CloseCount   int       `firestore:"closeCount"` // which closure (also the document id)
	Rating       int       `firestore:"rating"`     // 1…5
	Text         string    `firestore:"text,omitempty"`
	CreateTime   time.Time `firestore:"createTime"`
	CreatorUID   string    `firestore:"creatorUid"`
	CreatorEmail string    `firestore:"creatorEmail"`
	CreatorName  string    `firestore:"creatorName,omitempty"`
}
