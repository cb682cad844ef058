package events

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

// Message is one event encoded for Pub/Sub: what the outbox stores in the
// transaction of the change that caused it and what a Publisher sends.
// ID is the event id (also the "eventId" attribute), so a re-published
// message keeps it and consumers' dedupe applies.
type Message struct {
	ID         string
	Topic      string
	Type       string
	Data       []byte
	Attributes map[string]string
}

// Message encodes e for the case-events topic.
func (e Event) Message() (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	data, err := Marshal(e)
	if err != nil {
		return Message{}, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	return Message{ID: e.ID, Topic: CaseEventsTopic, Type: e.Type, Data: data, Attributes: Attributes(e)}, nil
}

// Message encodes e for the membership-events topic.
func (e MembershipEvent) Message() (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	return encodeEvent(e.ID, e.Type, MembershipEventsTopic, e.Attributes(), e)
}

// encodeEvent encodes e (validated by the caller), with id and type typ,
// for topic with attrs as its Pub/Sub attributes.
func encodeEvent(id, typ, topic string, attrs map[string]string, e any) (Message, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return Message{}, fmt.Errorf("encode event %s: %w", id, err)
	}
	return Message{ID: id, Topic: topic, Type: typ, Data: data, Attributes: attrs}, nil
}

// baseAttributes are the attributes every event carries: eventId, type
// and schema version.
func baseAttributes(id, typ string, version int) map[string]string {
	return map[string]string{"eventId": id, "type": typ, "version": fmt.Sprint(version)}
}

// decodeTyped decodes a push body whose event has type typ into an E.
// ok is false when the message carries another type (or nothing
// decodable: the topic's other decoders say why); when ok, err (wrapping
// ErrInvalid) says whether it can be processed.
func decodeTyped[E interface{ Validate() error }](body []byte, typ string) (e E, ok bool, err error) {
	var p Push
	if json.Unmarshal(body, &p) != nil {
		return e, false, nil
	}
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(p.Message.Data, &head) != nil || head.Type != typ {
		return e, false, nil
	}
	if err := json.Unmarshal(p.Message.Data, &e); err != nil {
		var zero E
		return zero, true, fmt.Errorf("%w: message %s data: %v", ErrInvalid, p.Message.MessageID, err)
	}
	if err := e.Validate(); err != nil {
		var zero E
		return zero, true, err
	}
	return e, true, nil
}

// Publisher sends messages. Publish returns once every message is
// accepted by its topic, or with the failures.
type Publisher interface {
	Publish(ctx context.Context, msgs ...Message) error
}

// Recorder keeps published messages in memory (tests, and local tools that
// want to see what would be sent). Err, when set, fails every Publish.
type Recorder struct {
	mu   sync.Mutex
	msgs []Message
	Err  error
}

// Publish records msgs.
func (r *Recorder) Publish(_ context.Context, msgs ...Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Err != nil {
		return r.Err
	}
	r.msgs = append(r.msgs, msgs...)
	return nil
}

// Messages returns a copy of what was published.
func (r *Recorder) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.msgs...)
}

// Events returns the case events published, decoded, in publish order.
func (r *Recorder) Events() []Event {
	var out []Event
	for _, m := range r.Messages() {
		if m.Topic != CaseEventsTopic {
			continue
		}
		if e, err := Unmarshal(m.Data); err == nil {
			out = append(out, e)
		}
	}
	return out
}

// MembershipEvents returns the membership events published, decoded, in
// publish order.
func (r *Recorder) MembershipEvents() []MembershipEvent {
	var out []MembershipEvent
	for _, m := range r.Messages() {
		var e MembershipEvent
		if m.Topic == MembershipEventsTopic && json.Unmarshal(m.Data, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// ForCase returns the types published for caseID, in publish order.
func (r *Recorder) ForCase(caseID string) []string {
	var out []string
	for _, e := range r.Events() {
		if e.CaseID == caseID {
			out = append(out, e.Type)
		}
	}
	return out
}
