package publish

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/events"
)

// fakePubSub answers topics.publish as Pub/Sub's REST API does, failing
// the first failures calls with 503.
type fakePubSub struct {
	mu       sync.Mutex
	failures int
	calls    int
	got      map[string][]pubsubMessage // by request path
}

func (f *fakePubSub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.failures > 0 {
		f.failures--
		http.Error(w, `{"error":{"code":503}}`, http.StatusServiceUnavailable)
		return
	}
	var req publishRequest
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	f.got[r.URL.Path] = append(f.got[r.URL.Path], req.Messages...)
	ids := make([]string, len(req.Messages))
	for i := range ids {
		ids[i] = "m" + string(rune('0'+i))
	}
	_ = json.NewEncoder(w).Encode(publishResponse{MessageIDs: ids})
}

func TestPubSubPublishes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		t.Fatal(err)
	}
	a2, err := events.New(events.CaseClosed, time.Now(), "acme", "123456789").Message()
	if err != nil {
		t.Fatal(err)
	}
	b, err := events.MembershipEvent{ID: events.NewID(), Type: events.MembershipAdded, Version: events.MembershipEventVersion,
		Time: time.Now(), OrgID: "acme", MembershipID: "acme_x"}.Message()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		failures int // 503 answers before the fake accepts
	}{
		{"accepted at once", 0},
		{"after transient failures", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := &fakePubSub{failures: tc.failures, got: map[string][]pubsubMessage{}}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			p, err := NewWithConfig(ctx, Config{ProjectID: "p", BaseURL: srv.URL, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := p.Publish(ctx, a, b, a2); err != nil {
				t.Fatal(err)
			}
			caseTopic := fake.got["/v1/projects/p/topics/"+events.CaseEventsTopic+":publish"]
			memberTopic := fake.got["/v1/projects/p/topics/"+events.MembershipEventsTopic+":publish"]
			if len(caseTopic) != 2 || len(memberTopic) != 1 || len(fake.got) != 2 {
				t.Fatalf("published %v", fake.got)
			}
			// Same topic: one request, in the caller's order.
			for i, m := range []events.Message{a, a2} {
				got, err := events.Unmarshal(caseTopic[i].Data)
				if err != nil || got.ID != m.ID || caseTopic[i].Attributes["eventId"] != m.ID {
					t.Fatalf("case message %d: %+v (%v), want event %s", i, got, err, m.ID)
				}
			}
			if memberTopic[0].Attributes["eventId"] != b.ID {
				t.Fatalf("membership message attributes %v", memberTopic[0].Attributes)
			}
			if want := 2 + tc.failures; fake.calls != want {
				t.Fatalf("%d calls, want %d", fake.calls, want)
			}
		})
	}
}

func TestPubSubRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"error":{"code":404,"message":"Topic not found"}}`, http.StatusNotFound)
	}))
	defer srv.Close()
	p, err := NewWithConfig(ctx, Config{ProjectID: "p", BaseURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	m, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		msg  events.Message
		want func(error) bool
	}{
		{"message without a topic is refused before anything is sent", events.Message{ID: "x", Data: []byte("{}")},
			func(err error) bool { return errors.Is(err, events.ErrInvalid) }},
		{"a refusal is not retried and names the event", m,
			func(err error) bool {
				return err != nil && strings.Contains(err.Error(), "404") && strings.Contains(err.Error(), m.ID)
			}},
	} {
		if err := p.Publish(ctx, tc.msg); !tc.want(err) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
