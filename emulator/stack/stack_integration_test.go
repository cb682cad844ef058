//go:build integration

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/storage"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// The harness's emulators, checked with the plan a manifest produces: push
// delivery to the functions URL, retries ending in the dead-letter topic,
// scheduled-job messages and buckets. Uses its own project id, and an
// httptest server in place of the runner.
const provisionManifest = `
runtime: go126
region: europe-west1
topics:
  - name: case-events
buckets:
  - name: attachments
functions:
  - name: notify
    kind: event
    topic: case-events
    timeout: 10s
    retry: true
    max_delivery_attempts: 5
  - name: close-stale
    kind: scheduled
    schedule: "0 3 * * *"
`

// pushEnvelope is the body Pub/Sub push sends.
type pushEnvelope struct {
	Message struct {
		Data       []byte            `json:"data"`
		Attributes map[string]string `json:"attributes"`
	} `json:"message"`
	Subscription string `json:"subscription"`
}

func TestProvisionPushAndDeadLetter(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"PUBSUB_EMULATOR_HOST", "STORAGE_EMULATOR_HOST"} {
		if os.Getenv(k) == "" {
			t.Fatalf("%s is not set: run this test through `make test`", k)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var mu sync.Mutex
	pushes := map[string]int{}
	jobs := make(chan pushEnvelope, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var env pushEnvelope
		if err := json.NewDecoder(r.Body).Decode(&env); err != nil {
			t.Errorf("push body: %v", err)
		}
		mu.Lock()
		pushes[r.URL.Path]++
		mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/close-stale/") {
			select {
			case jobs <- env:
			default:
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Error(w, "always failing", http.StatusInternalServerError)
	}))
	defer srv.Close()

	m, err := manifest.Parse([]byte(provisionManifest))
	if err != nil {
		t.Fatal(err)
	}
	project := testProject()
	p := makePlan(m, project, srv.URL)
	for range 2 { // idempotent
		if err := provision(ctx, project, p); err != nil {
			t.Fatalf("provision: %v", err)
		}
	}

	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()

	// A scheduled job's message reaches its function's push endpoint.
	if _, err := publish(ctx, ps, project, manifest.ScheduleTopic("close-stale"), jobMessage("close-stale")); err != nil {
		t.Fatal(err)
	}
	select {
	case env := <-jobs:
		var body map[string]string
		if err := json.Unmarshal(env.Message.Data, &body); err != nil || body["job"] != "close-stale" {
			t.Errorf("job message data = %s (%v)", env.Message.Data, err)
		}
	case <-ctx.Done():
		t.Fatal("scheduled job message was not pushed")
	}

	// A message its function keeps failing is retried, then dead-lettered.
	if _, err := publish(ctx, ps, project, "case-events", &pubsubpb.PubsubMessage{Data: []byte(`{"id":"c1"}`)}); err != nil {
		t.Fatal(err)
	}
	var dead *pubsubpb.ReceivedMessage
	for dead == nil {
		resp, err := ps.SubscriptionAdminClient.Pull(ctx, &pubsubpb.PullRequest{
			Subscription: subPath(project, "notify-dead-letter-hold"), MaxMessages: 1,
		})
		if err != nil {
			t.Fatalf("pull dead letters: %v", err)
		}
		if len(resp.ReceivedMessages) > 0 {
			dead = resp.ReceivedMessages[0]
		}
	}
	if string(dead.Message.Data) != `{"id":"c1"}` {
		t.Errorf("dead letter data = %s", dead.Message.Data)
	}
	if got := dead.Message.Attributes["CloudPubSubDeadLetterSourceDeliveryCount"]; got != "5" {
		t.Errorf("dead letter delivery count = %q, want 5", got)
	}
	mu.Lock()
	attempts := pushes["/notify/projects/"+project+"/topics/case-events"]
	mu.Unlock()
	if attempts < 1 || attempts > 5 {
		t.Errorf("notify pushed %d times, want 1..5", attempts)
	}

	// Buckets exist under their real names.
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer gcs.Close()
	if _, err := gcs.Bucket(manifest.BucketName(project, "attachments")).Attrs(ctx); err != nil {
		t.Errorf("bucket: %v", err)
	}
}
