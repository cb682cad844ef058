package publish

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/supportcenter/supportcenter/shared/events"
)

func TestPubSubPublishes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := pstest.NewServer()
	defer srv.Close()
	conn, err := grpc.NewClient(srv.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := srv.GServer.CreateTopic(ctx, &pubsubpb.Topic{Name: "projects/p/topics/" + events.CaseEventsTopic}); err != nil {
		t.Fatal(err)
	}
	p, err := NewPubSub(ctx, "p", events.CaseEventsTopic, option.WithGRPCConn(conn))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sample := events.New(events.CaseCommented, time.Now(), "acme", "123456789")
	a, b := sample, events.New(events.CaseReopened, time.Now(), "acme", "123456789")
	if err := p.Publish(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		got, err := events.Unmarshal(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if m.Attributes["eventId"] != got.ID || m.Attributes["type"] != got.Type {
			t.Fatalf("attributes %v for %+v", m.Attributes, got)
		}
	}
	// An invalid event is refused before anything is sent.
	if err := p.Publish(ctx, events.Event{Type: events.CaseCreated}); !errors.Is(err, events.ErrInvalid) {
		t.Fatalf("invalid event: %v", err)
	}
}

// TestConsumersDoNotLinkPubSub keeps the reason this package exists: the
// event schema must not pull the Pub/Sub client into functions that only
// consume events.
func TestConsumersDoNotLinkPubSub(t *testing.T) {
	for _, pkg := range []string{"../events", "../../functions/notify", "../../functions/provision"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		if strings.Contains(string(out), "cloud.google.com/go/pubsub/v2\n") {
			t.Errorf("%s links cloud.google.com/go/pubsub/v2", pkg)
		}
	}
}
