// Package eventfn is the entry-point plumbing of CloudEvent functions (the
// counterpart of api.Lazy for HTTP functions): the handler is built once, on
// the first event, safely under concurrency.
package eventfn

import (
	"context"
	"log/slog"
	"sync"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Handler handles one CloudEvent.
type Handler interface {
	Handle(ctx context.Context, e event.Event) error
}

// Lazy returns an entry point that builds its handler on first use. A
// failed build is logged and returned as an error, so Pub/Sub redelivers
// the message (and, past the retry limit, dead-letters it) instead of
// losing it.
func Lazy[H Handler](name string, build func(ctx context.Context) (H, error)) func(context.Context, event.Event) error {
	get := sync.OnceValues(func() (H, error) { return build(context.Background()) })
	return func(ctx context.Context, e event.Event) error {
		h, err := get()
		if err != nil {
			slog.ErrorContext(ctx, name+": cannot start", "error", err.Error())
			return err
		}
		return h.Handle(ctx, e)
	}
}
