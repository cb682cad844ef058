package activateusers

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	// Bounded: every attempt is re-driven within a day and a half.
	var total time.Duration
	for n := 1; n <= maxAttempts; n++ {
		total += backoff(n)
	}
	if total > 36*time.Hour {
		t.Errorf("re-drives span %s", total)
	}
}
