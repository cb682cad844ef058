package runtime

import (
	"context"
	"log/slog"
	"sync"

	"github.com/cloudevents/sdk-go/v2/event"
)

// EventHandler handles one CloudEvent: a Pub/Sub push (functions-framework
// turns the push envelope into the event) or a storage notification. A nil
// error acknowledges it; an error makes Pub/Sub redeliver it with backoff
// (and dead-letter it past the subscription's attempts), so handlers return
// errors only for what apierror.Retryable calls retryable.
type EventHandler interface {
	Handle(ctx context.Context, e event.Event) error
}

// Job is a scheduled function's work for one tick of its schedule. Tests
// call Run directly; Cloud Scheduler reaches it through the schedule topic.
type Job interface {
	Run(ctx context.Context) error
}

// Event returns the entry point of an event function: on the first event it
// bootstraps (configuration, logger, store, clock, access) and calls build,
// once. A failed start is logged and returned as an error, so Pub/Sub
// redelivers the message instead of losing it.
func Event[C any, H EventHandler](name string, build func(ctx context.Context, d *Deps, cfg C) (H, error)) func(context.Context, event.Event) error {
	get := lazy(name, build)
	return func(ctx context.Context, e event.Event) error {
		h, err := get()
		if err != nil {
			slog.ErrorContext(ctx, "function cannot start", "function", name, "error", err.Error())
			return err
		}
		return h.Handle(ctx, e)
	}
}

// Scheduled returns the entry point of a scheduled function: each message
// on its schedule topic is one tick, which runs the job once. An error makes
// Pub/Sub deliver the tick again.
func Scheduled[C any, J Job](name string, build func(ctx context.Context, d *Deps, cfg C) (J, error)) func(context.Context, event.Event) error {
	get := lazy(name, build)
	return func(ctx context.Context, e event.Event) error {
		j, err := get()
		if err != nil {
			slog.ErrorContext(ctx, "function cannot start", "function", name, "error", err.Error())
			return err
		}
		slog.DebugContext(ctx, "scheduled run", "function", name, "tick", e.ID())
		if tj, ok := any(j).(TickJob); ok {
			return tj.RunTick(ctx, DecodeTick(e.Data()))
		}
		return j.Run(ctx)
	}
}

// lazy builds a non-HTTP function's handler once: at start in a process
// that serves this function (see startEarly), else on first use.
func lazy[C any, H any](name string, build func(ctx context.Context, d *Deps, cfg C) (H, error)) func() (H, error) {
	get := sync.OnceValues(func() (H, error) {
		var zero H
		ctx := context.Background()
		d, cfg, err := bootstrap[C](ctx, false)
		if err != nil {
			return zero, errStart(name, err)
		}
		h, err := build(ctx, d, cfg)
		if err != nil {
			return zero, errStart(name, err)
		}
		return h, nil
	})
	startEarly(name, get)
	return get
}
