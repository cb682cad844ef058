package main

import (
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

const testManifest = `
runtime: go126
region: europe-west1
topics:
  - name: case-events
  - name: uploads
buckets:
  - name: attachments
    finalize_topic: uploads
  - name: exports
functions:
  - name: me
    kind: http
    routes: [/v2/me]
  - name: notify
    kind: event
    topic: case-events
    timeout: 120s
    retry: true
    max_delivery_attempts: 7
  - name: finalize
    kind: event
    topic: uploads
  - name: close-stale
    kind: scheduled
    schedule: "0 3 * * *"
`

func TestMakePlan(t *testing.T) {
	t.Parallel()
	m, err := manifest.Parse([]byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	p := makePlan(m, "demo-x", "http://127.0.0.1:8090")

	wantTopics := []string{"case-events", "uploads", "notify-dead-letter", "schedule-close-stale"}
	if !slices.Equal(p.topics, wantTopics) {
		t.Errorf("topics = %v, want %v", p.topics, wantTopics)
	}
	var names []string
	for _, s := range p.subs {
		names = append(names, filepath.Base(s.Name))
	}
	wantSubs := []string{"notify-push", "finalize-push", "close-stale-push", "notify-dead-letter-hold"}
	if !slices.Equal(names, wantSubs) {
		t.Fatalf("subscriptions = %v, want %v", names, wantSubs)
	}

	notify := p.subs[0]
	if got, want := notify.PushConfig.PushEndpoint, "http://127.0.0.1:8090/notify/projects/demo-x/topics/case-events"; got != want {
		t.Errorf("push endpoint = %q, want %q", got, want)
	}
	if notify.Topic != "projects/demo-x/topics/case-events" || notify.AckDeadlineSeconds != 120 {
		t.Errorf("notify subscription = %v", notify)
	}
	if dl := notify.DeadLetterPolicy; dl == nil || dl.DeadLetterTopic != "projects/demo-x/topics/notify-dead-letter" || dl.MaxDeliveryAttempts != 7 {
		t.Errorf("dead-letter policy = %v", dl)
	}
	if notify.RetryPolicy != retryBackoff {
		t.Errorf("retry policy = %v, want the short backoff", notify.RetryPolicy)
	}

	finalize := p.subs[1]
	if finalize.DeadLetterPolicy != nil || finalize.RetryPolicy != noRetryBackoff || finalize.AckDeadlineSeconds != 60 {
		t.Errorf("finalize subscription = %v", finalize)
	}
	if got, want := p.subs[2].PushConfig.PushEndpoint, "http://127.0.0.1:8090/close-stale/projects/demo-x/topics/schedule-close-stale"; got != want {
		t.Errorf("scheduled push endpoint = %q, want %q", got, want)
	}
	if dl := p.subs[3]; dl.PushConfig != nil || dl.Topic != "projects/demo-x/topics/notify-dead-letter" {
		t.Errorf("dead-letter subscription = %v, want a pull subscription on the dead-letter topic", dl)
	}

	if want := []string{"demo-x-attachments", "demo-x-exports"}; !slices.Equal(p.buckets, want) {
		t.Errorf("buckets = %v, want %v", p.buckets, want)
	}
	if p.events == nil || *p.events != (bucketEvents{bucket: "demo-x-attachments", topic: "uploads"}) {
		t.Errorf("events = %v", p.events)
	}
	if len(p.warnings) != 0 {
		t.Errorf("warnings = %v", p.warnings)
	}
}

func TestStackEnvAndEnvFile(t *testing.T) {
	t.Parallel()
	m, err := manifest.Parse([]byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	p := ports{Firestore: 1, PubSub: 2, GCS: 3, Auth: 4, Mail: 5, Gateway: 6, Functions: 7}
	env := stackEnv("demo-x", p, m)
	for k, want := range map[string]string{
		"FIRESTORE_EMULATOR_HOST": "127.0.0.1:1",
		"STORAGE_EMULATOR_HOST":   "http://127.0.0.1:3",
		"SENDGRID_HOST":           "http://127.0.0.1:5",
		"PORTAL_URL":              "http://127.0.0.1:6",
		"ATTACHMENTS_BUCKET":      "demo-x-attachments",
		"EXPORTS_BUCKET":          "demo-x-exports",
	} {
		if got := lookup(env, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	path := filepath.Join(t.TempDir(), "env")
	if err := writeEnvFile(path, env); err != nil {
		t.Fatal(err)
	}
	got, err := readEnvFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, env) {
		t.Errorf("env file round trip = %v, want %v", got, env)
	}
}

func TestFreePortsDistinct(t *testing.T) {
	t.Parallel()
	p, err := freePorts()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, v := range p.vars() {
		if *v.ptr == 0 || seen[*v.ptr] {
			t.Errorf("%s: port %d is zero or repeated", v.env, *v.ptr)
		}
		seen[*v.ptr] = true
	}
	if err := p.checkFree(); err != nil {
		t.Errorf("checkFree on fresh free ports: %v", err)
	}
}

// TestMakePlanFansOutSeveralFinalizeBuckets: with two buckets that have
// finalize topics, fake-gcs-server publishes every bucket to the fan-in
// topic (no bucket filter) and fanOut's map sends each bucket to its own.
func TestMakePlanFansOutSeveralFinalizeBuckets(t *testing.T) {
	t.Parallel()
	src := strings.Replace(testManifest, "  - name: uploads\n", "  - name: uploads\n  - name: other-uploads\n", 1)
	src = strings.Replace(src, "  - name: exports\n", "  - name: exports\n  - name: other\n    finalize_topic: other-uploads\n", 1)
	m, err := manifest.Parse([]byte(src + `
  - name: finalize-other
    kind: event
    topic: other-uploads
`))
	if err != nil {
		t.Fatal(err)
	}
	p := makePlan(m, "demo-x", "http://127.0.0.1:8090")
	if p.events == nil || *p.events != (bucketEvents{topic: fanInTopic}) {
		t.Fatalf("events = %+v, want all buckets to %s", p.events, fanInTopic)
	}
	want := map[string]string{"demo-x-attachments": "uploads", "demo-x-other": "other-uploads"}
	if len(p.fanout) != len(want) || p.fanout["demo-x-attachments"] != "uploads" || p.fanout["demo-x-other"] != "other-uploads" {
		t.Fatalf("fanout = %v, want %v", p.fanout, want)
	}
	if !slices.Contains(p.topics, fanInTopic) {
		t.Errorf("topics %v lack %s", p.topics, fanInTopic)
	}
	if !slices.ContainsFunc(p.subs, func(s *pubsubpb.Subscription) bool {
		return s.Name == subPath("demo-x", fanInSub) && s.Topic == topicPath("demo-x", fanInTopic) && s.PushConfig == nil
	}) {
		t.Errorf("no pull subscription %s on the fan-in topic", fanInSub)
	}
	if len(p.warnings) != 0 {
		t.Errorf("warnings: %v", p.warnings)
	}
}
