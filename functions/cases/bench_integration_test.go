//go:build integration

package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/emulator/gateway"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
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

// BenchmarkCasesOps measures each case operation through the gateway
// against the emulators, side by side with the raw emulator calls the
// handler makes (rawCalls), interleaved in one run: gateway latency
// (p50/p99 in ms), the raw calls' p50, their ratio (x-raw), and the
// Firestore reads and writes per operation, counted by the same gRPC
// interceptor as TestCasesFirestoreCosts. The handler publishes to the
// Pub/Sub emulator (the stack's consumers receive the events), as the raw
// calls do to a topic of their own. Setup (a fresh case to close, say) is
// outside the samples and the counts.
func BenchmarkCasesOps(b *testing.B) {
	env := testenv.Get(b)
	pub, err := publish.New(context.Background(), env.ProjectID)
	if err != nil {
		b.Fatal(err)
	}
	d := newDirectPublishing(b, time.Now().UTC(), pub)
	unlimited(b, env, d)
	base := viaGateway(b, d)
	raw := newRawCalls(b, env, d.OrgID, d.tenant.Email("admin"))
	create := func() string {
		var c struct{ Name string }
		if err := json.Unmarshal(send(b, base, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, newCaseBody("bench")), &c); err != nil {
			b.Fatal(err)
		}
		return c.Name
	}
	id := func(name string) string { return name[strings.LastIndex(name, "/")+1:] }
	shared, rawShared := create(), create()
	patches := 0
	ops := []struct {
		name  string
		setup func() string // returns the case to act on
		op    func(name string)
		raw   func(ctx context.Context, caseID string) error
	}{
		{"create-case", func() string { return "" }, func(string) { create() },
			func(ctx context.Context, _ string) error { return raw.createCase(ctx, id(rawShared)) }},
		{"create-comment", func() string { return shared }, func(n string) {
			send(b, base, "POST", "/v2/"+n+"/comments", d.Admin, map[string]any{"body": "bench comment"})
		}, func(ctx context.Context, _ string) error { return raw.comment(ctx, id(rawShared)) }},
		{"close", create, func(n string) { send(b, base, "POST", "/v2/"+n+":close", d.Admin, map[string]any{}) },
			func(ctx context.Context, c string) error {
				now := time.Now()
				return raw.change(ctx, c, true, map[string]any{"state": "CLOSED", "open": false, "closeTime": now, "closeCount": 1,
					"clocks": map[string]any{"version": 1}, "dueTime": firestore.Delete})
			}},
		{"escalate", create, func(n string) {
			send(b, base, "POST", "/v2/"+n+":escalate", d.Admin, map[string]any{"escalation": map[string]any{
				"reason": "BUSINESS_IMPACT", "justification": "bench"}})
		}, func(ctx context.Context, c string) error {
			return raw.change(ctx, c, true, map[string]any{"escalated": true, "escalation": map[string]any{
				"time": time.Now(), "actorUid": "uid-admin", "actorEmail": d.tenant.Email("admin"), "actorName": "Direct Admin",
				"reason": "BUSINESS_IMPACT", "justification": "bench"}})
		}},
		{"patch", func() string { return shared }, func(n string) {
			// Alternate, so every patch is a real change (an unchanged one writes nothing).
			patches++
			send(b, base, "PATCH", "/v2/"+n+"?updateMask=priority", d.Admin, map[string]any{"priority": []string{"P1", "P2"}[patches%2]})
		}, func(ctx context.Context, _ string) error {
			// The priority's new response due times come with it.
			due := time.Now().Add(time.Hour)
			return raw.change(ctx, id(rawShared), false, map[string]any{"priority": []string{"P1", "P2"}[patches%2],
				"clocks": map[string]any{"slaDueTime": due, "slaDueSoonTime": due.Add(-15 * time.Minute), "version": 1}, "dueTime": due})
		}},
		{"get-case", func() string { return shared }, func(n string) { send(b, base, "GET", "/v2/"+n, d.Admin, nil) },
			func(ctx context.Context, _ string) error { return raw.get(ctx, id(rawShared)) }},
	}
	ctx := context.Background()
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			samples := make([]time.Duration, 0, b.N)
			rawSamples := make([]time.Duration, 0, b.N)
			reads, writes := 0, 0
			for b.Loop() {
				b.StopTimer()
				n := o.setup()
				rawCase := id(rawShared)
				if n != "" && n != shared {
					rawCase = id(create()) // its own fresh case
				}
				d.Count.Take()
				b.StartTimer()
				start := time.Now()
				o.op(n)
				samples = append(samples, time.Since(start))
				b.StopTimer()
				r, w := d.Count.Take()
				reads += r
				writes += w
				start = time.Now()
				if err := o.raw(ctx, rawCase); err != nil {
					b.Fatal(err)
				}
				rawSamples = append(rawSamples, time.Since(start))
				b.StartTimer()
			}
			p50 := reportLatency(b, samples)
			rawP50 := quantile(rawSamples, 0.5)
			b.ReportMetric(rawP50, "raw-p50-ms")
			if rawP50 > 0 {
				b.ReportMetric(p50/rawP50, "x-raw")
			}
			b.ReportMetric(float64(reads)/float64(len(samples)), "reads/op")
			b.ReportMetric(float64(writes)/float64(len(samples)), "writes/op")
		})
	}
}

// unlimited moves d's organisation to a copy of its package whose rate
// limits on creating cases and comments are out of a benchmark's reach
// (the limiter's read and write still happen, as in production).
func unlimited(b *testing.B, env *testenv.Env, d *direct) {
	b.Helper()
	ctx := context.Background()
	org, err := d.Store.Org(ctx, d.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	p, err := d.Store.Package(ctx, org.PackageID)
	if err != nil {
		b.Fatal(err)
	}
	pkg := *p
	pkg.RateLimits = map[string]store.RateLimit{}
	for _, a := range []ratelimit.Action{ratelimit.CaseCreate, ratelimit.CommentCreate} {
		pkg.RateLimits[string(a)] = store.RateLimit{PerPerson: 1 << 30, PerOrg: 1 << 30}
	}
	id := testenv.UniqueID("bench-package")
	if err := env.Writer.Package(ctx, id, pkg); err != nil {
		b.Fatal(err)
	}
	org.PackageID = id
	if err := env.Writer.Org(ctx, d.OrgID, *org); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCasesThroughput is GET case and the case list (first page)
// through the gateway at 1, 8 and 32 concurrent clients (req/s).
func BenchmarkCasesThroughput(b *testing.B) {
	d := newDirect(b, time.Now().UTC())
	base := viaGateway(b, d)
	var c struct{ Name string }
	for range 3 {
		if err := json.Unmarshal(send(b, base, "POST", "/v2/organizations/"+d.OrgID+"/cases", d.Admin, newCaseBody("bench")), &c); err != nil {
			b.Fatal(err)
		}
	}
	for _, target := range []struct{ name, path string }{
		{"get", "/v2/" + c.Name},
		{"list", "/v2/organizations/" + d.OrgID + "/cases"},
	} {
		for _, clients := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("%s/clients=%d", target.name, clients), func(b *testing.B) {
				var next atomic.Int64
				var wg sync.WaitGroup
				errs := make(chan error, clients)
				b.ResetTimer()
				for range clients {
					wg.Go(func() {
						for next.Add(1) <= int64(b.N) {
							if _, err := call(base, "GET", target.path, d.Admin, nil); err != nil {
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
}

// reportLatency reports the p50 and p99 of samples in milliseconds and
// returns the p50.
func reportLatency(b *testing.B, samples []time.Duration) float64 {
	if len(samples) == 0 {
		return 0
	}
	p50 := quantile(samples, 0.50)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(quantile(samples, 0.99), "p99-ms")
	return p50
}

// quantile is the q-quantile of samples in milliseconds (it sorts them).
func quantile(samples []time.Duration, q float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	slices.Sort(samples)
	return float64(samples[int(q*float64(len(samples)-1))].Microseconds()) / 1000
}
