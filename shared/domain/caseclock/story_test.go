package caseclock

import (
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/clock"
)

// TestSLAStoryBusinessHoursWeekendAndDST follows one unanswered P2 case
// (first response within 4 support hours) filed on Friday 18:00 in New
// York, Mon–Fri 08:00–20:00, on the weekend the clocks spring forward: two
// hours count on Friday, none on the weekend, and the due time is Monday
// 10:00 EDT — 14:00 UTC, not 15:00 as on the Friday's offset. A fake clock
// walks it through ON_TRACK, DUE_SOON and BREACHED, the breach is alerted
// once per run of the clock, and a priority change re-computes the due time
// without alerting the same run again.
func TestSLAStoryBusinessHoursWeekendAndDST(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	cal := mustCalendar(t, "Mon-Fri 08:00-20:00 America/New_York")
	p2 := Target{FirstResponse: 4 * time.Hour, NextResponse: 8 * time.Hour}
	p4 := Target{FirstResponse: 24 * time.Hour, NextResponse: 48 * time.Hour}
	filed := time.Date(2026, 3, 6, 18, 0, 0, 0, ny) // Friday, EST (UTC-5)
	r := Responses{CreateTime: filed}
	clk := clock.NewFake(filed)
	at := func(local time.Time, want string) SLA {
		t.Helper()
		clk.Set(local)
		s := Compute(r, p2, cal, clk.Now())
		if s.State != want {
			t.Fatalf("%v: state %s, want %s (due %v)", local, s.State, want, s.DueTime)
		}
		return s
	}
	s := at(filed.Add(time.Hour), OnTrack)
	if want := time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC); !s.DueTime.Equal(want) || !s.FirstResponseDueTime.Equal(want) {
		t.Fatalf("due %v, want Monday 10:00 EDT = %v", s.DueTime, want)
	}
	if want := time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC); !s.DueSoonTime.Equal(want) || !s.Start.Equal(filed) {
		t.Fatalf("due soon %v (want Monday 09:00 EDT = %v), start %v", s.DueSoonTime, want, s.Start)
	}
	at(time.Date(2026, 3, 8, 12, 0, 0, 0, ny), OnTrack) // Sunday, after the change
	at(time.Date(2026, 3, 9, 9, 0, 0, 0, ny), DueSoon)  // three of four hours used
	s = at(time.Date(2026, 3, 9, 10, 0, 1, 0, ny), Breached)

	// The sweep alerts the breach once: it records the clock's start.
	if !BreachToAlert(s, time.Time{}) {
		t.Fatal("an unalerted breach is not to alert")
	}
	alerted := s.Start
	if BreachToAlert(s, alerted) {
		t.Fatal("the same breach is to alert again (a duplicate tick)")
	}
	// Support lowers the priority: the due time moves out, the state is
	// ON_TRACK again; raising it back breaches the same run, not alerted
	// twice, and nothing is due for the sweep.
	lowered := Compute(r, p4, cal, clk.Now())
	if lowered.State != OnTrack || !lowered.DueTime.After(clk.Now()) {
		t.Fatalf("lowered to P4: %+v", lowered)
	}
	again := Compute(r, p2, cal, clk.Now())
	if BreachToAlert(again, alerted) || !NextDue(Plan{}, again, alerted).IsZero() {
		t.Fatalf("the same run breached again is to alert or due: %+v", again)
	}
	// Support answers; the customer writes again on Monday 19:00: a new
	// run (8 support hours: 1 on Monday, 7 on Tuesday → Tuesday 15:00 EDT).
	r = r.Respond(true, time.Date(2026, 3, 9, 11, 0, 0, 0, ny))
	r = r.Respond(false, time.Date(2026, 3, 9, 19, 0, 0, 0, ny))
	next := Compute(r, p2, cal, time.Date(2026, 3, 10, 15, 30, 0, 0, ny))
	if next.State != Breached || !next.DueTime.Equal(time.Date(2026, 3, 10, 19, 0, 0, 0, time.UTC)) || !BreachToAlert(next, alerted) {
		t.Fatalf("the next response: %+v, want a new breach to alert, due Tuesday 15:00 EDT", next)
	}
}

// TestSLAStory24x7AcrossDST: around the clock, a target counts real hours
// across New York's fall-back night (the 01:00 hour happens twice).
func TestSLAStory24x7AcrossDST(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	filed := time.Date(2026, 10, 31, 23, 0, 0, 0, ny) // Saturday 23:00 EDT
	s := Compute(Responses{CreateTime: filed}, Target{FirstResponse: 4 * time.Hour}, Always, filed)
	// 4 real hours: 03:00 EDT would be wrong; it is 02:00 EST (07:00 UTC).
	if want := time.Date(2026, 11, 1, 2, 0, 0, 0, ny); !s.DueTime.Equal(want) || want.UTC().Hour() != 7 {
		t.Fatalf("due %v, want %v", s.DueTime, want.UTC())
	}
	if s.State != OnTrack || !s.DueSoonTime.Equal(filed.Add(3*time.Hour)) {
		t.Fatalf("%+v", s)
	}
}
