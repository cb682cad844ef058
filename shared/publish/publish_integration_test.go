//go:build integration

package publish

import (
	"context"
	"os"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
)

// TestPublishOnEmulator publishes through the Pub/Sub emulator's REST
// API and reads the message back with the Pub/Sub client.
func TestPublishOnEmulator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	project := os.Getenv("GOOGLE_CLOUD_PROJECT")
	c, err := pubsub.NewClient(ctx, project)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic, sub := topicWithSubscription(t, c, project)
	p, err := New(ctx, project)
	if err != nil {
		t.Fatal(err)
	}
	m, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		t.Fatal(err)
	}
	m.Topic = topic
	if err := p.Publish(ctx, m); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var got *pubsub.Message
	err = c.Subscriber(sub).Receive(rctx, func(_ context.Context, msg *pubsub.Message) {
		msg.Ack()
		got = msg
		cancel()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Attributes["eventId"] != m.ID || string(got.Data) != string(m.Data) {
		t.Fatalf("received %+v, want event %s", got, m.ID)
	}
}

// topicWithSubscription creates a topic and a pull subscription of its own.
func topicWithSubscription(t testing.TB, c *pubsub.Client, project string) (topic, sub string) {
	t.Helper()
	ctx := context.Background()
	topic, sub = testenv.UniqueID("publish"), testenv.UniqueID("publish-sub")
	if _, err := c.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: "projects/" + project + "/topics/" + topic}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SubscriptionAdminClient.CreateSubscription(ctx, &pubsubpb.Subscription{
		Name: "projects/" + project + "/subscriptions/" + sub, Topic: "projects/" + project + "/topics/" + topic}); err != nil {
		t.Fatal(err)
	}
	return topic, sub
}

// BenchmarkPublishOne measures what a request waits for when it publishes
// one event on the Pub/Sub emulator: this package (REST, sent at once)
// against the Pub/Sub client with the same settings and with its default
// batching (up to 10 ms), on a topic of its own.
func BenchmarkPublishOne(b *testing.B) {
	ctx := context.Background()
	project := os.Getenv("GOOGLE_CLOUD_PROJECT")
	c, err := pubsub.NewClient(ctx, project)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	topic, _ := topicWithSubscription(b, c, project)
	m, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		b.Fatal(err)
	}
	m.Topic = topic
	p, err := New(ctx, project)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rest", func(b *testing.B) {
		for b.Loop() {
			if err := p.Publish(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	atOnce := pubsub.DefaultPublishSettings
	atOnce.DelayThreshold, atOnce.CountThreshold = 0, 1
	for _, bc := range []struct {
		name     string
		settings pubsub.PublishSettings
	}{
		{"grpc-client at once", atOnce},
		{"grpc-client default batching", pubsub.DefaultPublishSettings},
	} {
		b.Run(bc.name, func(b *testing.B) {
			pub := c.Publisher(topic)
			pub.PublishSettings = bc.settings
			defer pub.Stop()
			for b.Loop() {
				if _, err := pub.Publish(ctx, &pubsub.Message{Data: m.Data, Attributes: m.Attributes}).Get(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
