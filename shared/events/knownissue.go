package events

// Known-issue events share this package's envelope rules with case and
// membership events: ids only, a type and a version, ErrInvalid for
// messages that can never be processed.

import (
	"encoding/json"
	"fmt"
	"time"
)

// KnownIssueEventsTopic is the Pub/Sub topic of known-issue events
// (infra/functions.yaml); the knownissue-fanout function consumes it.
const KnownIssueEventsTopic = "knownissue-events"

// KnownIssueEventVersion is the current schema version.
const KnownIssueEventVersion = 1

// Known-issue event types.
const (
	// KnownIssueUpdated: support posted an update (Resolved: the final
	// one, which resolved the issue); every subscriber is e-mailed once.
	KnownIssueUpdated = "knownIssue.updated"
)

// KnownIssueEvent is published when a known issue gets an update. It
// carries ids only: the consumer reads the issue, the update and the
// subscribers from Firestore.
type KnownIssueEvent struct {
	ID           string    `json:"id"`
	Type         string    `json:"type"`
	Version      int       `json:"version"`
	Time         time.Time `json:"time"`
	KnownIssueID string    `json:"knownIssueId"`
	UpdateID     string    `json:"updateId"`
	Resolved     bool      `json:"resolved,omitempty"`
}

// NewKnownIssueUpdated returns the knownIssue.updated event of update
// updateID of issue issueID, with a fresh id.
func NewKnownIssueUpdated(t time.Time, issueID, updateID string, resolved bool) KnownIssueEvent {
	return KnownIssueEvent{ID: NewID(), Type: KnownIssueUpdated, Version: KnownIssueEventVersion, Time: t.UTC(),
		KnownIssueID: issueID, UpdateID: updateID, Resolved: resolved}
}

// Validate checks the fields consumers rely on.
func (e KnownIssueEvent) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalid)
	case e.Version < 1 || e.Version > KnownIssueEventVersion:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalid, e.Version)
	case e.Type != KnownIssueUpdated:
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, e.Type)
	case e.KnownIssueID == "" || e.UpdateID == "":
		return fmt.Errorf("%w: no known issue or update id", ErrInvalid)
	case e.Time.IsZero():
		return fmt.Errorf("%w: no time", ErrInvalid)
	}
	return nil
}

// Attributes are the message attributes (ids only).
func (e KnownIssueEvent) Attributes() map[string]string {
	a := baseAttributes(e.ID, e.Type, e.Version)
	a["knownIssueId"] = e.KnownIssueID
	return a
}

// Message encodes e for the knownissue-events topic.
func (e KnownIssueEvent) Message() (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	return encodeEvent(e.ID, e.Type, KnownIssueEventsTopic, e.Attributes(), e)
}

// DecodeKnownIssuePush decodes a push body into the known-issue event it
// carries. Errors wrap ErrInvalid.
func DecodeKnownIssuePush(body []byte) (KnownIssueEvent, error) {
	var p Push
	if err := json.Unmarshal(body, &p); err != nil {
		return KnownIssueEvent{}, fmt.Errorf("%w: push body: %v", ErrInvalid, err)
	}
	var e KnownIssueEvent
	if err := json.Unmarshal(p.Message.Data, &e); err != nil {
		return KnownIssueEvent{}, fmt.Errorf("%w: message %s data: %v", ErrInvalid, p.Message.MessageID, err)
	}
	if id, ok := p.Message.Attributes["eventId"]; ok && id != e.ID {
		return KnownIssueEvent{}, fmt.Errorf("%w: eventId attribute %q does not match data id %q", ErrInvalid, id, e.ID)
	}
	if err := e.Validate(); err != nil {
		return KnownIssueEvent{}, err
	}
	return e, nil
}
