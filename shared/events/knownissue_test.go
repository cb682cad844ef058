package events

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func pushOf(t testing.TB, e KnownIssueEvent, attrs map[string]string) []byte {
	data, _ := json.Marshal(e)
	b, err := json.Marshal(map[string]any{"message": map[string]any{"data": data, "attributes": attrs, "messageId": "m"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKnownIssuePush(t *testing.T) {
	t.Parallel()
	e := NewKnownIssueUpdated(time.Now(), "ki-1", "u1", true)
	m, err := e.Message()
	if err != nil || m.Topic != KnownIssueEventsTopic || m.Attributes["knownIssueId"] != "ki-1" {
		t.Fatalf("message %+v, %v", m, err)
	}
	got, err := DecodeKnownIssuePush(pushOf(t, e, e.Attributes()))
	if err != nil || got.ID != e.ID || !got.Resolved || got.UpdateID != "u1" {
		t.Fatalf("decoded %+v, %v", got, err)
	}
	bad := []KnownIssueEvent{
		{},
		func() KnownIssueEvent { x := e; x.Version = 2; return x }(),
		func() KnownIssueEvent { x := e; x.Type = "case.created"; return x }(),
		func() KnownIssueEvent { x := e; x.UpdateID = ""; return x }(),
	}
	for _, b := range bad {
		if _, err := DecodeKnownIssuePush(pushOf(t, b, nil)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", b, err)
		}
	}
	if _, err := DecodeKnownIssuePush(pushOf(t, e, map[string]string{"eventId": "other"})); !errors.Is(err, ErrInvalid) {
		t.Errorf("mismatched eventId accepted")
	}
}

func FuzzDecodeKnownIssuePush(f *testing.F) {
	e := NewKnownIssueUpdated(time.Unix(1, 0), "ki-1", "u1", false)
	f.Add(pushOf(f, e, e.Attributes()))
	f.Add([]byte(`{"message":{"data":"e30="}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := DecodeKnownIssuePush(body)
		if err == nil && got.Validate() != nil {
			t.Fatalf("accepted an invalid event %+v", got)
		}
	})
}
