// Package attachments is the "attachments" HTTP function (see
// infra/functions.yaml): files attached to support cases, in the REST shape
// of Google's Cloud Support API v2, so Google's
// discovery client (google.golang.org/api/cloudsupport/v2) uploads, lists
// and downloads unchanged.
//
//	GET  /v2/{case}/attachments                    attachments.list (READY only; pageSize ≤ 100)
//	POST /upload/v2/{case}/attachments             media.upload: uploadType=multipart or media, ≤ 32 MB
//	GET  /v2/{case}/attachments/{id}:download      media.download: the bytes, streamed from Cloud Storage
//	GET  /v2/{case}/attachments/{id}               extension: one attachment with its state
//	POST /v2/{case}/attachments:uploadSession      extension: a signed URL to upload a large file
//	                                               straight to Cloud Storage
//
// Everyone who may read the case may list and download its attachments;
// uploading needs access.CaseUpload; another tenant's case is 404.
//
// Files are stored as store.AttachmentObject(org, case, id), never under
// the uploader's name; the name is sanitised metadata. An attachment is
// READY (listed, downloadable) only once its object was validated — size
// within the package's limit, type sniffed from the bytes, the per-case
// quota — by this function for media uploads and by the finalize-upload
// function for upload sessions (both apply package attachpolicy through
// store.CheckAttachment, in the same transaction, store.FinalizeAttachment).
// Becoming READY writes case.attachmentAdded to the outbox in that
// transaction; it is published once (consumers dedupe a relayed copy by
// event id).
//
// Downloads are always streamed through the function (there is no signed
// GET redirect): the response headers — Content-Disposition: attachment,
// X-Content-Type-Options: nosniff, a type that is never renderable — are
// then ours, and every request is access-checked.
package attachments

import (
	"context"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/signedurl"
)

func init() { functions.HTTP("attachments", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("attachments", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	// Bucket holds the attachments ("<project>-attachments").
	Bucket string `env:"ATTACHMENTS_BUCKET,required"`
	// EmulatorHost is set locally (fake-gcs-server); upload URLs are then
	// signed with a key generated at start (see package signedurl).
	EmulatorHost string `env:"STORAGE_EMULATOR_HOST"`
}

// Build returns the function's HTTP handler over the runtime's
// dependencies, with the attachments bucket and a case-events publisher.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	gcs, err := objectstore.New(ctx, objectstore.Config{EmulatorHost: cfg.EmulatorHost})
	if err != nil {
		return nil, err
	}
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	bucket := gcs.Bucket(cfg.Bucket)
	sig, err := signedurl.New(cfg.Bucket, cfg.EmulatorHost, deps.Config.ProjectID, "attachments")
	if err != nil {
		return nil, err
	}
	return New(deps, pub, bucket, sig).Routes(), nil
}

// Handler serves the function's routes.
type Handler struct {
	deps   *runtime.Deps
	outbox *outbox.Outbox
	bucket *objectstore.Bucket
	signer *signedurl.Signer
	// ChunkSize is the objectstore.Writer chunk size of media uploads: what
	// one upload buffers in memory (the Writer's default is 16 MiB).
	ChunkSize int
}

// DefaultChunkSize is Handler.ChunkSize unless changed (a multiple of
// 256 KiB, as Cloud Storage requires).
const DefaultChunkSize = 1 << 20

// New returns a Handler over deps storing files in bucket and publishing
// case events to pub.
func New(deps *runtime.Deps, pub events.Publisher, bucket *objectstore.Bucket, sig *signedurl.Signer) *Handler {
	return &Handler{deps: deps, outbox: outbox.New(deps.Store, pub, deps.Logger), bucket: bucket, signer: sig, ChunkSize: DefaultChunkSize}
}

// Routes returns the function's HTTP handler. The upload route reads its
// own body (limit MaxRequestBytes, streamed); every other route has the
// shared JSON body limit.
func (h *Handler) Routes() http.Handler {
	d := h.deps
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations/{org}/cases/{case}/attachments", httpapi.Methods{"GET": d.Handle(h.list)})
	mux.Handle("/v2/organizations/{org}/cases/{case}/attachments:uploadSession", httpapi.Methods{"POST": d.Handle(h.uploadSession)})
	// {attachment} is "id" or "id:download" (ServeMux takes the whole segment).
	mux.Handle("/v2/organizations/{org}/cases/{case}/attachments/{attachment}", httpapi.Methods{"GET": d.Handle(h.getOrDownload)})
	mux.Handle("/", httpapi.NotFoundHandler())

	top := http.NewServeMux()
	top.Handle("/upload/v2/organizations/{org}/cases/{case}/attachments",
		d.Wrap(httpapi.Methods{"POST": d.Handle(h.upload)}, -1))
	top.Handle("/", d.Wrap(mux, 0))
	return top
}

// getOrDownload dispatches GET …/attachments/{id} and {id}:download.
func (h *Handler) getOrDownload(w http.ResponseWriter, r *http.Request) error {
	_, _, _, verb, err := pathAttachment(r)
	if err != nil {
		return err
	}
	switch verb {
	case "":
		return h.get(w, r)
	case "download":
		return h.download(w, r)
	}
	return apierror.NotFound("unknown method %q on an attachment", verb)
}
