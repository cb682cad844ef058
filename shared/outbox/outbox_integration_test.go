//go:build integration

package outbox_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

// commit files a case in orgID with its case.created event in the outbox
// and returns the committed messages.
func commit(t *testing.T, st *store.Store, orgID string) []events.Message {
	t.Helper()
	now := time.Now().UTC()
	c := &store.Case{OrgID: orgID, ProductID: "clouddb", DisplayName: "outbox", Description: "d", LanguageCode: "en",
		Priority: "P3", State: casestate.New, Open: true, SubscriberEmailAddresses: []string{}, CreatorUID: "u",
		CreatorEmail: "u@example.com", CreateTime: now, UpdateTime: now}
	msgs, err := st.CreateCase(t.Context(), c, func(c *store.Case) []events.Event {
		return []events.Event{events.New(events.CaseCreated, now, c.OrgID, c.ID)}
	})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("commit: %v %v", msgs, err)
	}
	return msgs
}

func held(t *testing.T, st *store.Store, orgID string) int {
	t.Helper()
	es, err := st.HeldOutbox(t.Context(), orgID, time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestSend: a published message leaves the outbox; one Pub/Sub refused
// stays for the relay, which sends it with its original id.
func TestSend(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	tests := []struct {
		name     string
		pubErr   error
		wantHeld int
	}{
		{"published and cleared", nil, 0},
		{"refused and kept", errors.New("pubsub unreachable"), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := env.NewCustomer(t, "GOLD", "clouddb")
			msgs := commit(t, st, tn.OrgID)
			rec := &events.Recorder{Err: tc.pubErr}
			ob := outbox.New(st, rec, slog.New(slog.DiscardHandler))
			ob.Send(t.Context(), msgs...)
			if n := held(t, st, tn.OrgID); n != tc.wantHeld {
				t.Fatalf("outbox holds %d, want %d", n, tc.wantHeld)
			}
			rec.Err = nil
			res, err := ob.Relay(t.Context(), time.Now(), time.Nanosecond, tn.OrgID, 10)
			if err != nil || res.Published != tc.wantHeld {
				t.Fatalf("relay: %+v %v", res, err)
			}
			got := rec.Messages()
			if len(got) != 1 || got[0].ID != msgs[0].ID || string(got[0].Data) != string(msgs[0].Data) {
				t.Fatalf("published %+v, want the committed message once", got)
			}
		})
	}
}

// TestClaimLosesToAnotherRun: a message claimed by one run since another
// listed it is skipped by the other (ErrConflict), so it is published once.
func TestClaimLosesToAnotherRun(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	commit(t, st, tn.OrgID)
	now := time.Now()
	listA, err := st.HeldOutbox(t.Context(), tn.OrgID, now, 10)
	if err != nil || len(listA) != 1 {
		t.Fatalf("list: %v %v", listA, err)
	}
	listB, err := st.HeldOutbox(t.Context(), tn.OrgID, now, 10)
	if err != nil || len(listB) != 1 {
		t.Fatalf("list: %v %v", listB, err)
	}
	if err := st.ClaimOutbox(t.Context(), listA[0], now); err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if err := st.ClaimOutbox(t.Context(), listB[0], now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second claim: %v, want ErrConflict", err)
	}
	if err := st.DeleteOutbox(t.Context(), listA[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ClaimOutbox(t.Context(), listA[0], now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("claim after delete: %v, want ErrConflict", err)
	}
}
