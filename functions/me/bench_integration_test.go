//go:build integration

package me_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
)

// BenchmarkMeGet is GET /v2/me through the stack's gateway with a real
// Auth-emulator token: the access status and the profile are read in
// parallel. Reports p50/p99 in ms.
func BenchmarkMeGet(b *testing.B) {
	env := testenv.Get(b)
	token := env.Token(b, "admin@acme.example")
	samples := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		r := env.Do(b, "GET", "/v2/me", token, nil)
		samples = append(samples, time.Since(start))
		if r.Status != http.StatusOK {
			b.Fatalf("status %d: %s", r.Status, r.Body)
		}
	}
	slices.Sort(samples)
	at := func(q float64) float64 { return float64(samples[int(q*float64(len(samples)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
