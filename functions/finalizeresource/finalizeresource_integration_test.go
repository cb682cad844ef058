//go:build integration

package finalizeresource_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/finalizeresource"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/store"
)

// fixture is a Finalizer over the emulators on a bucket of its own (no
// stack notification reaches it, so only this test calls the handler).
type fixture struct {
	f      *finalizeresource.Finalizer
	store  *store.Store
	bucket *storage.BucketHandle
	name   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gcs.Close() })
	name := testenv.UniqueID(env.ProjectID + "-resources")
	if err := gcs.Bucket(name).Create(ctx, env.ProjectID, nil); err != nil {
		t.Fatal(err)
	}
	objects, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(env.FS())
	f := &finalizeresource.Finalizer{Store: st, Bucket: objects.Bucket(name), BucketName: name,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Real{}}
	return &fixture{f: f, store: st, bucket: gcs.Bucket(name), name: name}
}

// pending writes a PENDING resource declaring body's size and SHA-256
// (superseding old, if not "") and returns it.
func (fx *fixture) pending(t *testing.T, body []byte, old string) *store.Resource {
	t.Helper()
	sum := sha256.Sum256(body)
	now := time.Now().UTC()
	r := &store.Resource{ID: store.NewResourceID(now), Title: "Installer", Kind: store.ResourceKindDownload, Version: "1",
		ProductIDs: []string{"clouddb"}, PackageIDs: []string{"GOLD"}, Filename: "setup.bin", SizeBytes: int64(len(body)),
		SHA256: hex.EncodeToString(sum[:]), State: store.ResourcePending, Supersedes: old, CreatorEmail: "lead@support.example",
		CreateTime: now, UpdateTime: now}
	r.Object = store.ResourceObject(r.ID)
	if err := fx.store.CreateResource(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

// put writes body as a new generation of r's object and returns the
// notification Cloud Storage would send for it.
func (fx *fixture) put(t *testing.T, r *store.Resource, body []byte) events.StorageNotification {
	t.Helper()
	w := fx.bucket.Object(r.Object).NewWriter(context.Background())
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	a := w.Attrs()
	return events.StorageNotification{EventType: events.StorageFinalize, Bucket: fx.name, Object: r.Object, Generation: a.Generation, Size: a.Size}
}

// cloudEvent wraps n as the Pub/Sub push CloudEvent the function receives.
func cloudEvent(t *testing.T, n events.StorageNotification) event.Event {
	t.Helper()
	data, _ := json.Marshal(map[string]string{"size": strconv.FormatInt(n.Size, 10)})
	body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": data, "messageId": "m1", "attributes": map[string]string{
		"eventType": n.EventType, "bucketId": n.Bucket, "objectId": n.Object, "objectGeneration": strconv.FormatInt(n.Generation, 10)}}})
	ce := event.New()
	ce.SetID("ce-" + strconv.FormatInt(n.Generation, 10))
	ce.SetType("google.cloud.pubsub.topic.v1.messagePublished")
	ce.SetSource("test")
	if err := ce.SetData("application/json", body); err != nil {
		t.Fatal(err)
	}
	return ce
}

func (fx *fixture) get(t *testing.T, id string) *store.Resource {
	t.Helper()
	r, err := fx.store.Resource(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFinalizeResourceDuplicateDelivery: the same notification delivered
// again, and several copies at once, decide the resource once; a later
// generation of the READY resource is deleted and never replaces it.
func TestFinalizeResourceDuplicateDelivery(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	body := bytes.Repeat([]byte("CloudDB installer "), 4096)
	r := fx.pending(t, body, "")
	n := fx.put(t, r, body)
	ce := cloudEvent(t, n)

	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := fx.f.Handle(context.Background(), ce); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := fx.get(t, r.ID)
	if got.State != store.ResourceReady || got.Generation != n.Generation {
		t.Fatalf("after concurrent deliveries: state %s generation %d, want READY %d", got.State, got.Generation, n.Generation)
	}
	readyTime := got.ReadyTime
	if err := fx.f.Handle(context.Background(), ce); err != nil {
		t.Fatal(err)
	}
	if again := fx.get(t, r.ID); !again.ReadyTime.Equal(readyTime) || again.UpdateTime != got.UpdateTime {
		t.Fatalf("a duplicate delivery changed the resource: %+v", again)
	}

	// A later generation (the upload URL used again) is refused and deleted.
	late := fx.put(t, r, []byte("something else"))
	if err := fx.f.Process(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	if g := fx.get(t, r.ID); g.State != store.ResourceReady || g.Generation != n.Generation {
		t.Fatalf("after a late generation: %+v", g)
	}
	_, err := fx.bucket.Object(r.Object).Generation(late.Generation).Attrs(context.Background())
	if !errors.Is(err, storage.ErrObjectNotExist) {
		t.Fatalf("late generation still there: %v", err)
	}
}

// TestFinalizeResourceRejects: a size or SHA-256 other than declared
// rejects the resource and deletes the object.
func TestFinalizeResourceRejects(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	tests := []struct {
		name     string
		declared []byte
		sent     []byte
		want     string
	}{
		{"size", []byte("declared body"), []byte("declared body plus more"), store.ResourceRejectSize},
		{"sha256", []byte("declared body"), []byte("declared bodx"), store.ResourceRejectSHA256},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fx.pending(t, tc.declared, "")
			n := fx.put(t, r, tc.sent)
			if err := fx.f.Process(context.Background(), n); err != nil {
				t.Fatal(err)
			}
			got := fx.get(t, r.ID)
			if got.State != store.ResourceRejected || got.RejectReason != tc.want {
				t.Fatalf("state %s reason %s, want REJECTED %s", got.State, got.RejectReason, tc.want)
			}
			_, err := fx.bucket.Object(r.Object).Generation(n.Generation).Attrs(context.Background())
			if !errors.Is(err, storage.ErrObjectNotExist) {
				t.Fatalf("rejected object still there: %v", err)
			}
		})
	}
}

// TestFinalizeResourceSupersedes: a new version becoming READY marks the
// old one superseded; an old version finishing later does not take the
// place back.
func TestFinalizeResourceSupersedes(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	v1 := fx.pending(t, []byte("v1"), "")
	if err := fx.f.Process(context.Background(), fx.put(t, v1, []byte("v1"))); err != nil {
		t.Fatal(err)
	}
	v3 := fx.pending(t, []byte("v3"), v1.ID)
	v2 := fx.pending(t, []byte("v2"), v1.ID) // created later, so its id sorts after v3's
	if err := fx.f.Process(context.Background(), fx.put(t, v2, []byte("v2"))); err != nil {
		t.Fatal(err)
	}
	if got := fx.get(t, v1.ID); got.SupersededBy != v2.ID || got.State != store.ResourceReady {
		t.Fatalf("v1 after v2: %+v", got)
	}
	if err := fx.f.Process(context.Background(), fx.put(t, v3, []byte("v3"))); err != nil {
		t.Fatal(err)
	}
	if got := fx.get(t, v1.ID); got.SupersededBy != v2.ID {
		t.Fatalf("v1 superseded by %s after the older-id v3 finished, want %s", got.SupersededBy, v2.ID)
	}
}

// TestFinalizeResourceIgnoresForeign: other buckets, other objects,
// malformed messages and unknown resources are acknowledged.
func TestFinalizeResourceIgnoresForeign(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	for _, n := range []events.StorageNotification{
		{EventType: events.StorageFinalize, Bucket: "other", Object: "resources/0123456789abcdef01234567", Generation: 1},
		{EventType: "OBJECT_DELETE", Bucket: fx.name, Object: "resources/0123456789abcdef01234567", Generation: 1},
		{EventType: events.StorageFinalize, Bucket: fx.name, Object: "not/a/resource", Generation: 1},
		{EventType: events.StorageFinalize, Bucket: fx.name, Object: "resources/0123456789abcdef01234567", Generation: 1},
	} {
		if err := fx.f.Process(context.Background(), n); err != nil {
			t.Errorf("%+v: %v", n, err)
		}
	}
	ce := event.New()
	ce.SetID("x")
	ce.SetType("t")
	ce.SetSource("s")
	_ = ce.SetData("application/json", []byte(`{"message":{}}`))
	if err := fx.f.Handle(context.Background(), ce); err != nil {
		t.Errorf("malformed: %v", err)
	}
}
