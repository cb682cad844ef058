package main

import (
	"context"
	"fmt"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
)

// fake-gcs-server publishes finalize notifications to one topic only. In
// production every bucket publishes to its own finalize_topic; locally,
// when more than one bucket has one, fake-gcs-server publishes every
// bucket's notifications to fanInTopic and this process forwards each
// message, unchanged, to the topic of its bucket (the bucketId attribute).
// Consumers see what they see in production: their bucket's
// notifications on their topic.
const (
	fanInTopic = "local-storage-finalize"
	fanInSub   = "local-storage-finalize-fanout"
)

// fanOut forwards notifications from the fan-in subscription to each
// bucket's finalize topic (bucket name → topic id) until ctx ends.
// Notifications of a bucket without a finalize topic are dropped.
func fanOut(ctx context.Context, project string, topics map[string]string) error {
	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		return fmt.Errorf("pubsub client: %w", err)
	}
	defer ps.Close()
	err = ps.Subscriber(fanInSub).Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		topic, ok := topics[m.Attributes["bucketId"]]
		if !ok {
			m.Ack()
			return
		}
		if _, err := publish(ctx, ps, project, topic, &pubsubpb.PubsubMessage{Data: m.Data, Attributes: m.Attributes}); err != nil {
			logf("storage notification not forwarded to %s (will be redelivered): %v", topic, err)
			m.Nack()
			return
		}
		m.Ack()
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}
