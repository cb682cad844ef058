package events

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

func sample() Event {
	e := New(CaseCommented, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), "acme", "123456789")
	e.CommentID, e.ActorUID, e.ActorIsSupport = "c1", "uid-1", true
	return e
}

func pushBody(t testing.TB, data []byte, attrs map[string]string) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"message":      map[string]any{"data": base64.StdEncoding.EncodeToString(data), "attributes": attrs, "messageId": "m1"},
		"subscription": "projects/p/subscriptions/notify-push",
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodePushRoundTrip(t *testing.T) {
	t.Parallel()
	e := sample()
	data, err := Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	got, push, err := DecodePush(pushBody(t, data, Attributes(e)))
	if err != nil {
		t.Fatal(err)
	}
	if got != e {
		t.Fatalf("got %+v, want %+v", got, e)
	}
	if push.Message.MessageID != "m1" || push.Subscription == "" {
		t.Fatalf("push metadata %+v", push)
	}
}

func TestDecodePushRefusesForever(t *testing.T) {
	t.Parallel()
	good := sample()
	newer := good
	newer.Version = Version + 1
	unknown := good
	unknown.Type = "case.exploded"
	noCase := good
	noCase.CaseID = ""
	enc := func(e Event) []byte { b, _ := Marshal(e); return b }
	tests := map[string][]byte{
		"not json":         []byte("{"),
		"no data":          pushBody(t, nil, nil),
		"data not json":    pushBody(t, []byte("hello"), nil),
		"newer version":    pushBody(t, enc(newer), nil),
		"unknown type":     pushBody(t, enc(unknown), nil),
		"no case":          pushBody(t, enc(noCase), nil),
		"mismatched attrs": pushBody(t, enc(good), map[string]string{"eventId": "other"}),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := DecodePush(body); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestNewIDsAreUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if seen[id] || len(id) != 32 {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestTopicIsInManifest(t *testing.T) {
	t.Parallel()
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(m.Topics, func(tp manifest.Topic) bool { return tp.Name == CaseEventsTopic }) {
		t.Fatalf("topic %q is not in infra/functions.yaml", CaseEventsTopic)
	}
}

// FuzzDecodePush checks the decoder never panics and only returns events
// that validate.
func FuzzDecodePush(f *testing.F) {
	data, _ := Marshal(sample())
	f.Add(pushBody(f, data, Attributes(sample())))
	f.Add([]byte(`{"message":{"data":"e30="}}`))
	f.Add([]byte(`{"message":{"data":"!!"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, _, err := DecodePush(b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		if err := ev.Validate(); err != nil {
			t.Fatalf("decoded invalid event: %v", err)
		}
	})
}

func TestConstructors(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("KST", 9*3600))
	a := NewAttachmentAdded("ev-1", at, "acme", "123456789", "att-1", "uid-1", "key-1", true)
	want := Event{ID: "ev-1", Type: CaseAttachmentAdded, Version: Version, Time: at.UTC(), OrgID: "acme", CaseID: "123456789",
		AttachmentID: "att-1", ActorUID: "uid-1", ActorKey: "key-1", ActorIsSupport: true}
	if a != want || a.Validate() != nil {
		t.Errorf("NewAttachmentAdded = %+v (%v), want %+v", a, a.Validate(), want)
	}
	m := NewMembershipAdded("ev-2", at, "acme", "acme_k")
	wantM := MembershipEvent{ID: "ev-2", Type: MembershipAdded, Version: MembershipEventVersion, Time: at, OrgID: "acme", MembershipID: "acme_k"}
	if m != wantM || m.Validate() != nil {
		t.Errorf("NewMembershipAdded = %+v (%v), want %+v", m, m.Validate(), wantM)
	}
}

// FuzzDecodeAccessRequestPush: any push body is either not an
// access-request event (left to the membership decoder), an invalid one
// (ErrInvalid), or one that validates; never a panic.
func FuzzDecodeAccessRequestPush(f *testing.F) {
	ev := NewAccessRequestAnswered(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "req1")
	msg, err := ev.Message()
	if err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(map[string]any{"message": map[string]any{"data": msg.Data, "messageId": "1"}})
	f.Add(good)
	f.Add([]byte(`{"message":{"data":"eyJ0eXBlIjoiYWNjZXNzUmVxdWVzdC5hbnN3ZXJlZCJ9"}}`)) // type only
	f.Add([]byte(`{"message":{"data":"e30="}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok, err := DecodeAccessRequestPush(body)
		switch {
		case !ok && err != nil:
			t.Fatalf("not an access-request event, yet an error: %v", err)
		case ok && err != nil && !errors.Is(err, ErrInvalid):
			t.Fatalf("error without ErrInvalid: %v", err)
		case ok && err == nil && e.Validate() != nil:
			t.Fatalf("accepted an invalid event %+v", e)
		}
	})
}

func TestAccessRequestEventRoundTrip(t *testing.T) {
	t.Parallel()
	ev := NewAccessRequestAnswered(time.Now(), "req1")
	msg, err := ev.Message()
	if err != nil || msg.Topic != MembershipEventsTopic || msg.ID != ev.ID {
		t.Fatalf("message %+v %v", msg, err)
	}
	body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": msg.Data}})
	got, ok, err := DecodeAccessRequestPush(body)
	if !ok || err != nil || got.AccessRequestID != "req1" || got.ID != ev.ID {
		t.Fatalf("decoded %+v %v %v", got, ok, err)
	}
	// A membership event on the same topic is not one.
	mm, _ := NewMembershipAdded("m1", time.Now(), "acme", "acme_x").Message()
	body, _ = json.Marshal(map[string]any{"message": map[string]any{"data": mm.Data}})
	if _, ok, err := DecodeAccessRequestPush(body); ok || err != nil {
		t.Fatalf("membership event taken as an access-request event: %v %v", ok, err)
	}
	if _, err := (AccessRequestEvent{ID: "x", Type: AccessRequestAnswered, Version: 2, AccessRequestID: "r"}).Message(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("newer version accepted: %v", err)
	}
}
