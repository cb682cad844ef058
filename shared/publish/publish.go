// Package publish sends events (the schema in package events) to Pub/Sub.
// It is its own package so that functions which only consume events do not
// link the Pub/Sub client: cold start is paid per function.
package publish

import (
	"context"
	"errors"
	"fmt"

	"cloud.google.com/go/pubsub/v2"
	"google.golang.org/api/option"

	"github.com/supportcenter/supportcenter/shared/events"
)

// PubSub publishes to a Pub/Sub topic (PUBSUB_EMULATOR_HOST is honoured by
// the client library).
type PubSub struct {
	client *pubsub.Client
	pub    *pubsub.Publisher
}

// NewPubSub returns a publisher to topic in projectID (opts reach the
// client; tests pass an in-process server's connection). Close it on
// shutdown.
func NewPubSub(ctx context.Context, projectID, topic string, opts ...option.ClientOption) (*PubSub, error) {
	c, err := pubsub.NewClient(ctx, projectID, opts...)
	if err != nil {
		return nil, fmt.Errorf("pubsub: %w", err)
	}
	return &PubSub{client: c, pub: c.Publisher(topic)}, nil
}

// Publish sends evs in one batch and waits for every result.
func (p *PubSub) Publish(ctx context.Context, evs ...events.Event) error {
	results := make([]*pubsub.PublishResult, 0, len(evs))
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			return err
		}
		data, err := events.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		results = append(results, p.pub.Publish(ctx, &pubsub.Message{Data: data, Attributes: events.Attributes(e)}))
	}
	var errs []error
	for i, r := range results {
		if _, err := r.Get(ctx); err != nil {
			errs = append(errs, fmt.Errorf("publish %s %s: %w", evs[i].Type, evs[i].ID, err))
		}
	}
	return errors.Join(errs...)
}

// PublishMembership sends one membership event and waits until the topic
// has accepted it.
func (p *PubSub) PublishMembership(ctx context.Context, ev events.MembershipEvent) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	data, err := ev.Data()
	if err != nil {
		return err
	}
	if _, err := p.pub.Publish(ctx, &pubsub.Message{Data: data, Attributes: ev.Attributes()}).Get(ctx); err != nil {
		return fmt.Errorf("publish %s %s: %w", ev.Type, ev.ID, err)
	}
	return nil
}

// Close flushes pending messages and releases the client.
func (p *PubSub) Close() error {
	p.pub.Stop()
	return p.client.Close()
}
