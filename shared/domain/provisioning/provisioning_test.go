package provisioning

import (
	"testing"
	"time"
)

func TestCanMove(t *testing.T) {
	t.Parallel()
	states := []string{Pending, Done, Failed, Cancelled}
	for _, from := range states {
		for _, to := range states {
			want := from == Pending && to != Pending
			if got := CanMove(from, to); got != want {
				t.Errorf("CanMove(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestAwaits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state, startedBy, event string
		want                    bool
	}{
		{Pending, "e1", "e1", true},
		{Pending, "e1", "e2", false}, // re-added since: a stale event
		{Done, "e1", "e1", false},
		{Failed, "e1", "e1", false},
		{Cancelled, "e1", "e1", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		if got := Awaits(tc.state, tc.startedBy, tc.event); got != tc.want {
			t.Errorf("Awaits(%q, %q, %q) = %v", tc.state, tc.startedBy, tc.event, got)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	for i, w := range want {
		if got := Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	// Bounded: every attempt is re-driven within a day and a half.
	total := Grace
	for n := 1; n <= MaxAttempts; n++ {
		total += Backoff(n)
	}
	if total > 36*time.Hour {
		t.Errorf("re-drives span %s", total)
	}
}

func TestNextRedrive(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		state    string
		attempts int
		retry    time.Time
		ok       bool
		want     Redrive
	}{
		{"not due yet", Pending, 0, now.Add(time.Second), false, Redrive{}},
		{"done", Done, 0, now.Add(-time.Hour), false, Redrive{}},
		{"cancelled", Cancelled, 0, now.Add(-time.Hour), false, Redrive{}},
		{"first re-drive", Pending, 0, now, true, Redrive{Attempts: 1, RetryTime: now.Add(15 * time.Minute)}},
		{"third re-drive", Pending, 2, now.Add(-time.Minute), true, Redrive{Attempts: 3, RetryTime: now.Add(time.Hour)}},
		{"last re-drive", Pending, MaxAttempts - 1, now, true, Redrive{Attempts: MaxAttempts, RetryTime: now.Add(MaxBackoff)}},
		{"gives up", Pending, MaxAttempts, now, true, Redrive{GiveUp: true, Error: "provisioning did not complete after 9 attempts"}},
	}
	for _, tc := range tests {
		got, ok := NextRedrive(tc.state, tc.attempts, tc.retry, now)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	if got := FirstRetry(now); !got.Equal(now.Add(Grace)) {
		t.Errorf("FirstRetry = %v", got)
	}
}
