package publish

import (
	"context"
	"errors"
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
	for _, topic := range []string{events.CaseEventsTopic, events.MembershipEventsTopic} {
		if _, err := srv.GServer.CreateTopic(ctx, &pubsubpb.Topic{Name: "projects/p/topics/" + topic}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := New(ctx, "p", option.WithGRPCConn(conn))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a, err := events.New(events.CaseCommented, time.Now(), "acme", "123456789").Message()
	if err != nil {
		t.Fatal(err)
	}
	b, err := events.MembershipEvent{ID: events.NewID(), Type: events.MembershipAdded, Version: events.MembershipEventVersion,
		Time: time.Now(), OrgID: "acme", MembershipID: "acme_x"}.Message()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	topics := map[string]string{}
	for _, m := range msgs {
		topics[m.Attributes["eventId"]] = m.Topic
		if m.Topic != "projects/p/topics/"+events.CaseEventsTopic {
			continue
		}
		if got, err := events.Unmarshal(m.Data); err != nil || got.ID != a.ID {
			t.Fatalf("case event data %+v: %v", got, err)
		}
	}
	if topics[a.ID] != "projects/p/topics/"+events.CaseEventsTopic || topics[b.ID] != "projects/p/topics/"+events.MembershipEventsTopic {
		t.Fatalf("topics by event id %v", topics)
	}
	// A message without a topic is refused before anything is sent.
	if err := p.Publish(ctx, events.Message{ID: "x", Data: []byte("{}")}); !errors.Is(err, events.ErrInvalid) {
		t.Fatalf("message without topic: %v", err)
	}
}
