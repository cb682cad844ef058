package caseclock

import (
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustCalendar(t *testing.T, s string) Calendar {
	t.Helper()
	c, err := ParseCalendar(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseCalendarRefuses(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "24x7 for P0/P1, Mon-Fri 08:00-20:00 otherwise", "Mon-Fri 09:00-18:00 (customer local time)",
		"Mon-Fri 20:00-08:00 UTC", "Mon-Fry 08:00-20:00", "Mon-Fri 08:00 UTC", "Mon-Fri 08:00-20:00 Mars/Olympus", "Mon-Fri 08:60-20:00"} {
		if _, err := ParseCalendar(s); err == nil {
			t.Errorf("ParseCalendar(%q) accepted", s)
		}
	}
	if c, err := CalendarOrAlways("whenever"); err == nil || !c.always {
		t.Errorf("CalendarOrAlways(whenever) = %+v, %v; want 24x7 and an error", c, err)
	}
}

func TestCalendarAdd(t *testing.T) {
	t.Parallel()
	seoul := mustZone(t, "Asia/Seoul")
	ny := mustZone(t, "America/New_York")
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name, hours string
		start       time.Time
		d           time.Duration
		want        time.Time
	}{
		{"24x7 plain", "24x7", time.Date(2026, 3, 6, 19, 0, 0, 0, time.UTC), 4 * time.Hour, time.Date(2026, 3, 6, 23, 0, 0, 0, time.UTC)},
		{"24x7 across New York's spring-forward counts real hours", "24x7",
			time.Date(2026, 3, 7, 23, 0, 0, 0, ny), 5 * time.Hour, time.Date(2026, 3, 8, 5, 0, 0, 0, ny)},
		{"inside the window", "Mon–Fri 08:00–20:00 KST", time.Date(2026, 3, 4, 9, 0, 0, 0, seoul), 2 * time.Hour, time.Date(2026, 3, 4, 11, 0, 0, 0, seoul)},
		{"Friday evening crosses the weekend", "Mon-Fri 08:00-20:00 Asia/Seoul",
			time.Date(2026, 3, 6, 19, 0, 0, 0, seoul), 2 * time.Hour, time.Date(2026, 3, 9, 9, 0, 0, 0, seoul)},
		{"filed on Saturday starts Monday morning", "Mon-Fri 08:00-20:00 KST",
			time.Date(2026, 3, 7, 12, 0, 0, 0, seoul), time.Hour, time.Date(2026, 3, 9, 9, 0, 0, 0, seoul)},
		{"filed before opening", "Mon-Fri 08:00-20:00 KST",
			time.Date(2026, 3, 4, 6, 0, 0, 0, seoul), 30 * time.Minute, time.Date(2026, 3, 4, 8, 30, 0, 0, seoul)},
		{"filed after closing", "Mon-Fri 08:00-20:00 KST",
			time.Date(2026, 3, 4, 21, 0, 0, 0, seoul), 30 * time.Minute, time.Date(2026, 3, 5, 8, 30, 0, 0, seoul)},
		{"several days", "Mon-Fri 08:00-20:00 KST",
			time.Date(2026, 3, 5, 8, 0, 0, 0, seoul), 36 * time.Hour, time.Date(2026, 3, 9, 20, 0, 0, 0, seoul)},
		{"weekend with New York's spring-forward: Monday opens at 08:00 EDT", "Mon-Fri 08:00-20:00 America/New_York",
			time.Date(2026, 3, 6, 19, 0, 0, 0, ny), 2 * time.Hour, time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC)},
		{"New York's fall-back weekend: Monday 08:30 EST is 13:30 UTC", "Mon-Fri 08:00-20:00 ET",
			time.Date(2026, 10, 30, 19, 30, 0, 0, ny), time.Hour, time.Date(2026, 11, 2, 13, 30, 0, 0, time.UTC)},
		{"a window holding Berlin's spring-forward lasts five real hours", "Sun 00:00-06:00 Europe/Berlin",
			time.Date(2026, 3, 29, 0, 0, 0, 0, berlin), 5*time.Hour + 30*time.Minute, time.Date(2026, 4, 5, 0, 30, 0, 0, berlin)},
		{"zero target inside hours is the start", "Mon-Fri 08:00-20:00 KST",
			time.Date(2026, 3, 4, 9, 0, 0, 0, seoul), 0, time.Date(2026, 3, 4, 9, 0, 0, 0, seoul)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := mustCalendar(t, tt.hours)
			got := c.Add(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", tt.start, tt.d, got, tt.want.UTC())
			}
			if got.Location() != time.UTC {
				t.Errorf("Add returned %v, want UTC", got.Location())
			}
			if b := c.Between(tt.start, got); b != tt.d {
				t.Errorf("Between(start, Add(start, %v)) = %v", tt.d, b)
			}
		})
	}
}

func TestCalendarBetween(t *testing.T) {
	t.Parallel()
	seoul := mustZone(t, "Asia/Seoul")
	c := mustCalendar(t, "Mon-Fri 08:00-20:00 KST")
	tests := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"a whole week", time.Date(2026, 3, 2, 0, 0, 0, 0, seoul), time.Date(2026, 3, 9, 0, 0, 0, 0, seoul), 60 * time.Hour},
		{"a weekend", time.Date(2026, 3, 7, 0, 0, 0, 0, seoul), time.Date(2026, 3, 9, 0, 0, 0, 0, seoul), 0},
		{"backwards", time.Date(2026, 3, 9, 0, 0, 0, 0, seoul), time.Date(2026, 3, 2, 0, 0, 0, 0, seoul), 0},
		{"Friday evening to Monday morning", time.Date(2026, 3, 6, 19, 0, 0, 0, seoul), time.Date(2026, 3, 9, 9, 0, 0, 0, seoul), 2 * time.Hour},
	}
	for _, tt := range tests {
		if got := c.Between(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Between = %v, want %v", tt.name, got, tt.want)
		}
	}
}
