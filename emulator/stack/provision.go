package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// Retry backoff. Production (infra/pubsub.tf) uses 10s–600s everywhere, and
// so does the stack for functions without retry (with no retry policy the
// emulator would redeliver a failed push every second). Functions with retry
// get a short local backoff, so a failing message reaches its dead-letter
// topic within a minute instead of several.
var (
	retryBackoff   = &pubsubpb.RetryPolicy{MinimumBackoff: durationpb.New(time.Second), MaximumBackoff: durationpb.New(10 * time.Second)}
	noRetryBackoff = &pubsubpb.RetryPolicy{MinimumBackoff: durationpb.New(10 * time.Second), MaximumBackoff: durationpb.New(600 * time.Second)}
)

// plan is what the manifest asks of Pub/Sub and Cloud Storage.
type plan struct {
	topics  []string                 // topic ids, dead-letter topics included
	subs    []*pubsubpb.Subscription // push subscriptions, then dead-letter pull subscriptions
	buckets []string                 // real bucket names
	// events is the one bucket whose finalize notifications fake-gcs-server
	// publishes (it supports a single bucket and topic); nil if none.
	events *bucketEvents
	// warnings are manifest features the local stack cannot honour.
	warnings []string
}

type bucketEvents struct{ bucket, topic string }

func topicPath(project, id string) string { return "projects/" + project + "/topics/" + id }
func subPath(project, id string) string   { return "projects/" + project + "/subscriptions/" + id }

// pushEndpoint is where the runner accepts name's Pub/Sub push envelopes.
func pushEndpoint(functionsURL, project string, f manifest.Function) string {
	return fmt.Sprintf("%s/%s/projects/%s/topics/%s", functionsURL, f.Name, project, f.TriggerTopic())
}

// makePlan derives topics, subscriptions and buckets from the manifest.
func makePlan(m *manifest.Manifest, project, functionsURL string) plan {
	var p plan
	seen := map[string]bool{}
	addTopic := func(id string) {
		if !seen[id] {
			seen[id] = true
			p.topics = append(p.topics, id)
		}
	}
	for _, t := range m.Topics {
		addTopic(t.Name)
	}
	var deadLetterSubs []*pubsubpb.Subscription
	for _, f := range m.Functions {
		if f.Kind != manifest.KindEvent && f.Kind != manifest.KindScheduled {
			continue
		}
		addTopic(f.TriggerTopic())
		sub := &pubsubpb.Subscription{
			Name:               subPath(project, f.SubscriptionName()),
			Topic:              topicPath(project, f.TriggerTopic()),
			PushConfig:         &pubsubpb.PushConfig{PushEndpoint: pushEndpoint(functionsURL, project, f)},
			AckDeadlineSeconds: ackDeadline(f.Timeout),
			RetryPolicy:        noRetryBackoff,
		}
		if dl := f.DeadLetterTopic(); dl != "" {
			addTopic(dl)
			sub.DeadLetterPolicy = &pubsubpb.DeadLetterPolicy{
				DeadLetterTopic:     topicPath(project, dl),
				MaxDeliveryAttempts: int32(f.MaxDeliveryAttempts),
			}
			sub.RetryPolicy = retryBackoff
			// A pull subscription keeps dead letters for inspection
			// (named as in production).
			deadLetterSubs = append(deadLetterSubs, &pubsubpb.Subscription{
				Name:  subPath(project, deadLetterHold(dl)),
				Topic: topicPath(project, dl),
			})
		}
		p.subs = append(p.subs, sub)
	}
	p.subs = append(p.subs, deadLetterSubs...)
	for _, b := range m.Buckets {
		name := bucketName(project, b.Name)
		p.buckets = append(p.buckets, name)
		if b.FinalizeTopic == "" {
			continue
		}
		if p.events == nil {
			p.events = &bucketEvents{bucket: name, topic: b.FinalizeTopic}
		} else {
			p.warnings = append(p.warnings, fmt.Sprintf(
				"bucket %s: finalize notifications are not emulated (fake-gcs-server notifies for one bucket only, %s)", name, p.events.bucket))
		}
	}
	return p
}

// deadLetterHold names the pull subscription holding a dead-letter topic's messages.
func deadLetterHold(topic string) string { return topic + "-hold" }

// ackDeadline is the push timeout: the function's timeout, within Pub/Sub's 10–600 s.
func ackDeadline(timeout string) int32 {
	d, err := time.ParseDuration(timeout)
	if err != nil || d <= 0 {
		d = time.Minute
	}
	return int32(min(max(d, 10*time.Second), 600*time.Second) / time.Second)
}

// provision creates the plan's topics, subscriptions and buckets; what
// already exists is left as it is, so provisioning twice is fine.
func provision(ctx context.Context, project string, p plan) error {
	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		return fmt.Errorf("pubsub client: %w", err)
	}
	defer ps.Close()
	for _, t := range p.topics {
		_, err := ps.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: topicPath(project, t)})
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("create topic %s: %w", t, err)
		}
	}
	for _, s := range p.subs {
		_, err := ps.SubscriptionAdminClient.CreateSubscription(ctx, s)
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("create subscription %s: %w", s.Name, err)
		}
	}

	gcs, err := storage.NewClient(ctx)
	if err != nil {
		return fmt.Errorf("storage client: %w", err)
	}
	defer gcs.Close()
	for _, b := range p.buckets {
		err := gcs.Bucket(b).Create(ctx, project, nil)
		var gerr *googleapi.Error
		if err != nil && !(errors.As(err, &gerr) && gerr.Code == http.StatusConflict) {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}

// jobMessage is what Cloud Scheduler publishes for job name
// (infra/scheduler.tf): {"job": name}.
func jobMessage(name string) *pubsubpb.PubsubMessage {
	data, _ := json.Marshal(map[string]string{"job": name})
	return &pubsubpb.PubsubMessage{Data: data}
}

// publish sends one message to topic and returns its message id.
func publish(ctx context.Context, ps *pubsub.Client, project, topic string, msg *pubsubpb.PubsubMessage) (string, error) {
	resp, err := ps.TopicAdminClient.Publish(ctx, &pubsubpb.PublishRequest{
		Topic:    topicPath(project, topic),
		Messages: []*pubsubpb.PubsubMessage{msg},
	})
	if err != nil {
		return "", fmt.Errorf("publish to %s: %w", topic, err)
	}
	return resp.MessageIds[0], nil
}
