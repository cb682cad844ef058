//go:build integration

package closestalecases_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/closestalecases"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

// BenchmarkSweep sweeps one organisation holding 10,000 open cases waiting
// on the customer, of which 100 are due to close, and reports the
// Firestore reads and writes of one sweep (Firestore emulator). Each
// iteration closes the 100 due cases and writes 100 new ones for the next.
// The cases share one creator (the closing comment's language is read
// once per run).
func BenchmarkSweep(b *testing.B) {
	const total, due = 10_000, 100
	env := testenv.Get(b)
	tn := env.NewCustomer(b, "PLATINUM", "clouddb")
	fs, cnt := env.CountingFirestore(b)
	st := store.New(fs)
	pkg, err := st.Package(b.Context(), "PLATINUM")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Add(60 * day).Truncate(time.Microsecond)
	put := func(n int, since time.Time) {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 32)
		for range n {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				c := &store.Case{OrgID: tn.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-performance", DisplayName: "bench",
					Description: "bench", Priority: "P3", State: casestate.SolutionProvided, Open: true, LanguageCode: "en",
					CreatorEmail: tn.Email("admin"),
					CreateTime:   since, UpdateTime: since, FirstResponseTime: since, SupportHours: "24x7"}
				caseclocks.Update(c, pkg, &caseclock.Activity{BySupport: true, State: casestate.SolutionProvided, At: since}, false)
				if _, err := st.CreateCase(b.Context(), c, func(*store.Case) []events.Event { return nil }); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	put(total-due, now.Add(-time.Hour)) // waiting, nothing due for days
	logger := slog.New(slog.DiscardHandler)
	h := &closestalecases.Handler{Store: st, Outbox: outbox.New(st, &events.Recorder{}, logger), Clock: clock.NewFake(now),
		Logger: logger, OrgID: tn.OrgID}
	// Every case here has its clocks: the backfill's pass (one read per open
	// case, once) would derive nothing, so it is recorded as done and each
	// sweep pays the one read of its progress.
	if err := st.SaveClockBackfill(b.Context(), tn.OrgID, store.BackfillState{Version: caseclocks.Version, Done: true}); err != nil {
		b.Fatal(err)
	}
	var reads, writes, closed int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		put(due, now.Add(-8*day)) // past the close window
		cnt.Take()
		b.StartTimer()
		res, err := h.Sweep(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		r, w := cnt.Take()
		reads, writes, closed = reads+r, writes+w, closed+res.Closed
	}
	if closed != due*b.N {
		b.Fatalf("closed %d, want %d", closed, due*b.N)
	}
	b.ReportMetric(float64(reads)/float64(b.N), "reads/sweep")
	b.ReportMetric(float64(writes)/float64(b.N), "writes/sweep")
	b.ReportMetric(float64(reads)/float64(b.N)/due, "reads/due-case")
}
