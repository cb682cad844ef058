//go:build integration

package cases_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/gateway"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// viaGateway puts the local gateway (the load balancer's stand-in) in front
// of d's handler, as the runner does, and returns the gateway's URL.
func viaGateway(b *testing.B, d *direct) string {
	b.Helper()
	m, err := manifest.Load()
	if err != nil {
		b.Fatal(err)
	}
	fn := httptest.NewServer(http.StripPrefix("/cases", d.handler))
	b.Cleanup(fn.Close)
	u, err := url.Parse(fn.URL)
	if err != nil {
		b.Fatal(err)
	}
	gw := httptest.NewServer(gateway.New(m, u, slog.New(slog.DiscardHandler)))
	b.Cleanup(gw.Close)
	return gw.URL
}

// benchClient keeps a connection per benchmark client.
var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// send is call for the benchmark goroutine: any failure ends the benchmark.
func send(b *testing.B, base, method, path, token string, body any) []byte {
	out, err := call(base, method, path, token, body)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// call sends one JSON request and wants 200.
func call(base, method, path, token string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := benchClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	return out, nil
}

// BenchmarkCasesOps measures each case operation through the gateway against
// the emulators: latency (p50/p99 of the samples, in ms) and the Firestore
// reads and writes per operation, counted by the same gRPC interceptor as
// TestCasesFirestoreCosts. Setup (a fresh case to close, say) is outside
// both the samples and the counts.
func BenchmarkCasesOps(b *testing.B) {
	d := newDirect(b, time.Now().UTC())
	base := viaGateway(b, d)
	create := func() string {
		var c struct{ Name string }
		if err := json.Unmarshal(send(b, base, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, newCaseBody("bench")), &c); err != nil {
			b.Fatal(err)
		}
		return c.Name
	}
	shared := create()
	patches := 0
	ops := []struct {
		name  string
		setup func() string // returns the case to act on
		op    func(name string)
	}{
		{"create-case", func() string { return "" }, func(string) { create() }},
		{"create-comment", func() string { return shared }, func(n string) {
			send(b, base, "POST", "/v2/"+n+"/comments", d.Admin, map[string]any{"body": "bench comment"})
		}},
		{"close", create, func(n string) { send(b, base, "POST", "/v2/"+n+":close", d.Admin, map[string]any{}) }},
		{"patch", func() string { return shared }, func(n string) {
			// Alternate, so every patch is a real change (an unchanged one writes nothing).
			patches++
			send(b, base, "PATCH", "/v2/"+n+"?updateMask=priority", d.Admin, map[string]any{"priority": []string{"P1", "P2"}[patches%2]})
		}},
		{"get-case", func() string { return shared }, func(n string) { send(b, base, "GET", "/v2/"+n, d.Admin, nil) }},
	}
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			samples := make([]time.Duration, 0, b.N)
			reads, writes := 0, 0
			for b.Loop() {
				b.StopTimer()
				n := o.setup()
				d.Count.Take()
				b.StartTimer()
				start := time.Now()
				o.op(n)
				samples = append(samples, time.Since(start))
				r, w := d.Count.Take()
				reads += r
				writes += w
			}
			reportLatency(b, samples)
			b.ReportMetric(float64(reads)/float64(len(samples)), "reads/op")
			b.ReportMetric(float64(writes)/float64(len(samples)), "writes/op")
		})
	}
}

// BenchmarkCasesGetThroughput is GET case through the gateway at 1, 8 and
// 32 concurrent clients (req/s).
func BenchmarkCasesGetThroughput(b *testing.B) {
	d := newDirect(b, time.Now().UTC())
	base := viaGateway(b, d)
	var c struct{ Name string }
	if err := json.Unmarshal(send(b, base, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, newCaseBody("bench")), &c); err != nil {
		b.Fatal(err)
	}
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			b.ResetTimer()
			for range clients {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						if _, err := call(base, "GET", "/v2/"+c.Name, d.Admin, nil); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// reportLatency reports the p50 and p99 of samples in milliseconds.
func reportLatency(b *testing.B, samples []time.Duration) {
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	at := func(q float64) float64 {
		return float64(samples[int(q*float64(len(samples)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
