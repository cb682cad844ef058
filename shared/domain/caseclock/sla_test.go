package caseclock

import (
	"testing"
	"time"
)

func TestRespond(t *testing.T) {
	t.Parallel()
	created := Responses{CreateTime: t0}
	answered := Responses{CreateTime: t0, FirstResponseTime: t0.Add(time.Hour)}
	awaiting := Responses{CreateTime: t0, FirstResponseTime: t0.Add(time.Hour), AwaitingSince: t0.Add(2 * time.Hour)}
	at := t0.Add(5 * time.Hour)
	tests := []struct {
		name      string
		from      Responses
		bySupport bool
		want      Responses
	}{
		{"support's first comment is the first response", created, true, Responses{CreateTime: t0, FirstResponseTime: at}},
		{"customer comment before any answer: the first-response clock keeps running", created, false, created},
		{"customer comment after an answer starts the next-response clock", answered, false, Responses{CreateTime: t0, FirstResponseTime: t0.Add(time.Hour), AwaitingSince: at}},
		{"a second customer comment does not push the due time back", awaiting, false, awaiting},
		{"support answers what awaited; the first response stays", awaiting, true, answered},
	}
	for _, tt := range tests {
		if got := tt.from.Respond(tt.bySupport, at); got != tt.want {
			t.Errorf("%s: Respond = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	seoul := mustZone(t, "Asia/Seoul")
	always := Always
	office := mustCalendar(t, "Mon-Fri 08:00-20:00 KST")
	p2 := Target{FirstResponse: 4 * time.Hour, NextResponse: 8 * time.Hour}
	p0 := Target{FirstResponse: 15 * time.Minute, NextResponse: 30 * time.Minute}
	fri := time.Date(2026, 3, 6, 18, 0, 0, 0, seoul) // Friday 18:00 KST
	created := Responses{CreateTime: t0}
	answered := Responses{CreateTime: t0, FirstResponseTime: t0.Add(time.Hour)}
	awaiting := Responses{CreateTime: t0, FirstResponseTime: t0.Add(time.Hour), AwaitingSince: t0.Add(2 * time.Hour)}
	tests := []struct {
		name string
		r    Responses
		tg   Target
		cal  Calendar
		now  time.Time
		want SLA
	}{
		{"first response on track", created, p2, always, t0.Add(time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), DueTime: t0.Add(4 * time.Hour), State: OnTrack}},
		{"first response due soon (last quarter)", created, p2, always, t0.Add(3 * time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), DueTime: t0.Add(4 * time.Hour), State: DueSoon}},
		{"at the due time it is still due soon", created, p2, always, t0.Add(4 * time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), DueTime: t0.Add(4 * time.Hour), State: DueSoon}},
		{"first response breached", created, p2, always, t0.Add(4*time.Hour + time.Second),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), DueTime: t0.Add(4 * time.Hour), State: Breached}},
		{"answered: met", answered, p2, always, t0.Add(30 * time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), FirstResponseTime: t0.Add(time.Hour), State: Met}},
		{"next response runs from the customer's comment", awaiting, p2, always, t0.Add(3 * time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), FirstResponseTime: t0.Add(time.Hour),
				NextResponseDueTime: t0.Add(10 * time.Hour), DueTime: t0.Add(10 * time.Hour), State: OnTrack}},
		{"next response breached", awaiting, p2, always, t0.Add(11 * time.Hour),
			SLA{FirstResponseDueTime: t0.Add(4 * time.Hour), FirstResponseTime: t0.Add(time.Hour),
				NextResponseDueTime: t0.Add(10 * time.Hour), DueTime: t0.Add(10 * time.Hour), State: Breached}},
		{"priority raised to P0: re-computed from the new target", created, p0, always, t0.Add(time.Hour),
			SLA{FirstResponseDueTime: t0.Add(15 * time.Minute), DueTime: t0.Add(15 * time.Minute), State: Breached}},
		{"no target: nothing runs", created, Target{}, always, t0.Add(time.Hour), SLA{State: Met}},
		{"business hours: filed Friday 18:00, due Monday 10:00, on track on Sunday", Responses{CreateTime: fri}, p2, office,
			time.Date(2026, 3, 8, 12, 0, 0, 0, seoul),
			SLA{FirstResponseDueTime: time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC), DueTime: time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC), State: OnTrack}},
		{"business hours: due soon Monday 09:00", Responses{CreateTime: fri}, p2, office,
			time.Date(2026, 3, 9, 9, 0, 0, 0, seoul),
			SLA{FirstResponseDueTime: time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC), DueTime: time.Date(2026, 3, 9, 1, 0, 0, 0, time.UTC), State: DueSoon}},
		{"24x7 the same case breached on Friday night", Responses{CreateTime: fri}, p2, always,
			time.Date(2026, 3, 6, 22, 30, 0, 0, seoul),
			SLA{FirstResponseDueTime: time.Date(2026, 3, 6, 13, 0, 0, 0, time.UTC), DueTime: time.Date(2026, 3, 6, 13, 0, 0, 0, time.UTC), State: Breached}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Compute(tt.r, tt.tg, tt.cal, tt.now)
			if !got.FirstResponseDueTime.Equal(tt.want.FirstResponseDueTime) || !got.NextResponseDueTime.Equal(tt.want.NextResponseDueTime) ||
				!got.FirstResponseTime.Equal(tt.want.FirstResponseTime) || !got.DueTime.Equal(tt.want.DueTime) || got.State != tt.want.State {
				t.Errorf("Compute = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}
