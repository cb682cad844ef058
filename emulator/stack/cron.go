package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a parsed 5-field cron expression (minute hour day-of-month
// month day-of-week), as Cloud Scheduler reads it: each field is a list of
// "*", "N", "A-B", with an optional "/STEP"; months and weekdays may be
// named (JAN, MON); weekday 7 is Sunday like 0. When both day fields are
// restricted, a time matches when either matches (classic cron).
type cronSpec struct {
	minute, hour, dom, month, dow uint64 // bit i set: value i allowed
	domAny, dowAny                bool   // field was "*" (unrestricted)
}

type cronField struct {
	name     string
	min, max int
	names    []string // names[i] is value min+i
}

var cronFields = [5]cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day of week", min: 0, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// parseCron parses a 5-field cron expression.
func parseCron(expr string) (cronSpec, error) {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return cronSpec{}, fmt.Errorf("cron %q: want 5 fields, got %d", expr, len(fields))
	}
	var bits [5]uint64
	for i, f := range fields {
		b, err := parseCronField(f, cronFields[i])
		if err != nil {
			return cronSpec{}, fmt.Errorf("cron %q: %s: %w", expr, cronFields[i].name, err)
		}
		bits[i] = b
	}
	if bits[4]&(1<<7) != 0 { // 7 is Sunday too
		bits[4] = bits[4]&^(1<<7) | 1
	}
	return cronSpec{
		minute: bits[0], hour: bits[1], dom: bits[2], month: bits[3], dow: bits[4],
		domAny: fields[2] == "*", dowAny: fields[4] == "*",
	}, nil
}

func parseCronField(s string, f cronField) (uint64, error) {
	var bits uint64
	for part := range strings.SplitSeq(s, ",") {
		rng, stepStr, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepStr)
			if err != nil || n < 1 {
				return 0, fmt.Errorf("bad step %q", stepStr)
			}
			step = n
		}
		lo, hi := f.min, f.max
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if lo, err = cronValue(a, f); err != nil {
				return 0, err
			}
			if hi, err = cronValue(b, f); err != nil {
				return 0, err
			}
			if lo > hi {
				return 0, fmt.Errorf("bad range %q", rng)
			}
		default:
			v, err := cronValue(rng, f)
			if err != nil {
				return 0, err
			}
			lo, hi = v, v
			if hasStep { // "N/S" means N-max/S
				hi = f.max
			}
		}
		for v := lo; v <= hi; v += step {
			bits |= 1 << v
		}
	}
	return bits, nil
}

func cronValue(s string, f cronField) (int, error) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < f.min || v > f.max {
		return 0, fmt.Errorf("value %q out of range %d-%d", s, f.min, f.max)
	}
	return v, nil
}

// match reports whether the minute containing t (in UTC) is due.
func (c cronSpec) match(t time.Time) bool {
	t = t.UTC()
	has := func(bits uint64, v int) bool { return bits&(1<<v) != 0 }
	if !has(c.minute, t.Minute()) || !has(c.hour, t.Hour()) || !has(c.month, int(t.Month())) {
		return false
	}
	domOK, dowOK := has(c.dom, t.Day()), has(c.dow, int(t.Weekday()))
	switch {
	case c.domAny || c.dowAny:
		return domOK && dowOK
	default:
		return domOK || dowOK
	}
}

// scheduledJob is a scheduled function and its parsed schedule.
type scheduledJob struct {
	name, topic string
	spec        cronSpec
}

// runSchedules plays Cloud Scheduler: at the start of every UTC minute it
// calls fire for each job whose schedule is due, until ctx is done.
func runSchedules(ctx context.Context, jobs []scheduledJob, fire func(ctx context.Context, j scheduledJob, at time.Time)) {
	if len(jobs) == 0 {
		return
	}
	for {
		next := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
		timer := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		for _, j := range jobs {
			if j.spec.match(next) {
				fire(ctx, j, next)
			}
		}
	}
}
