//go:build integration

package knownissues_test

import (
	"testing"
	"time"
)

// BenchmarkMeTooBurst: 500 people in 25 organisations click "me too" on
// one issue at the same moment (in-process handler, emulator Firestore):
// successes, subscription transactions run again because of contention,
// and the latency of a click (p50/p99).
func BenchmarkMeTooBurst(b *testing.B) {
	const n, orgs = 500, 25
	d := newDirect(b)
	var ok, retries int
	var p50, p99 time.Duration
	for range b.N {
		b.StopTimer()
		id := d.issue(b, "clouddb")
		b.StartTimer()
		res := d.burst(b, id, n, orgs)
		ok, retries = ok+res.ok, retries+int(res.retries)
		p50, p99 = p50+res.percentile(0.5), p99+res.percentile(0.99)
	}
	per := float64(b.N)
	b.ReportMetric(float64(n), "clicks/op")
	b.ReportMetric(float64(ok)/per, "successes/op")
	b.ReportMetric(float64(retries)/per, "contention-retries/op")
	b.ReportMetric(float64(p50.Milliseconds())/per, "p50-ms")
	b.ReportMetric(float64(p99.Milliseconds())/per, "p99-ms")
}
