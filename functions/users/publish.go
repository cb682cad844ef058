package users

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"google.golang.org/api/option"

	"github.com/supportcenter/supportcenter/shared/store"
)

// PubSub publishes membership events to a Pub/Sub topic
// (PUBSUB_EMULATOR_HOST is honoured by the client library).
type PubSub struct {
	client *pubsub.Client
	pub    *pubsub.Publisher
}

// NewPubSub returns a publisher to topic in projectID.
func NewPubSub(ctx context.Context, projectID, topic string, opts ...option.ClientOption) (*PubSub, error) {
	c, err := pubsub.NewClient(ctx, projectID, opts...)
	if err != nil {
		return nil, fmt.Errorf("pubsub: %w", err)
	}
	return &PubSub{client: c, pub: c.Publisher(topic)}, nil
}

// publishTimeout bounds the wait for the topic's acknowledgement; the
// sweep re-drives what was not published.
const publishTimeout = 10 * time.Second

// Publish sends ev and waits until the topic has accepted it.
func (p *PubSub) Publish(ctx context.Context, ev store.MembershipEvent) error {
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
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

// Close flushes and releases the client.
func (p *PubSub) Close() error {
	p.pub.Stop()
	return p.client.Close()
}
