package events

import (
	"fmt"
	"time"
)

// Feedback events travel on the membership-events topic, like access-request
// answers: the provision function, which e-mails people about their access,
// also acknowledges their feedback. The event carries the feedback's id and
// the language the sender's browser asked for (used when the sender has no
// profile language); never the feedback's text.

// FeedbackEventVersion is the current schema version.
const FeedbackEventVersion = 1

// FeedbackReceived is the type of the event of a stored "Send feedback"
// submission; its sender gets one acknowledgement e-mail.
const FeedbackReceived = "feedback.received"

// FeedbackEvent is the message published when feedback is stored.
type FeedbackEvent struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Version    int       `json:"version"`
	Time       time.Time `json:"time"`
	FeedbackID string    `json:"feedbackId"`
	// Language is the sender's browser's first Accept-Language tag ("" =
	// none); the profile's language wins over it.
	Language string `json:"language,omitempty"`
}

// NewFeedbackReceived returns the event of feedback feedbackID stored at t,
// with a fresh id.
func NewFeedbackReceived(t time.Time, feedbackID, language string) FeedbackEvent {
	return FeedbackEvent{ID: NewID(), Type: FeedbackReceived, Version: FeedbackEventVersion,
		Time: t.UTC(), FeedbackID: feedbackID, Language: language}
}

// Validate checks the fields consumers rely on.
func (e FeedbackEvent) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("%w: no id", ErrInvalid)
	case e.Version < 1 || e.Version > FeedbackEventVersion:
		return fmt.Errorf("%w: unsupported version %d", ErrInvalid, e.Version)
	case e.Type != FeedbackReceived:
		return fmt.Errorf("%w: unknown type %q", ErrInvalid, e.Type)
	case e.FeedbackID == "":
		return fmt.Errorf("%w: no feedback id", ErrInvalid)
	case len(e.Language) > 35:
		return fmt.Errorf("%w: language tag too long", ErrInvalid)
	}
	return nil
}

// Message encodes e for the membership-events topic.
func (e FeedbackEvent) Message() (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	return encodeEvent(e.ID, e.Type, MembershipEventsTopic, baseAttributes(e.ID, e.Type, e.Version), e)
}

// DecodeFeedbackPush decodes a push body from the membership-events topic.
// ok is false when the message is not a feedback event; when ok, err
// (wrapping ErrInvalid) says whether it can be processed.
func DecodeFeedbackPush(body []byte) (e FeedbackEvent, ok bool, err error) {
	return decodeTyped[FeedbackEvent](body, FeedbackReceived)
}
