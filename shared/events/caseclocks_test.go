package events

import (
	"strings"
	"testing"
	"time"
)

// TestClockEventsRoundTrip: the case clocks' events validate and keep
// their due time and reason; events without them carry neither field.
func TestClockEventsRoundTrip(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	breach := New(CaseSLABreached, due.Add(time.Minute), "acme", "123")
	breach.DueTime = due
	closed := New(CaseClosed, due, "acme", "123")
	closed.Reason = ReasonAutoClose
	for _, e := range []Event{breach, closed, New(CaseReminded, due, "acme", "123")} {
		b, err := Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		if !got.DueTime.Equal(e.DueTime) || got.Reason != e.Reason || got.Type != e.Type {
			t.Errorf("%s: round trip %+v, want %+v", e.Type, got, e)
		}
		if e.DueTime.IsZero() && strings.Contains(string(b), "dueTime") || e.Reason == "" && strings.Contains(string(b), "reason") {
			t.Errorf("%s: empty fields in %s", e.Type, b)
		}
	}
}
