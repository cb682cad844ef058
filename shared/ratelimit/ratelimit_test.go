package ratelimit

import (
	"strings"
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	def := Defaults[CaseCreate]
	tests := map[string]struct {
		perPerson, perOrg, window int
		want                      Limit
	}{
		"unset keeps defaults":    {0, 0, 0, def},
		"package overrides":       {5, 50, 600, Limit{5, 50, 10 * time.Minute}},
		"only the window":         {0, 0, 86400, Limit{def.PerPerson, def.PerOrg, 24 * time.Hour}},
		"negative is at least 1":  {-3, -1, 0, Limit{1, 1, def.Window}},
		"too large is clamped":    {1 << 40, MaxCount + 1, 1 << 40, Limit{MaxCount, MaxCount, MaxWindow}},
		"tiny window is a minute": {0, 0, 1, Limit{def.PerPerson, def.PerOrg, MinWindow}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Resolve(CaseCreate, tc.perPerson, tc.perOrg, tc.window); got != tc.want {
				t.Fatalf("Resolve = %+v, want %+v", got, tc.want)
			}
		})
	}
	for _, a := range Actions {
		if l, ok := Defaults[a]; !ok || l.PerPerson < 1 || l.PerOrg < l.PerPerson || l.Window < MinWindow {
			t.Errorf("default of %s: %+v", a, l)
		}
	}
}

func TestWindowAt(t *testing.T) {
	t.Parallel()
	l := Limit{PerPerson: 1, PerOrg: 1, Window: time.Hour}
	at := time.Date(2026, 11, 30, 10, 59, 30, 0, time.UTC)
	w := l.WindowAt("acme", CaseCreate, at)
	if w.CounterID != "acme_caseCreate_1796032800" || !w.End.Equal(time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("window %+v", w)
	}
	if d := w.RetryDelay(at); d != 30*time.Second {
		t.Fatalf("retry delay %s", d)
	}
	if d := w.RetryDelay(at.Add(time.Hour)); d != 0 {
		t.Fatalf("retry delay after the window %s", d)
	}
	if next := l.WindowAt("acme", CaseCreate, at.Add(31*time.Second)); next.CounterID == w.CounterID {
		t.Fatal("the next hour shares the counter")
	}
	if other := l.WindowAt("globex", CaseCreate, at); other.CounterID == w.CounterID {
		t.Fatal("two organisations share a counter")
	}
}

func TestPersonKey(t *testing.T) {
	t.Parallel()
	k := PersonKey("uid-1")
	if k == PersonKey("uid-2") || len(k) != 25 || strings.Contains(k, "uid") {
		t.Fatalf("PersonKey %q", k)
	}
}

// FuzzResolve: whatever a package document holds, the limit is within
// bounds, so a counter can always be kept and a retry delay computed.
func FuzzResolve(f *testing.F) {
	f.Add(0, 0, 0)
	f.Add(-1, 1<<62, -1<<62)
	f.Add(1, 1, 59)
	f.Fuzz(func(t *testing.T, perPerson, perOrg, window int) {
		for _, a := range append(Actions, Action("unknown")) {
			l := Resolve(a, perPerson, perOrg, window)
			if l.PerPerson < 1 || l.PerPerson > MaxCount || l.PerOrg < 1 || l.PerOrg > MaxCount ||
				l.Window < MinWindow || l.Window > MaxWindow {
				t.Fatalf("Resolve(%s, %d, %d, %d) = %+v", a, perPerson, perOrg, window, l)
			}
			now := time.Unix(1796036400, 0)
			if w := l.WindowAt("o", a, now); w.RetryDelay(now) <= 0 || w.RetryDelay(now) > l.Window {
				t.Fatalf("window %+v", w)
			}
		}
	})
}
