package main

import (
	"testing"
	"time"
)

func TestCronMatch(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// 2026-03-02 is a Monday.
	tests := []struct {
		expr string
		time string
		want bool
	}{
		{"* * * * *", "2026-03-02T10:17:42Z", true},
		{"0 * * * *", "2026-03-02T10:00:00Z", true},
		{"0 * * * *", "2026-03-02T10:01:00Z", false},
		{"*/15 * * * *", "2026-03-02T10:45:00Z", true},
		{"*/15 * * * *", "2026-03-02T10:46:00Z", false},
		{"5/20 * * * *", "2026-03-02T10:25:00Z", true},
		{"5/20 * * * *", "2026-03-02T10:20:00Z", false},
		{"0 3 * * *", "2026-03-02T03:00:59Z", true},
		{"0 3 * * *", "2026-03-02T04:00:00Z", false},
		{"0 9-17/4 * * *", "2026-03-02T13:00:00Z", true},
		{"0 9-17/4 * * *", "2026-03-02T15:00:00Z", false},
		{"0,30 8,20 * * *", "2026-03-02T20:30:00Z", true},
		{"0 0 1 * *", "2026-03-01T00:00:00Z", true},
		{"0 0 1 * *", "2026-03-02T00:00:00Z", false},
		{"0 0 * 3 *", "2026-03-02T00:00:00Z", true},
		{"0 0 * MAR *", "2026-03-02T00:00:00Z", true},
		{"0 0 * jan-feb *", "2026-03-02T00:00:00Z", false},
		{"0 0 * * MON", "2026-03-02T00:00:00Z", true},
		{"0 0 * * 1-5", "2026-03-01T00:00:00Z", false}, // Sunday
		{"0 0 * * 0", "2026-03-01T00:00:00Z", true},
		{"0 0 * * 7", "2026-03-01T00:00:00Z", true}, // 7 is Sunday too
		{"0 0 * * SUN", "2026-03-01T00:00:00Z", true},
		// Both day fields restricted: either matches.
		{"0 0 15 * MON", "2026-03-02T00:00:00Z", true},
		{"0 0 15 * MON", "2026-03-15T00:00:00Z", true},
		{"0 0 15 * MON", "2026-03-03T00:00:00Z", false},
		// One restricted: it alone decides.
		{"0 0 15 * *", "2026-03-02T00:00:00Z", false},
		// Always evaluated in UTC.
		{"0 3 * * *", "2026-03-02T04:00:00+01:00", true},
	}
	for _, tt := range tests {
		spec, err := parseCron(tt.expr)
		if err != nil {
			t.Errorf("parseCron(%q): %v", tt.expr, err)
			continue
		}
		if got := spec.match(at(tt.time)); got != tt.want {
			t.Errorf("%q at %s = %v, want %v", tt.expr, tt.time, got, tt.want)
		}
	}
}

func TestParseCronErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"",
		"* * * *",
		"* * * * * *",
		"60 * * * *",
		"* 24 * * *",
		"* * 0 * *",
		"* * * 13 *",
		"* * * * 8",
		"*/0 * * * *",
		"5-1 * * * *",
		"a * * * *",
		"* * * FOO *",
		"1-* * * * *",
	} {
		if _, err := parseCron(expr); err == nil {
			t.Errorf("parseCron(%q): want error", expr)
		}
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"* * * * *", "*/5 1-3 1,15 JAN-MAR MON-FRI", "0 0 * * 7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		spec, err := parseCron(expr)
		if err != nil {
			return
		}
		spec.match(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) // must not panic
	})
}
