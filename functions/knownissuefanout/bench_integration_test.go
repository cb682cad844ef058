//go:build integration

package knownissuefanout_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/mail"
)

// countingSender passes messages on to the real SendGrid client (pointed
// at the stack's mail capture server) and counts requests and recipients.
type countingSender struct {
	next       *mail.Sender
	requests   atomic.Int64
	recipients atomic.Int64
}

func (c *countingSender) Send(ctx context.Context, m mail.Message) (string, error) {
	id, err := c.next.Send(ctx, m)
	if err == nil {
		c.requests.Add(1)
		c.recipients.Add(int64(len(m.Personal)))
	}
	return id, err
}

// BenchmarkFanoutUpdate: one update to N subscribers (20 organisations)
// through the real SendGrid client to the mail capture server, reporting
// SendGrid requests, Firestore reads and writes, the peak heap of the
// process while the fan-out runs and its wall time. The heap stays
// bounded whatever N: one bucket and one batch are held at a time.
func BenchmarkFanoutUpdate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			w := newWorld(b, 20)
			sender, err := mail.New(mail.Config{Host: w.env.MailURL, APIKey: "local-sendgrid-key", From: "support@support.example",
				FromName: "Support Center", Timeout: 60 * time.Second})
			if err != nil {
				b.Fatal(err)
			}
			cs := &countingSender{next: sender}
			w.handler.Mail = cs
			w.seed(b, n)
			clearMail(b, w.env.MailURL)
			var reads, writes int
			var peak, base uint64
			var wall time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				ev := w.update(b)
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base = ms.HeapAlloc
				w.count.Take()
				stop := sampleHeap(&peak)
				b.StartTimer()
				t0 := time.Now()
				res, err := w.handler.Run(context.Background(), ev)
				wall += time.Since(t0)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatal(err)
				}
				if res.Recipients != n {
					b.Fatalf("%d of %d subscribers e-mailed", res.Recipients, n)
				}
				r, wr := w.count.Take()
				reads, writes = reads+r, writes+wr
				clearMail(b, w.env.MailURL)
				b.StartTimer()
			}
			b.StopTimer()
			per := float64(b.N)
			b.ReportMetric(float64(cs.requests.Load())/per, "sendgrid-requests/op")
			b.ReportMetric(float64(reads)/per, "reads/op")
			b.ReportMetric(float64(writes)/per, "writes/op")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "heap-growth-MB")
			b.ReportMetric(wall.Seconds()/per, "wall-s/op")
		})
	}
}

// sampleHeap records the highest HeapAlloc seen until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > *peak {
				*peak = ms.HeapAlloc
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func clearMail(b testing.TB, mailURL string) {
	req, _ := http.NewRequest(http.MethodDelete, mailURL+"/api/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
}
