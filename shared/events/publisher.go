package events

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"cloud.google.com/go/pubsub/v2"
	"google.golang.org/api/option"
)

// Publisher sends events. Publish returns once every event is accepted by
// the topic (or the first failure).
type Publisher interface {
	Publish(ctx context.Context, evs ...Event) error
}

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
func (p *PubSub) Publish(ctx context.Context, evs ...Event) error {
	results := make([]*pubsub.PublishResult, 0, len(evs))
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			return err
		}
		data, err := Marshal(e)
		if err != nil {
			return fmt.Errorf("encode event %s: %w", e.ID, err)
		}
		results = append(results, p.pub.Publish(ctx, &pubsub.Message{Data: data, Attributes: Attributes(e)}))
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
func (p *PubSub) PublishMembership(ctx context.Context, ev MembershipEvent) error {
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

// Recorder keeps published events in memory (tests, and local tools that
// want to see what would be sent). Err, when set, fails every Publish.
type Recorder struct {
	mu     sync.Mutex
	events []Event
	Err    error
}

// Publish records evs.
func (r *Recorder) Publish(_ context.Context, evs ...Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Err != nil {
		return r.Err
	}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	r.events = append(r.events, evs...)
	return nil
}

// Events returns a copy of what was published.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// ForCase returns the types published for caseID, in publish order.
func (r *Recorder) ForCase(caseID string) []string {
	var out []string
	for _, e := range r.Events() {
		if e.CaseID == caseID {
			out = append(out, e.Type)
		}
	}
	return out
}
