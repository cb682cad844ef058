package events

// Membership events share this package's envelope rules with case events:
// ids only, a type and a version, decoded from a push body with Push, and
// ErrInvalid for messages that can never be processed.

import (
	"encoding/json"
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

// NewMembershipAdded returns the membership.added event with id, fixed
// when the membership was added (stored with its provisioning), so the
// first publish and every re-drive send the same event.
func NewMembershipAdded(id string, t time.Time, orgID, membershipID string) MembershipEvent {
	return MembershipEvent{ID: id, Type: MembershipAdded, Version: MembershipEventVersion, Time: t, OrgID: orgID, MembershipID: membershipID}
}

// Validate checks the fields consumers rely on.
func (e MembershipEvent) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalid)
	case e.Version < 1 || e.Version > MembershipEventVersion:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalid, e.Version)
	case e.Type != MembershipAdded:
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, e.Type)
	case e.OrgID == "" || e.MembershipID == "":
		return fmt.Errorf("%w: no organisation or membership id", ErrInvalid)
	}
	return nil
}

// Attributes are the message attributes (ids only).
func (e MembershipEvent) Attributes() map[string]string {
	a := baseAttributes(e.ID, e.Type, e.Version)
	a["orgId"] = e.OrgID
	return a
}

// DecodeMembershipPush decodes a push body into the membership event it
// carries. Errors wrap ErrInvalid.
func DecodeMembershipPush(body []byte) (MembershipEvent, error) {
	var p Push
	if err := json.Unmarshal(body, &p); err != nil {
		return MembershipEvent{}, fmt.Errorf("%w: push body: %v", ErrInvalid, err)
	}
	var e MembershipEvent
	if err := json.Unmarshal(p.Message.Data, &e); err != nil {
		return MembershipEvent{}, fmt.Errorf("%w: message %s data: %v", ErrInvalid, p.Message.MessageID, err)
	}
	if err := e.Validate(); err != nil {
		return MembershipEvent{}, err
	}
	return e, nil
}
