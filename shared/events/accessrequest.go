package events

import (
	"fmt"
	"time"
)

// Access-request events travel on the membership-events topic: the
// provision function, which already sets up the memberships an approval
// creates, also e-mails the requester the answer. Like every event they
// carry ids only; the consumer reads the request.

// AccessRequestEventVersion is the current schema version.
const AccessRequestEventVersion = 1

// AccessRequestAnswered is the type of the event of an access request the
// support team approved or rejected; the requester is told by e-mail.
const AccessRequestAnswered = "accessRequest.answered"

// AccessRequestEvent is the message published when an access request is
// answered.
type AccessRequestEvent struct {
	ID              string    `json:"id"`
	Type            string    `json:"type"`
	Version         int       `json:"version"`
	Time            time.Time `json:"time"`
	AccessRequestID string    `json:"accessRequestId"`
}

// NewAccessRequestAnswered returns the event of request requestID answered
// at t, with a fresh id.
func NewAccessRequestAnswered(t time.Time, requestID string) AccessRequestEvent {
	return AccessRequestEvent{ID: NewID(), Type: AccessRequestAnswered, Version: AccessRequestEventVersion,
		Time: t.UTC(), AccessRequestID: requestID}
}

// Validate checks the fields consumers rely on.
func (e AccessRequestEvent) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalid)
	case e.Version < 1 || e.Version > AccessRequestEventVersion:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalid, e.Version)
	case e.Type != AccessRequestAnswered:
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, e.Type)
	case e.AccessRequestID == "":
		return fmt.Errorf("%w: no access request id", ErrInvalid)
	}
	return nil
}

// Message encodes e for the membership-events topic.
func (e AccessRequestEvent) Message() (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	return encodeEvent(e.ID, e.Type, MembershipEventsTopic, baseAttributes(e.ID, e.Type, e.Version), e)
}

// DecodeAccessRequestPush decodes a push body from the membership-events
// topic. ok is false when the message is not an access-request event (a
// membership event, or nothing decodable: DecodeMembershipPush says why);
// when ok, err (wrapping ErrInvalid) says whether it can be processed.
func DecodeAccessRequestPush(body []byte) (e AccessRequestEvent, ok bool, err error) {
	return decodeTyped[AccessRequestEvent](body, AccessRequestAnswered)
}
