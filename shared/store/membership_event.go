package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MembershipEventsTopic is the Pub/Sub topic of membership events
// (infra/functions.yaml); the provision function consumes it.
const MembershipEventsTopic = "membership-events"

// MembershipEventVersion is the current schema version.
const MembershipEventVersion = 1

// Membership event types.
const (
	// MembershipAdded: a membership was added and needs provisioning
	// (Auth account, welcome e-mail, activation when due).
	MembershipAdded = "membership.added"
)

// MembershipEvent is the message published when a membership needs work.
// It carries ids only, never the address: the consumer re-reads the
// membership, so a message in a topic or dead-letter queue reveals nothing.
type MembershipEvent struct {
	ID           string    `json:"id"`
	Type         string    `json:"type"`
	Version      int       `json:"version"`
	Time         time.Time `json:"time"`
	OrgID        string    `json:"orgId"`
	MembershipID string    `json:"membershipId"`
}

// ErrInvalidEvent marks a message that can never be processed: consumers
// acknowledge it and log why, rather than have it redelivered forever.
var ErrInvalidEvent = errors.New("invalid membership event")

// NewEventID returns a random 128-bit event id in hex.
func NewEventID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Validate checks the fields consumers rely on.
func (e MembershipEvent) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalidEvent)
	case e.Version < 1 || e.Version > MembershipEventVersion:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalidEvent, e.Version)
	case e.Type != MembershipAdded:
		return fmt.Errorf("%w: unknown type %q", ErrInvalidEvent, e.Type)
	case e.OrgID == "" || e.MembershipID == "":
		return fmt.Errorf("%w: no organisation or membership id", ErrInvalidEvent)
	}
	return nil
}

// Data is the message data.
func (e MembershipEvent) Data() ([]byte, error) { return json.Marshal(e) }

// Attributes are the message attributes (ids only).
func (e MembershipEvent) Attributes() map[string]string {
	return map[string]string{"eventId": e.ID, "type": e.Type, "version": fmt.Sprint(e.Version), "orgId": e.OrgID}
}

// pushBody is a Pub/Sub push request body, which functions-framework hands
// to a CloudEvent function as the event's data.
type pushBody struct {
	Message struct {
		Data       []byte            `json:"data"` // base64 in JSON
		Attributes map[string]string `json:"attributes"`
		MessageID  string            `json:"messageId"`
	} `json:"message"`
}

// DecodeMembershipPush decodes a push body into the membership event it
// carries. Errors wrap ErrInvalidEvent.
func DecodeMembershipPush(body []byte) (MembershipEvent, error) {
	var p pushBody
	if err := json.Unmarshal(body, &p); err != nil {
		return MembershipEvent{}, fmt.Errorf("%w: push body: %v", ErrInvalidEvent, err)
	}
	var e MembershipEvent
	if err := json.Unmarshal(p.Message.Data, &e); err != nil {
		return MembershipEvent{}, fmt.Errorf("%w: message %s data: %v", ErrInvalidEvent, p.Message.MessageID, err)
	}
	if err := e.Validate(); err != nil {
		return MembershipEvent{}, err
	}
	return e, nil
}
