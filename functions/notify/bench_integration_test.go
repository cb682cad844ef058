//go:build integration

package notify_test

import (
	"slices"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
)

// BenchmarkNotifyLatency is the notification path end to end on the
// stack: a support agent's comment through the gateway → the cases
// function's outbox and publish → Pub/Sub push → notify → the mail
// capture server, timed from the API call until the case creator's e-mail
// is captured (polled every 5 ms). Reports p50/p99 in ms.
func BenchmarkNotifyLatency(b *testing.B) {
	env := testenv.Get(b)
	const admin, agent = "admin@acme.example", "agent@support.example"
	caseID := createCase(b, env, "acme", env.Token(b, admin), "Notify bench "+testenv.UniqueID("t"), nil)
	agentToken := env.Token(b, agent)
	seen := len(about(stackMail(b, env, admin), caseID))
	samples := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		comment(b, env, "acme", caseID, agentToken, "bench reply")
		deadline := start.Add(30 * time.Second)
		for len(about(stackMail(b, env, admin), caseID)) <= seen {
			if time.Now().After(deadline) {
				b.Fatalf("no e-mail about case %s 30 s after the comment", caseID)
			}
			time.Sleep(5 * time.Millisecond)
		}
		samples = append(samples, time.Since(start))
		seen++
	}
	slices.Sort(samples)
	at := func(q float64) float64 { return float64(samples[int(q*float64(len(samples)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
