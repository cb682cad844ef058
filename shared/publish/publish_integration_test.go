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

// BenchmarkPublishOne measures what a request waits for when it publishes
// one event on the Pub/Sub emulator: with this package (sent at once) and,
// for comparison, with the high-level client's default batching (up to
// 10 ms), on a topic of its own.
func BenchmarkPublishOne(b *testing.B) {
	ctx := context.Background()
	project := os.Getenv("GOOGLE_CLOUD_PROJECT")
	p, err := New(ctx, project)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	topic := testenv.UniqueID("bench-publish")
	if _, err := p.client.CreateTopic(ctx, &pubsubpb.Topic{Name: "projects/" + project + "/topics/" + topic}); err != nil {
		b.Fatal(err)
	}
	m, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		b.Fatal(err)
	}
	m.Topic = topic
	b.Run("at once", func(b *testing.B) {
		for b.Loop() {
			if err := p.Publish(ctx, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("default batching", func(b *testing.B) {
		c, err := pubsub.NewClient(ctx, project)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		pub := c.Publisher(topic)
		defer pub.Stop()
		for b.Loop() {
			if _, err := pub.Publish(ctx, &pubsub.Message{Data: m.Data, Attributes: m.Attributes}).Get(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
