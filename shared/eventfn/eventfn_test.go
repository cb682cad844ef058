package eventfn

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
)

type counting struct{ calls atomic.Int64 }

func (c *counting) Handle(context.Context, event.Event) error { c.calls.Add(1); return nil }

func TestLazyBuildsOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	var builds atomic.Int64
	h := &counting{}
	entry := Lazy("test", func(context.Context) (*counting, error) { builds.Add(1); return h, nil })
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := entry(context.Background(), event.New()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if builds.Load() != 1 || h.calls.Load() != 20 {
		t.Fatalf("builds %d, calls %d", builds.Load(), h.calls.Load())
	}
}

func TestLazyReturnsBuildError(t *testing.T) {
	t.Parallel()
	boom := errors.New("no config")
	entry := Lazy("test", func(context.Context) (*counting, error) { return nil, boom })
	if err := entry(context.Background(), event.New()); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the build error (so the message is redelivered)", err)
	}
}
