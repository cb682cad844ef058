// Package events is the one schema of the events Support Center publishes
// (case and membership events), their encoding as Pub/Sub messages, the
// Publisher interface that sends them, and the decoder event functions use
// on a Pub/Sub push.
//
// An event carries ids, type, version and time only — never bodies, e-mail
// addresses or other personal data: a consumer that
// needs more reads it from Firestore with its own access rules, so a
// message sitting in a topic or a dead-letter queue reveals nothing.
//
// Delivery is at least once and unordered: consumers dedupe by Event.ID
// (also sent as the "eventId" attribute) and must not assume that events of
// one case arrive in Time order.
package events

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CaseEventsTopic is the Pub/Sub topic of case events (infra/functions.yaml).
const CaseEventsTopic = "case-events"

// Version is the current schema version. Consumers refuse newer versions as
// permanent failures (they ack them and record the refusal).
const Version = 1

// Event types.
const (
	// CaseCreated: a case was filed.
	CaseCreated = "case.created"
	// CaseCommented: a comment was added; ActorIsSupport tells a support
	// answer from a customer's (or reseller's) message.
	CaseCommented = "case.commented"
	// CaseStateChanged: support moved the case between working states, or a
	// customer's comment handed it back to support. OldState/NewState say how.
	CaseStateChanged = "case.stateChanged"
	// CaseEscalated: the customer escalated the case.
	CaseEscalated = "case.escalated"
	// CaseClosed: the case was closed (OldState is the state before).
	CaseClosed = "case.closed"
	// CaseReopened: a comment on a closed case reopened it.
	CaseReopened = "case.reopened"
	// CaseAttachmentAdded: an attachment finished uploading.
	CaseAttachmentAdded = "case.attachmentAdded"
)

// Types lists every event type.
var Types = []string{CaseCreated, CaseCommented, CaseStateChanged, CaseEscalated, CaseClosed, CaseReopened, CaseAttachmentAdded}

// Event is one thing that happened to a case.
type Event struct {
	ID           string    `json:"id"`
	Type         string    `json:"type"`
	Version      int       `json:"version"`
	Time         time.Time `json:"time"`
	OrgID        string    `json:"orgId"`
	CaseID       string    `json:"caseId"`
	CommentID    string    `json:"commentId,omitempty"`
	AttachmentID string    `json:"attachmentId,omitempty"`
	// ActorUID is the Firebase uid of whoever caused the event ("" for the
	// system, e.g. a scheduled job).
	ActorUID string `json:"actorUid,omitempty"`
	// ActorKey is the hashed key of the actor's address (the key profiles
	// and memberships are stored under), so consumers can tell the actor
	// apart from recipients without personal data in the event.
	ActorKey       string `json:"actorKey,omitempty"`
	ActorIsSupport bool   `json:"actorIsSupport,omitempty"`
	OldState       string `json:"oldState,omitempty"`
	NewState       string `json:"newState,omitempty"`
	// Reason says why the system made a change no person made (Reason*
	// constants, e.g. ReasonAutoClose on case.closed); "" otherwise.
	Reason string `json:"reason,omitempty"`
	// DueTime is the due time a case.slaBreached event's response clock
	// missed.
	DueTime time.Time `json:"dueTime,omitzero"`
}

// SetActor records who caused the event: uid, hashed address key and
// whether they acted as support staff.
func (e *Event) SetActor(uid, key string, bySupport bool) {
	e.ActorUID, e.ActorKey, e.ActorIsSupport = uid, key, bySupport
}

// New returns an event of type typ with a fresh random id, the current
// schema version and time t.
func New(typ string, t time.Time, orgID, caseID string) Event {
	return Event{ID: NewID(), Type: typ, Version: Version, Time: t.UTC(), OrgID: orgID, CaseID: caseID}
}

// NewAttachmentAdded returns the case.attachmentAdded event of an
// attachment that became READY at readyTime. Its id was fixed when the
// attachment first became READY (stored with it), so every path that
// publishes it — the upload itself, a redelivered storage notification —
// sends the same event and consumers dedupe it.
// The actor is the uploader (uid, hashed address key, support or not).
func NewAttachmentAdded(id string, readyTime time.Time, orgID, caseID, attachmentID, actorUID, actorKey string, actorIsSupport bool) Event {
	e := New(CaseAttachmentAdded, readyTime, orgID, caseID)
	e.ID, e.AttachmentID = id, attachmentID
	e.SetActor(actorUID, actorKey, actorIsSupport)
	return e
}

// NewID returns a random 128-bit event id in hex.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// ErrInvalid marks an event that can never be processed (malformed,
// unknown type, newer version): consumers ack it and record the refusal
// instead of returning an error that would redeliver it forever.
var ErrInvalid = errors.New("invalid event")

// Validate checks the fields every consumer relies on.
func (e Event) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalid)
	case e.Version < 1 || e.Version > Version:
		return fmt.Errorf("%w: unsupported version %d (this code reads up to %d)", ErrInvalid, e.Version, Version)
	case !known(e.Type):
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, e.Type)
	case e.OrgID == "" || e.CaseID == "":
		return fmt.Errorf("%w: %s without organisation or case id", ErrInvalid, e.Type)
	case e.Time.IsZero():
		return fmt.Errorf("%w: no time", ErrInvalid)
	}
	return nil
}

func known(t string) bool {
	for _, k := range Types {
		if k == t {
			return true
		}
	}
	return false
}

// Marshal encodes e as the message data.
func Marshal(e Event) ([]byte, error) { return json.Marshal(e) }

// Attributes are the message attributes published with e, so subscriptions
// can filter and consumers can dedupe without decoding the data.
func Attributes(e Event) map[string]string {
	return map[string]string{
		"eventId": e.ID,
		"type":    e.Type,
		"version": fmt.Sprint(e.Version),
		"orgId":   e.OrgID,
		"caseId":  e.CaseID,
	}
}
