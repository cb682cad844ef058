package events

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzDecodeFeedbackPush: any push body is either not a feedback event,
// an invalid one (ErrInvalid), or one that validates; never a panic.
func FuzzDecodeFeedbackPush(f *testing.F) {
	msg, err := NewFeedbackReceived(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "fb1", "ko-KR").Message()
	if err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(map[string]any{"message": map[string]any{"data": msg.Data, "messageId": "1"}})
	f.Add(good)
	f.Add([]byte(`{"message":{"data":"eyJ0eXBlIjoiZmVlZGJhY2sucmVjZWl2ZWQifQ=="}}`)) // type only
	f.Add([]byte(`{"message":{"data":"e30="}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok, err := DecodeFeedbackPush(body)
		switch {
		case !ok && err != nil:
			t.Fatalf("not a feedback event, yet an error: %v", err)
		case ok && err != nil && !errors.Is(err, ErrInvalid):
			t.Fatalf("error without ErrInvalid: %v", err)
		case ok && err == nil && e.Validate() != nil:
			t.Fatalf("accepted an invalid event %+v", e)
		}
	})
}

func TestFeedbackEventRoundTrip(t *testing.T) {
	t.Parallel()
	ev := NewFeedbackReceived(time.Now(), "fb1", "ko")
	msg, err := ev.Message()
	if err != nil || msg.Topic != MembershipEventsTopic || msg.ID != ev.ID || msg.Type != FeedbackReceived {
		t.Fatalf("message %+v %v", msg, err)
	}
	body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": msg.Data}})
	got, ok, err := DecodeFeedbackPush(body)
	if !ok || err != nil || got.FeedbackID != "fb1" || got.Language != "ko" || got.ID != ev.ID {
		t.Fatalf("decoded %+v %v %v", got, ok, err)
	}
	// The other events on the topic are not feedback events, and a
	// feedback event is not an access-request answer.
	for _, other := range []Message{
		must(NewMembershipAdded("m1", time.Now(), "acme", "acme_x").Message()),
		must(NewAccessRequestAnswered(time.Now(), "req1").Message()),
	} {
		body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": other.Data}})
		if _, ok, err := DecodeFeedbackPush(body); ok || err != nil {
			t.Fatalf("%s taken as a feedback event: %v %v", other.Type, ok, err)
		}
	}
	if _, ok, err := DecodeAccessRequestPush(body); ok || err != nil {
		t.Fatalf("feedback event taken as an access-request answer: %v %v", ok, err)
	}
	for _, bad := range []FeedbackEvent{
		{ID: "x", Type: FeedbackReceived, Version: 2, FeedbackID: "f"},
		{ID: "x", Type: FeedbackReceived, Version: 1},
		{ID: "x", Type: FeedbackReceived, Version: 1, FeedbackID: "f", Language: strings.Repeat("a", 36)},
	} {
		if _, err := bad.Message(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v accepted: %v", bad, err)
		}
	}
}

func must(m Message, err error) Message {
	if err != nil {
		panic(err)
	}
	return m
}
