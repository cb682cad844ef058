package main

import (
	"context"
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
	// publishes (it supports a single bucket and topic); nil if none. With
	// several finalize buckets its bucket is "" (all) and its topic the
	// fan-in topic, and fanout maps each bucket to its own topic (fanOut).
	events *bucketEvents
	fanout map[string]string
	// warnings are manifest features the local stack cannot honour.
	warnings []string
}

type bucketEvents struct{ bucket, topic string }

func topicPath(project, id string) string { return "projects/" + project + "/topics/" + id }
func subPath(project, id string) string   { return "projects/" + project + "/subscriptions/" + id }

// pushEndpoint is where the runner accepts a function's Pub/Sub push envelopes.
func pushEndpoint(functionsURL, function, pushPath string) string {
	return functionsURL + "/" + function + pushPath
}

// makePlan turns the manifest's derived names (manifest.Derive, the same
// derivation infra/plan.json comes from) into the emulators' topics,
// subscriptions and buckets, in manifest order.
func makePlan(m *manifest.Manifest, project, functionsURL string) plan {
	d := manifest.Derive(m, project)
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
		s, ok := d.Subscriptions[f.Name]
		if !ok {
			continue
		}
		addTopic(s.Topic)
		sub := &pubsubpb.Subscription{
			Name:               subPath(project, s.Name),
			Topic:              topicPath(project, s.Topic),
			PushConfig:         &pubsubpb.PushConfig{PushEndpoint: pushEndpoint(functionsURL, f.Name, s.PushPath)},
			AckDeadlineSeconds: int32(s.AckDeadlineSeconds),
			RetryPolicy:        noRetryBackoff,
		}
		if dl, ok := d.DeadLetters[f.Name]; ok {
			addTopic(dl.Topic)
			sub.DeadLetterPolicy = &pubsubpb.DeadLetterPolicy{
				DeadLetterTopic:     topicPath(project, dl.Topic),
				MaxDeliveryAttempts: int32(s.MaxDeliveryAttempts),
			}
			sub.RetryPolicy = retryBackoff
			// A pull subscription keeps dead letters for inspection
			// (named as in production).
			deadLetterSubs = append(deadLetterSubs, &pubsubpb.Subscription{
				Name:  subPath(project, dl.Hold),
				Topic: topicPath(project, dl.Topic),
			})
		}
		p.subs = append(p.subs, sub)
	}
	p.subs = append(p.subs, deadLetterSubs...)
	finalize := map[string]string{}
	for _, b := range m.Buckets {
		name := d.Buckets[b.Name].Name
		p.buckets = append(p.buckets, name)
		if b.FinalizeTopic == "" {
			continue
		}
		finalize[name] = b.FinalizeTopic
		if p.events == nil {
			p.events = &bucketEvents{bucket: name, topic: b.FinalizeTopic}
		}
	}
	if len(finalize) > 1 {
		// fake-gcs-server notifies one topic: every bucket's notifications
		// go there and fanOut forwards each to its bucket's topic.
		p.events = &bucketEvents{topic: fanInTopic}
		p.fanout = finalize
		addTopic(fanInTopic)
		p.subs = append(p.subs, &pubsubpb.Subscription{
			Name: subPath(project, fanInSub), Topic: topicPath(project, fanInTopic), AckDeadlineSeconds: 60})
	}
	return p
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

// jobMessage is what Cloud Scheduler publishes for job name (the plan's
// schedule data, as infra/scheduler.tf sends it).
func jobMessage(name string) *pubsubpb.PubsubMessage {
	return &pubsubpb.PubsubMessage{Data: []byte(manifest.JobData(name))}
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
