// Package finalizeresource is the "finalize-resource" event function (see
// infra/functions.yaml). The resources bucket publishes an OBJECT_FINALIZE
// notification to the resource-uploads topic for every object written; a
// push subscription delivers it here as a CloudEvent.
//
// For a resource object (store.ResourceObject) it reads the notified
// generation once, start to end, hashing it, and marks the resource READY
// when its size and SHA-256 are the ones the publisher declared, REJECTED
// (SIZE_MISMATCH, SHA256_MISMATCH; the generation is deleted) otherwise.
// When a READY resource supersedes an older version, that version gets
// the newer one's id in the same transaction (store.FinalizeResource).
//
// It is a function of its own, not part of finalize-upload, because the
// work differs: attachments are judged on their first 512 bytes under the
// case's package limits, resources are files of several GB read whole, so
// this function has a long timeout, few instances and read access to the
// resources bucket only.
//
// At-least-once delivery is safe without a dedupe record: the decision is
// one transaction that compares generations and states, so a duplicate
// notification finds the resource decided and does nothing (it only costs
// the resource read, and the hashing when it races the first delivery); a
// later generation of a decided resource (the upload URL used again) is
// deleted, never served — the first decided generation wins.
//
// Costs per notification: Firestore reads 1 (the resource) + the
// transaction's 1 (+1 for the superseded version), writes 1 (+1), none for
// a duplicate; Cloud Storage: the object read once, whole.
//
// Malformed or foreign notifications are acknowledged and logged;
// Firestore and Storage failures return an error so Pub/Sub redelivers
// (then dead-letters).
package finalizeresource

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("finalize-resource", Entry) }

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	Bucket string `env:"RESOURCES_BUCKET,required"`
}

// Entry is the function's entry point; the handler is built on the first event.
var Entry = runtime.Event("finalize-resource", Build)

// Build returns the production Finalizer over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Finalizer, error) {
	gcs, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		return nil, err
	}
	return &Finalizer{Store: d.Store, Bucket: gcs.Bucket(cfg.Bucket), BucketName: cfg.Bucket, Logger: d.Logger, Clock: d.Clock}, nil
}

// Finalizer validates finalized resource objects.
type Finalizer struct {
	Store      *store.Store
	Bucket     *objectstore.Bucket
	BucketName string
	Logger     *slog.Logger
	Clock      clock.Clock
}

// Handle processes one CloudEvent; unparseable ones are acknowledged.
func (f *Finalizer) Handle(ctx context.Context, ce event.Event) error {
	n, err := events.DecodeStorageNotification(ce.Data())
	if err != nil {
		f.Logger.WarnContext(ctx, "storage notification ignored", "ceId", ce.ID(), "error", err.Error())
		return nil
	}
	return f.Process(ctx, n)
}

// Process validates the notified generation of a resource object and
// applies the result (see the package comment).
func (f *Finalizer) Process(ctx context.Context, n events.StorageNotification) error {
	if n.EventType != events.StorageFinalize || n.Bucket != f.BucketName {
		f.Logger.DebugContext(ctx, "storage notification not for us", "eventType", n.EventType, "bucket", n.Bucket)
		return nil
	}
	log := f.Logger.With("object", n.Object, "generation", n.Generation)
	id, ok := store.ParseResourceObject(n.Object)
	if !ok {
		log.WarnContext(ctx, "object in the resources bucket is not a resource")
		return nil
	}
	res, err := f.Store.Resource(ctx, id)
	if store.IsNotFound(err) {
		log.WarnContext(ctx, "resource object without a resource")
		return nil
	}
	if err != nil {
		return err
	}
	if n.Generation < res.Generation || (n.Generation == res.Generation && res.State != store.ResourcePending) {
		log.InfoContext(ctx, "resource notification already handled", "resourceId", id, "state", res.State)
		return nil
	}
	if res.State != store.ResourcePending {
		f.refuseLate(ctx, log, n, id, res.State)
		return nil
	}
	size, sum, err := f.hash(ctx, n)
	if errors.Is(err, objectstore.ErrNotExist) {
		log.InfoContext(ctx, "resource generation gone (replaced or deleted)", "resourceId", id)
		return nil
	}
	if err != nil {
		return err
	}
	check := store.ResourceCheck{Generation: n.Generation, Time: f.Clock.Now()}
	switch {
	case size != res.SizeBytes:
		check.Reject = store.ResourceRejectSize
	case sum != res.SHA256:
		check.Reject = store.ResourceRejectSHA256
	}
	res, outcome, err := f.Store.FinalizeResource(ctx, id, check)
	if store.IsNotFound(err) {
		log.WarnContext(ctx, "resource deleted while validating", "resourceId", id)
		return nil
	}
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "resource finalized", "resourceId", id, "outcome", string(outcome), "state", res.State,
		"rejectReason", res.RejectReason, "sizeBytes", size)
	switch {
	case outcome == store.OutcomeApplied && res.State == store.ResourceRejected:
		f.deleteGeneration(ctx, n.Object, n.Generation)
	case outcome == store.OutcomeLate:
		f.refuseLate(ctx, log, n, id, res.State)
	}
	return nil
}

// hash reads the notified generation whole (raw: a stored
// Content-Encoding is not decoded, so the bytes are the uploaded ones)
// and returns its size and lower-case hex SHA-256.
func (f *Finalizer) hash(ctx context.Context, n events.StorageNotification) (int64, string, error) {
	rd, err := f.Bucket.NewReader(ctx, n.Object, n.Generation)
	if err != nil {
		return 0, "", err
	}
	defer rd.Close()
	h := sha256.New()
	size, err := io.Copy(h, rd)
	if err != nil {
		return 0, "", err
	}
	return size, hex.EncodeToString(h.Sum(nil)), nil
}

// deleteGeneration removes a refused generation; failures are logged only
// (the resource is never served from it either way).
func (f *Finalizer) deleteGeneration(ctx context.Context, object string, gen int64) {
	err := f.Bucket.Delete(ctx, object, gen)
	if err != nil && !errors.Is(err, objectstore.ErrNotExist) {
		f.Logger.WarnContext(ctx, "refused resource object not deleted", "object", object, "generation", gen, "error", err.Error())
	}
}

// refuseLate deletes a generation written after its resource was decided.
func (f *Finalizer) refuseLate(ctx context.Context, log *slog.Logger, n events.StorageNotification, id, state string) {
	log.WarnContext(ctx, "resource object rewritten after it was decided: the later generation is deleted",
		"resourceId", id, "state", state)
	f.deleteGeneration(ctx, n.Object, n.Generation)
}
