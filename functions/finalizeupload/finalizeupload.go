// Package finalizeupload is the "finalize-upload" event function (see
// infra/functions.yaml). The attachments bucket publishes an
// OBJECT_FINALIZE notification (JSON_API_V1: the data is the object
// resource; attributes eventType, bucketId, objectId, objectGeneration) to
// the attachment-uploads topic for every object written; a push
// subscription delivers it here as a CloudEvent.
//
// For an attachment object (store.AttachmentObject) it validates that
// generation — size within the organisation's package limit, content type
// sniffed from the first 512 bytes (a ranged read; nothing more is ever
// read), the per-case quota — and marks the attachment READY, or REJECTED
// with a reason its uploader sees (and deletes the rejected object). The
// decision is one Firestore transaction that compares generations and
// states (store.FinalizeAttachment), so a duplicate notification is a
// no-op and an older one is ignored; a newer generation (the upload URL
// was used again) is validated afresh and downloads switch to it. The
// first time an attachment becomes READY, case.attachmentAdded is written
// to the outbox in that transaction and published right after (package
// outbox; the relay sends it if this publish fails).
//
// Media uploads (written by the attachments function) are notified too;
// that function normally decided first and this is then a duplicate.
//
// Malformed or foreign notifications are acknowledged and logged;
// Firestore and Storage failures return an error so Pub/Sub redelivers
// (then dead-letters).
package finalizeupload

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("finalize-upload", Entry) }

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	Bucket string `env:"ATTACHMENTS_BUCKET,required"`
}

// Entry is the function's entry point; the handler is built on the first event.
var Entry = runtime.Event("finalize-upload", Build)

// Build returns the production Finalizer over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Finalizer, error) {
	gcs, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		return nil, err
	}
	pub, err := publish.New(ctx, d.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return &Finalizer{
		Store: d.Store, Access: d.Resolver, Bucket: gcs.Bucket(cfg.Bucket), BucketName: cfg.Bucket, Outbox: outbox.New(d.Store, pub, d.Logger),
		Logger: d.Logger, Clock: d.Clock,
	}, nil
}

// Finalizer validates finalized attachment objects.
type Finalizer struct {
	Store *store.Store
	// Access re-checks, when an upload completes, that its uploader may
	// still add files to the case.
	Access     *access.Resolver
	Bucket     *objectstore.Bucket
	BucketName string
	Outbox     *outbox.Outbox
	Logger     *slog.Logger
	Clock      clock.Clock
}

// Notification is what a Cloud Storage notification says about an object.
type Notification = events.StorageNotification

// Handle processes one CloudEvent; unparseable ones are acknowledged.
func (f *Finalizer) Handle(ctx context.Context, ce event.Event) error {
	n, err := events.DecodeStorageNotification(ce.Data())
	if err != nil {
		f.Logger.WarnContext(ctx, "storage notification ignored", "ceId", ce.ID(), "error", err.Error())
		return nil
	}
	return f.Process(ctx, n)
}

// Process validates the notified generation of an attachment object and
// applies the result (see the package comment).
func (f *Finalizer) Process(ctx context.Context, n Notification) error {
	if n.EventType != events.StorageFinalize || n.Bucket != f.BucketName {
		f.Logger.DebugContext(ctx, "storage notification not for us", "eventType", n.EventType, "bucket", n.Bucket)
		return nil
	}
	log := f.Logger.With("object", n.Object, "generation", n.Generation)
	orgID, caseID, id, ok := store.ParseAttachmentObject(n.Object)
	if !ok {
		log.WarnContext(ctx, "object in the attachments bucket is not an attachment")
		return nil
	}
	att, err := f.Store.Attachment(ctx, caseID, id)
	if store.IsNotFound(err) {
		log.WarnContext(ctx, "attachment object without an attachment")
		return nil
	}
	if err != nil {
		return err
	}
	if att.OrgID != orgID || att.Object != n.Object {
		log.WarnContext(ctx, "attachment object does not match its attachment", "attachmentId", id)
		return nil
	}
	// Already decided (duplicate) or superseded (stale): nothing to do (an
	// event it caused is in the outbox or sent). The transaction below
	// re-checks.
	if n.Generation < att.Generation || (n.Generation == att.Generation && att.State != store.AttachmentPending) {
		log.InfoContext(ctx, "attachment notification already handled", "attachmentId", id, "state", att.State)
		return nil
	}
	if att.State != store.AttachmentPending {
		// A later generation of a decided attachment (a reused upload URL
		// or session): the first decided generation wins.
		f.refuseLate(ctx, log, n, id, att.State)
		return nil
	}
	head, size, err := f.readHead(ctx, n)
	if errors.Is(err, objectstore.ErrNotExist) {
		log.InfoContext(ctx, "attachment generation gone (replaced or deleted)", "attachmentId", id)
		return nil
	}
	if err != nil {
		return err
	}
	pkg, err := f.orgPackage(ctx, orgID)
	if err != nil {
		return err
	}
	check := store.CheckAttachment(n.Generation, size, head, pkg, f.Clock.Now())
	if check.Reject == "" {
		// Upload rights are checked again now: a session opened before
		// the uploader was removed (or a reseller's grant revoked) adds
		// nothing.
		r, err := f.uploaderRefused(ctx, att)
		if err != nil {
			return err
		}
		if r != nil {
			check.Reject, check.Message = r.Reason, r.Message
		}
	}
	check.OnReady = caseclocks.Attached(pkg, att.CreatorIsSupport, check.Now)
	att, outcome, msgs, err := f.Store.FinalizeAttachment(ctx, caseID, id, check, events.NewID())
	if store.IsNotFound(err) {
		log.WarnContext(ctx, "attachment deleted while validating", "attachmentId", id)
		return nil
	}
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "attachment finalized", "attachmentId", id, "outcome", string(outcome), "state", att.State,
		"rejectReason", att.RejectReason, "sizeBytes", size, "sniffedType", check.SniffedType)
	if outcome == store.OutcomeApplied && att.State == store.AttachmentRejected {
		f.deleteGeneration(ctx, n.Object, n.Generation)
	}
	if outcome == store.OutcomeLate {
		f.refuseLate(ctx, log, n, id, att.State)
	}
	f.Outbox.Send(ctx, msgs...)
	return nil
}

// uploaderRefused asks the access policy whether the attachment's uploader
// may still add files to its case: nil when allowed, the rejection when not;
// an error only when that cannot be decided now (retried).
// Reads: the uploader's resolution (one batched get of the organisation and
// memberships, one more through a reseller) and the case.
func (f *Finalizer) uploaderRefused(ctx context.Context, att *store.Attachment) (*attachpolicy.Rejection, error) {
	a, err := f.Access.ResolveAddress(ctx, att.CreatorEmail, att.OrgID)
	if err == nil {
		var c *store.Case
		if c, err = f.Store.Case(ctx, att.CaseID); err == nil {
			err = a.CheckCase(access.CaseUpload, access.RefOf(c))
		}
	}
	switch {
	case err == nil:
		return nil, nil
	case apierror.Retryable(err):
		return nil, err
	}
	return attachpolicy.NoAccess(), nil
}

// readHead reads at most the first attachpolicy.SniffLen bytes of the notified
// generation (raw: stored Content-Encoding is not decoded) and returns
// them with the object's size.
func (f *Finalizer) readHead(ctx context.Context, n Notification) ([]byte, int64, error) {
	if n.Size == 0 {
		return nil, 0, nil
	}
	rd, err := f.Bucket.NewRangeReader(ctx, n.Object, n.Generation, 0, attachpolicy.SniffLen)
	if err != nil {
		return nil, 0, err
	}
	defer rd.Close()
	head := make([]byte, attachpolicy.SniffLen)
	k, err := io.ReadFull(rd, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, 0, err
	}
	return head[:k], rd.Size, nil
}

// orgPackage returns the support package of an organisation (nil when it
// has none: the default limits apply).
func (f *Finalizer) orgPackage(ctx context.Context, orgID string) (*store.Package, error) {
	org, err := f.Store.Org(ctx, orgID)
	if store.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	pkg, err := f.Store.Package(ctx, org.PackageID)
	if store.IsNotFound(err) {
		return nil, nil
	}
	return pkg, err
}

// deleteGeneration removes a rejected generation; failures are logged only
// (the attachment is REJECTED either way and never served).
func (f *Finalizer) deleteGeneration(ctx context.Context, object string, gen int64) {
	err := f.Bucket.Delete(ctx, object, gen)
	if err != nil && !errors.Is(err, objectstore.ErrNotExist) {
		f.Logger.WarnContext(ctx, "rejected attachment object not deleted", "object", object, "generation", gen, "error", err.Error())
	}
}

// refuseLate deletes a generation written after its attachment was decided
// and logs it: a READY attachment's bytes never change, and a REJECTED one
// stays rejected.
func (f *Finalizer) refuseLate(ctx context.Context, log *slog.Logger, n Notification, id, state string) {
	log.WarnContext(ctx, "attachment object rewritten after it was decided: the later generation is deleted",
		"attachmentId", id, "state", state)
	f.deleteGeneration(ctx, n.Object, n.Generation)
}
