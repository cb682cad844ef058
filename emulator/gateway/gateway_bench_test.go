package gateway_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/gateway"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// BenchmarkGatewayGET measures GET throughput through the gateway at 1, 8 and
// 32 concurrent clients against a small in-process backend, and reports how
// many connections the gateway opens to the backend per request
// (new-conns/req): a pool sized for the load keeps that near zero.
func BenchmarkGatewayGET(b *testing.B) {
	m, err := manifest.Load()
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"name":"projects/p/cases/1","displayName":"bench"}`)
	var conns atomic.Int64
	backend := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	backend.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	backend.Start()
	b.Cleanup(backend.Close)
	backendURL, err := url.Parse(backend.URL)
	if err != nil {
		b.Fatal(err)
	}
	gw := httptest.NewServer(gateway.New(m, backendURL, slog.New(slog.DiscardHandler)))
	b.Cleanup(gw.Close)

	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			// The benchmark's own client keeps one connection per client, so
			// only the gateway → backend side can open new ones.
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
			b.Cleanup(client.CloseIdleConnections)
			target := gw.URL + "/v2/projects/p/cases/1"
			get := func() error {
				resp, err := client.Get(target)
				if err != nil {
					return err
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("GET %s: %s", target, resp.Status)
				}
				return nil
			}
			// Warm both pools so the count is the steady state: the clients
			// at once, a few rounds each (one at a time, the gateway would
			// need a single connection and count the others' first use).
			var warm sync.WaitGroup
			warmErrs := make(chan error, clients)
			for range clients {
				warm.Go(func() {
					for range 20 {
						if err := get(); err != nil {
							warmErrs <- err
							return
						}
					}
				})
			}
			warm.Wait()
			close(warmErrs)
			for err := range warmErrs {
				b.Fatal(err)
			}
			before := conns.Load()
			var next atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			b.ResetTimer()
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if err := get(); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(conns.Load()-before)/float64(b.N), "new-conns/req")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
