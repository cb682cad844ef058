package cases

import (
	"github.com/supportcenter/supportcenter/shared/casewire"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// The JSON shapes of Cloud Support API v2 (camelCase), plus our extension
// fields. One struct serves as request and response: Google's clients send
// whole messages (output-only fields included, e.g. a Case read back and
// patched), so every field they know must decode; output-only fields are
// ignored on input. Google's REST clients decode responses with
// protojson DiscardUnknown, so extension fields do not disturb them. The
// shared vocabulary (Actor, enums, names, timestamps) is package wire's.

// The case's own shapes are package casewire's (shared with the known
// issues' "me too"); these aliases keep this package's names.

// Case is casewire.Case.
type Case = casewire.Case

// Classification is casewire.Classification.
type Classification = casewire.Classification

// Escalation is casewire.Escalation.
type Escalation = casewire.Escalation

// SLA is casewire.SLA.
type SLA = casewire.SLA

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
