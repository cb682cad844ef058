package events

import (
	"encoding/json"
	"fmt"
	"time"
)

// Push is the body of a Pub/Sub push request, which functions-framework
// hands to a CloudEvent function as the event's data:
//
//	{"message":{"data":"<base64>","attributes":{…},"messageId":"…","publishTime":"…"},"subscription":"…"}
type Push struct {
	Message struct {
		Data        []byte            `json:"data"` // base64 in JSON
		Attributes  map[string]string `json:"attributes"`
		MessageID   string            `json:"messageId"`
		PublishTime time.Time         `json:"publishTime"`
	} `json:"message"`
	Subscription string `json:"subscription"`
}

// DecodePush decodes a push body (a CloudEvent's Data()) into the event it
// carries. Errors wrap ErrInvalid: such a message will never decode, so the
// consumer should acknowledge it and record why.
//
//	func handle(ctx context.Context, ce event.Event) error {
//		ev, push, err := events.DecodePush(ce.Data())
//		if errors.Is(err, events.ErrInvalid) { … log, return nil … }
func DecodePush(data []byte) (Event, *Push, error) {
	var p Push
	if err := json.Unmarshal(data, &p); err != nil {
		return Event{}, nil, fmt.Errorf("%w: push body: %v", ErrInvalid, err)
	}
	if len(p.Message.Data) == 0 {
		return Event{}, &p, fmt.Errorf("%w: message %s has no data", ErrInvalid, p.Message.MessageID)
	}
	ev, err := Unmarshal(p.Message.Data)
	if err != nil {
		return Event{}, &p, err
	}
	// The attribute is set by Publish; a mismatch means someone else wrote it.
	if id, ok := p.Message.Attributes["eventId"]; ok && id != ev.ID {
		return Event{}, &p, fmt.Errorf("%w: eventId attribute %q does not match data id %q", ErrInvalid, id, ev.ID)
	}
	return ev, &p, nil
}

// Unmarshal decodes and validates message data.
func Unmarshal(data []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return Event{}, fmt.Errorf("%w: data: %v", ErrInvalid, err)
	}
	if err := ev.Validate(); err != nil {
		return Event{}, err
	}
	return ev, nil
}
