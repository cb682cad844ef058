package caseclock

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Calendar is a product's support hours: around the clock, or a daily
// window on some weekdays in a time zone.
type Calendar struct {
	always     bool
	days       [7]bool // by time.Weekday
	open, shut int     // minutes after local midnight; shut > open
	loc        *time.Location
}

// Always is the 24x7 calendar.
var Always = Calendar{always: true}

// zoneAbbrev maps the abbreviations people write in support hours to zones.
var zoneAbbrev = map[string]string{
	"KST": "Asia/Seoul", "JST": "Asia/Tokyo", "UTC": "UTC", "GMT": "UTC",
	"CET": "Europe/Berlin", "ET": "America/New_York", "PT": "America/Los_Angeles",
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// ParseCalendar reads support hours: "24x7", or "Mon-Fri 08:00-20:00 ZONE"
// where ZONE is an IANA name (Asia/Seoul) or a known abbreviation (KST);
// en dashes are accepted, and a missing zone means UTC.
func ParseCalendar(s string) (Calendar, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "–", "-"))
	if strings.EqualFold(s, "24x7") || strings.EqualFold(s, "24/7") {
		return Always, nil
	}
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 3 {
		return Calendar{}, fmt.Errorf("support hours %q: want 24x7 or \"Mon-Fri 08:00-20:00 Zone\"", s)
	}
	var c Calendar
	d0, d1, ok := strings.Cut(strings.ToLower(f[0]), "-")
	if !ok {
		d1 = d0
	}
	from, ok0 := weekdays[d0]
	to, ok1 := weekdays[d1]
	if !ok0 || !ok1 {
		return Calendar{}, fmt.Errorf("support hours %q: unknown day range %q", s, f[0])
	}
	for d := from; ; d = (d + 1) % 7 {
		c.days[d] = true
		if d == to {
			break
		}
	}
	t0, t1, ok := strings.Cut(f[1], "-")
	var err0, err1 error
	c.open, err0 = clockMinutes(t0)
	c.shut, err1 = clockMinutes(t1)
	if !ok || err0 != nil || err1 != nil || c.shut <= c.open {
		return Calendar{}, fmt.Errorf("support hours %q: want a window like 08:00-20:00", s)
	}
	zone := "UTC"
	if len(f) == 3 {
		zone = f[2]
		if z, ok := zoneAbbrev[strings.ToUpper(zone)]; ok {
			zone = z
		}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return Calendar{}, fmt.Errorf("support hours %q: unknown time zone %q", s, zone)
	}
	c.loc = loc
	return c, nil
}

func clockMinutes(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err0 := strconv.Atoi(h)
	mm, err1 := strconv.Atoi(m)
	if !ok || err0 != nil || err1 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return hh*60 + mm, nil
}

// CalendarOrAlways parses hours and falls back to 24x7 when they do not
// parse: counting every hour never understates how late support is.
func CalendarOrAlways(hours string) (Calendar, error) {
	c, err := ParseCalendar(hours)
	if err != nil {
		return Always, err
	}
	return c, nil
}

// window returns the support window of the local day that contains t.
// time.Date normalises wall times that a daylight-saving change skips, and
// the window's length is the real elapsed time between its ends.
func (c Calendar) window(t time.Time) (open, shut time.Time, ok bool) {
	l := t.In(c.loc)
	y, m, d := l.Date()
	if !c.days[l.Weekday()] {
		return time.Time{}, time.Time{}, false
	}
	open = time.Date(y, m, d, c.open/60, c.open%60, 0, 0, c.loc)
	shut = time.Date(y, m, d, c.shut/60, c.shut%60, 0, 0, c.loc)
	return open, shut, true
}

// nextDay returns local midnight of the day after t's.
func (c Calendar) nextDay(t time.Time) time.Time {
	l := t.In(c.loc)
	y, m, d := l.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
}

// Add returns the time d of support hours after start (start itself when d
// is zero or less and start is inside support hours).
func (c Calendar) Add(start time.Time, d time.Duration) time.Time {
	if c.always {
		return start.Add(max(d, 0)).UTC()
	}
	t := start
	for range 366 * 2 { // a year of days at most; a calendar has at least one open day
		open, shut, ok := c.window(t)
		if ok && t.Before(shut) {
			if t.Before(open) {
				t = open
			}
			left := shut.Sub(t)
			if d <= left {
				return t.Add(max(d, 0)).UTC()
			}
			d -= left
		}
		t = c.nextDay(t)
	}
	return t.UTC()
}

// Between returns the support hours between a and b (zero when b is not
// after a).
func (c Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always {
		return b.Sub(a)
	}
	var sum time.Duration
	t := a
	for t.Before(b) {
		if open, shut, ok := c.window(t); ok {
			lo, hi := maxTime(t, open), minTime(b, shut)
			if hi.After(lo) {
				sum += hi.Sub(lo)
			}
		}
		t = c.nextDay(t)
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
