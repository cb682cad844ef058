//go:build integration

package finalizeupload_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/finalizeupload"
	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

// fixture is a Finalizer over the emulators, on a bucket of its own (the
// stack's notifications cover only the attachments bucket, so nothing but
// this test calls the handler), with an event recorder.
type fixture struct {
	f      *finalizeupload.Finalizer
	events *events.Recorder
	store  *store.Store
	bucket *storage.BucketHandle
	orgID  string
	// uploader is an active member of the organisation, who files the
	// attachments (finalize re-checks their right to add files).
	uploader string
	env      *testenv.Env
}

func newFixture(t *testing.T, packageID string) *fixture {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gcs.Close() })
	name := testenv.UniqueID(env.ProjectID + "-finalize")
	if err := gcs.Bucket(name).Create(ctx, env.ProjectID, nil); err != nil {
		t.Fatal(err)
	}
	objects, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tn := env.NewCustomer(t, packageID, "clouddb")
	rec := &events.Recorder{}
	st := store.New(env.FS())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	uploader := tn.Email("uploader")
	env.AddUser(t, tn.OrgID, uploader, store.StatusActive, store.Role{Role: store.RoleMember})
	f := &finalizeupload.Finalizer{Store: st, Access: &access.Resolver{Store: st, VendorOrgID: seed.VendorOrgID, Clock: clock.Real{}},
		Bucket: objects.Bucket(name), BucketName: name, Outbox: outbox.New(st, rec, logger), Logger: logger, Clock: clock.Real{}}
	return &fixture{f: f, events: rec, store: st, bucket: gcs.Bucket(name), orgID: tn.OrgID, uploader: uploader, env: env}
}

// pending files a case and a PENDING session attachment in it.
func (fx *fixture) pending(t *testing.T) *store.Attachment {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	c := &store.Case{OrgID: fx.orgID, ProductID: "clouddb", DisplayName: "finalize", Description: "d", LanguageCode: "en",
		Priority: "P3", State: casestate.New, Open: true, SubscriberEmailAddresses: []string{}, CreatorUID: "u",
		CreatorEmail: fx.uploader, CreateTime: now, UpdateTime: now}
	if _, err := fx.store.CreateCase(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	a := &store.Attachment{ID: store.NewAttachmentID(now), OrgID: fx.orgID, CaseID: c.ID, State: store.AttachmentPending,
		Source: store.SourceSession, Filename: "photo.png", CreatorUID: "uploader", CreatorEmail: fx.uploader,
		CreateTime: now, UpdateTime: now}
	a.Object = store.AttachmentObject(fx.orgID, c.ID, a.ID)
	if err := fx.store.CreateAttachment(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// write stores content as a new generation of a's object.
func (fx *fixture) write(t *testing.T, a *store.Attachment, content string) *storage.ObjectAttrs {
	t.Helper()
	w := fx.bucket.Object(a.Object).NewWriter(context.Background())
	w.ContentType = "image/png" // what the client claims; never trusted
	if _, err := io.WriteString(w, content); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.Attrs()
}

// notification is the CloudEvent a push of the object's finalize
// notification becomes (as fake-gcs-server and Cloud Storage publish it).
func (fx *fixture) notification(attrs *storage.ObjectAttrs) event.Event {
	data, _ := json.Marshal(map[string]any{"kind": "storage#object", "name": attrs.Name, "bucket": attrs.Bucket,
		"generation": strconv.FormatInt(attrs.Generation, 10), "size": strconv.FormatInt(attrs.Size, 10), "contentType": attrs.ContentType})
	push, _ := json.Marshal(map[string]any{"message": map[string]any{"data": data, "messageId": "m1",
		"attributes": map[string]string{"eventType": "OBJECT_FINALIZE", "bucketId": attrs.Bucket, "objectId": attrs.Name,
			"objectGeneration": strconv.FormatInt(attrs.Generation, 10), "payloadFormat": "JSON_API_V1"}},
		"subscription": "projects/p/subscriptions/finalize-upload-push"})
	ce := event.New()
	ce.SetID(testenv.UniqueID("ce"))
	ce.SetType("google.cloud.pubsub.topic.v1.messagePublished")
	ce.SetSource("//pubsub.googleapis.com/projects/p/topics/attachment-uploads")
	_ = ce.SetData("application/json", push)
	return ce
}

func (fx *fixture) state(t *testing.T, a *store.Attachment) (*store.Attachment, int) {
	t.Helper()
	got, err := fx.store.Attachment(context.Background(), a.CaseID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	n, err := fx.store.ReadyAttachments(context.Background(), a.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	return got, n
}

func (fx *fixture) published(attachmentID string) []string {
	var ids []string
	for _, e := range fx.events.Events() {
		if e.AttachmentID == attachmentID && e.Type == events.CaseAttachmentAdded {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake image bytes"

// TestFinalizeDuplicateAndOverwrite calls the handler directly: a
// duplicate notification is a no-op; a newer generation of a READY
// attachment (the upload URL used again) is refused and deleted — the
// first decided generation wins, a READY attachment's bytes never change —
// and the event is published exactly once.
func TestFinalizeDuplicateAndOverwrite(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, "PLATINUM")
	ctx := context.Background()
	a := fx.pending(t)
	gen1 := fx.write(t, a, png)

	for i := range 2 { // the second delivery is a duplicate
		if err := fx.f.Handle(ctx, fx.notification(gen1)); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		got, n := fx.state(t, a)
		if got.State != store.AttachmentReady || got.Generation != gen1.Generation || got.MimeType != "image/png" || n != 1 ||
			got.EventID == "" || len(fx.published(a.ID)) != 1 {
			t.Fatalf("after delivery %d: %+v, ready count %d, events %v", i+1, got, n, fx.published(a.ID))
		}
	}

	// The signed URL used again with other content: a new generation.
	gen2 := fx.write(t, a, "<html><script>alert(1)</script>")
	if err := fx.f.Handle(ctx, fx.notification(gen2)); err != nil {
		t.Fatal(err)
	}
	got, n := fx.state(t, a)
	if got.State != store.AttachmentReady || got.Generation != gen1.Generation || got.MimeType != "image/png" || n != 1 {
		t.Fatalf("after overwrite: %+v, ready count %d", got, n)
	}
	if _, err := fx.bucket.Object(a.Object).Generation(gen2.Generation).Attrs(ctx); !errors.Is(err, storage.ErrObjectNotExist) {
		t.Fatalf("the later generation was kept: %v", err)
	}
	// The first generation's notification, late: ignored.
	if err := fx.f.Handle(ctx, fx.notification(gen1)); err != nil {
		t.Fatal(err)
	}
	if again, _ := fx.state(t, a); again.Generation != gen1.Generation || len(fx.published(a.ID)) != 1 {
		t.Fatalf("stale notification changed the attachment: %+v, events %v", again, fx.published(a.ID))
	}
}

// TestFinalizeConcurrentDeliveries: two deliveries at once have one effect.
func TestFinalizeConcurrentDeliveries(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, "PLATINUM")
	a := fx.pending(t)
	ce := fx.notification(fx.write(t, a, png))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = fx.f.Handle(context.Background(), ce) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, n := fx.state(t, a)
	ids := map[string]bool{}
	for _, id := range fx.published(a.ID) {
		ids[id] = true
	}
	if got.State != store.AttachmentReady || n != 1 || len(ids) != 1 {
		t.Fatalf("after concurrent deliveries: %s, ready count %d, distinct events %d", got.State, n, len(ids))
	}
}

// TestFinalizeRejects: over the package's size and over the case quota.
// A rejected object is deleted; the reason stays on the attachment.
func TestFinalizeRejects(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	pkg := testenv.UniqueID("TINY")
	if err := env.Writer.Package(context.Background(), pkg, store.Package{DisplayName: "Tiny", SupportCenterAccess: true,
		MaxAttachmentBytes: 64, MaxAttachmentsPerCase: 1}); err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, pkg)
	ctx := context.Background()

	big := fx.pending(t)
	if err := fx.f.Handle(ctx, fx.notification(fx.write(t, big, strings.Repeat("x", 65)))); err != nil {
		t.Fatal(err)
	}
	if got, n := fx.state(t, big); got.State != store.AttachmentRejected || got.RejectReason != attachpolicy.TooLarge || n != 0 {
		t.Fatalf("oversized: %+v, ready count %d", got, n)
	}
	if _, err := fx.bucket.Object(big.Object).Attrs(ctx); !errors.Is(err, storage.ErrObjectNotExist) {
		t.Fatalf("rejected object still stored: %v", err)
	}

	first := fx.pending(t)
	second := &store.Attachment{}
	*second = *first
	second.ID = store.NewAttachmentID(time.Now())
	second.Object = store.AttachmentObject(first.OrgID, first.CaseID, second.ID)
	if err := fx.store.CreateAttachment(ctx, second); err != nil {
		t.Fatal(err)
	}
	for _, a := range []*store.Attachment{first, second} {
		if err := fx.f.Handle(ctx, fx.notification(fx.write(t, a, png))); err != nil {
			t.Fatal(err)
		}
	}
	got, n := fx.state(t, second)
	if got.State != store.AttachmentRejected || got.RejectReason != attachpolicy.QuotaExceeded || n != 1 || len(fx.published(second.ID)) != 0 {
		t.Fatalf("over quota: %+v, ready count %d", got, n)
	}
}

// TestFinalizeUnsentEventIsRelayed: when publishing fails the delivery
// still succeeds (the attachment is READY and its event is in the outbox,
// committed together); the relay publishes the event once, and a second
// relay run sends nothing more.
func TestFinalizeUnsentEventIsRelayed(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, "PLATINUM")
	a := fx.pending(t)
	ce := fx.notification(fx.write(t, a, png))
	fx.events.Err = errors.New("pubsub down")
	if err := fx.f.Handle(context.Background(), ce); err != nil {
		t.Fatal(err)
	}
	if got, _ := fx.state(t, a); got.State != store.AttachmentReady || len(fx.published(a.ID)) != 0 {
		t.Fatalf("after failed publish: %+v, events %v", got, fx.published(a.ID))
	}
	fx.events.Err = nil
	relay := outbox.New(fx.store, fx.events, slog.New(slog.DiscardHandler))
	for run := range 2 {
		res, err := relay.Relay(t.Context(), time.Now(), time.Nanosecond, fx.orgID, 10)
		if err != nil || res.Published != 1-run || res.Failed != 0 {
			t.Fatalf("relay run %d: %+v %v", run+1, res, err)
		}
	}
	if got, _ := fx.state(t, a); len(fx.published(a.ID)) != 1 || fx.published(a.ID)[0] != got.EventID {
		t.Fatalf("after relay: %+v, events %v", got, fx.published(a.ID))
	}
}

// TestFinalizeIgnoresForeignNotifications: other buckets, other event
// types, objects that are not attachments, garbage — acknowledged.
func TestFinalizeIgnoresForeignNotifications(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, "PLATINUM")
	ctx := context.Background()
	for _, n := range []finalizeupload.Notification{
		{EventType: "OBJECT_DELETE", Bucket: fx.f.BucketName, Object: "orgs/x/cases/123456789/attachments/0123456789abcdef01234567", Generation: 1},
		{EventType: "OBJECT_FINALIZE", Bucket: "someone-else", Object: "orgs/x/cases/123456789/attachments/0123456789abcdef01234567", Generation: 1},
		{EventType: "OBJECT_FINALIZE", Bucket: fx.f.BucketName, Object: "exports/report.csv", Generation: 1},
		{EventType: "OBJECT_FINALIZE", Bucket: fx.f.BucketName, Object: "orgs/x/cases/123456789/attachments/0123456789abcdef01234567", Generation: 1},
	} {
		if err := fx.f.Process(ctx, n); err != nil {
			t.Errorf("%+v: %v", n, err)
		}
	}
	ce := event.New()
	ce.SetID("x")
	ce.SetType("t")
	ce.SetSource("s")
	_ = ce.SetData("application/json", []byte(`{"message":{"attributes":{}}}`))
	if err := fx.f.Handle(ctx, ce); err != nil {
		t.Errorf("garbage: %v", err)
	}
}

// TestFinalizeRechecksUploadRights: an uploader removed from the
// organisation (here: disabled) after opening an upload session adds
// nothing — the completed upload is REJECTED, its object deleted, and no
// event told.
func TestFinalizeRechecksUploadRights(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, "GOLD")
	ctx := context.Background()
	a := fx.pending(t)
	fx.env.AddUser(t, fx.orgID, fx.uploader, store.StatusDisabled, store.Role{Role: store.RoleMember})
	attrs := fx.write(t, a, png)
	if err := fx.f.Handle(ctx, fx.notification(attrs)); err != nil {
		t.Fatal(err)
	}
	got, n := fx.state(t, a)
	if got.State != store.AttachmentRejected || got.RejectReason != attachpolicy.UploaderNoAccess || n != 0 || len(fx.published(a.ID)) != 0 {
		t.Fatalf("attachment %s/%s, %d ready, %d events", got.State, got.RejectReason, n, len(fx.published(a.ID)))
	}
	if _, err := fx.bucket.Object(a.Object).Attrs(ctx); !errors.Is(err, storage.ErrObjectNotExist) {
		t.Fatalf("the refused object is still there: %v", err)
	}
}
