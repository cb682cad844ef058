package attachments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// upload serves POST /upload/v2/organizations/{org}/cases/{case}/attachments
// (media.upload). The body streams into an objectstore.Writer that buffers one
// chunk (Handler.ChunkSize), so memory stays flat whatever the file size;
// the first 512 bytes are peeked for sniffing. A body declared over
// MaxRequestBytes is refused before any of it is read; a chunked one once
// it crosses the limit. Costs: case read, counter read, attachment create,
// finalize transaction (2 reads, 2 writes; a customer's upload reads the
// case in it too, and writes it when it stops the waiting-on-customer
// clock), event mark (1 write).
func (h *Handler) upload(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > MaxRequestBytes {
		return apierror.TooLarge(MaxRequestBytes)
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes)
	ctx := r.Context()
	orgID, caseID, err := pathCase(r)
	if err != nil {
		return err
	}
	uploadType, err := uploadTypeOf(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	c, err := h.deps.Store.Case(ctx, caseID)
	if err != nil {
		return apierror.Describe(err, "case")
	}
	if err := a.CheckCase(access.CaseUpload, access.RefOf(c)); err != nil {
		return err
	}
	limits := store.AttachmentLimits(a.Package)
	if uploadType == uploadMedia && r.ContentLength > limits.MaxBytes {
		return apierror.TooLarge(limits.MaxBytes)
	}
	if err := h.checkQuota(ctx, caseID, limits); err != nil {
		return err
	}
	if err := h.deps.Limit(ctx, a, ratelimit.Upload); err != nil {
		return err
	}

	u, err := parseUpload(r, uploadType)
	if err != nil {
		return err
	}
	if strings.TrimSpace(u.filename) == "" {
		return apierror.InvalidArgument("the attachment needs a filename (attachment.filename)").
			WithFieldViolation("attachment.filename", "required")
	}
	head := make([]byte, attachpolicy.SniffLen)
	n, err := io.ReadFull(u.media, head)
	switch {
	case errors.Is(err, io.EOF):
		return apierror.InvalidArgument("the file is empty")
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return readError(err)
	}
	head = head[:n]

	now := h.deps.Clock.Now()
	att := &store.Attachment{
		ID: store.NewAttachmentID(now), OrgID: orgID, CaseID: caseID, State: store.AttachmentPending,
		Source: store.SourceMedia, Filename: filename.Sanitize(u.filename, defaultFilename), DeclaredMimeType: cleanMimeType(u.declaredType),
		CreatorUID: a.Identity.UID, CreatorEmail: a.Email(), CreatorName: a.DisplayName(), CreatorIsSupport: a.IsSupport(),
		CreateTime: now, UpdateTime: now,
	}
	att.SniffedType, att.MimeType = attachpolicy.Sniff(head)
	att.Object = store.AttachmentObject(orgID, caseID, att.ID)
	if err := h.deps.Store.CreateAttachment(ctx, att); err != nil {
		return apierror.Describe(err, "attachment")
	}
	gen, size, err := h.writeObject(ctx, att, io.MultiReader(bytes.NewReader(head), u.media), min(limits.MaxBytes, MaxRequestBytes), u.done)
	if err != nil {
		// Nothing was stored: forget the attachment.
		if derr := h.deps.Store.DeleteAttachment(context.WithoutCancel(ctx), caseID, att.ID); derr != nil {
			h.deps.Logger.WarnContext(ctx, "failed upload left a pending attachment", "attachmentId", att.ID, "error", derr.Error())
		}
		return err
	}

	check := store.CheckAttachment(gen, size, head, a.Package, h.deps.Clock.Now())
	check.OnReady = caseclocks.Attached(a.Package, att.CreatorIsSupport, check.Now)
	att, _, msgs, err := h.deps.Store.FinalizeAttachment(ctx, caseID, att.ID, check, events.NewID())
	if err != nil {
		return apierror.Describe(err, "attachment")
	}
	if att.State == store.AttachmentRejected {
		h.deleteObject(ctx, att.Object, gen)
		return limits.RejectionError(att.RejectReason, att.RejectMessage)
	}
	h.outbox.Send(ctx, msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toWire(att))
}

// checkQuota refuses early when the case is already full (the transaction
// that makes an attachment READY checks again).
func (h *Handler) checkQuota(ctx context.Context, caseID string, limits attachpolicy.Limits) error {
	n, err := h.deps.Store.ReadyAttachments(ctx, caseID)
	if err != nil {
		return apierror.Describe(err, "case")
	}
	if limits.CheckQuota(n) != nil {
		return limits.QuotaError()
	}
	return nil
}

// errFileTooLarge is returned by capReader past its limit.
var errFileTooLarge = errors.New("file too large")

// capReader reads at most n bytes, then fails with errFileTooLarge; read
// errors of the underlying reader are wrapped in bodyError.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n < 0 {
		return 0, errFileTooLarge
	}
	if int64(len(p)) > c.n+1 {
		p = p[:c.n+1]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n < 0 {
		return n, errFileTooLarge
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = bodyError{err}
	}
	return n, err
}

// bodyError is a failure reading the request (as opposed to writing to
// Cloud Storage).
type bodyError struct{ err error }

func (e bodyError) Error() string { return "read request body: " + e.err.Error() }
func (e bodyError) Unwrap() error { return e.err }

// writeObject streams body into a new object (it must not exist yet) and
// returns its generation and size. limit bounds the file's size; done
// checks the rest of the request once the file is read. On any failure
// the upload is cancelled, so no object is created.
func (h *Handler) writeObject(ctx context.Context, att *store.Attachment, body io.Reader, limit int64, done func() error) (gen, size int64, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ow := h.bucket.NewWriter(ctx, att.Object)
	ow.ChunkSize = h.ChunkSize
	ow.ContentType = att.MimeType
	ow.ContentDisposition = "attachment"
	_, err = io.Copy(ow, &capReader{r: body, n: limit})
	if err == nil {
		err = done()
	}
	if err != nil {
		cancel()
		_ = ow.Close()
		return 0, 0, copyError(err, limit)
	}
	if err := ow.Close(); err != nil {
		return 0, 0, apierror.From(fmt.Errorf("store attachment: %w", err))
	}
	attrs := ow.Attrs()
	return attrs.Generation, attrs.Size, nil
}

// copyError maps a failed copy: limits are 413, a broken request 400, a
// storage failure 503.
func copyError(err error, limit int64) error {
	var tooBig *http.MaxBytesError
	var ae *apierror.Error
	var be bodyError
	switch {
	case errors.Is(err, errFileTooLarge):
		return apierror.TooLarge(limit)
	case errors.As(err, &tooBig):
		return apierror.TooLarge(tooBig.Limit)
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &be):
		return readError(be.err)
	}
	return apierror.From(fmt.Errorf("store attachment: %w", err))
}

func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apierror.TooLarge(tooBig.Limit)
	}
	if errors.Is(err, errPreambleTooLarge) {
		return partError(err, "the file part")
	}
	return apierror.InvalidArgument("the request body could not be read: %v", err)
}

// deleteObject removes one generation of an object (a rejected upload);
// failures are only logged.
func (h *Handler) deleteObject(ctx context.Context, object string, gen int64) {
	if err := h.bucket.Delete(context.WithoutCancel(ctx), object, gen); err != nil && !errors.Is(err, objectstore.ErrNotExist) {
		h.deps.Logger.WarnContext(ctx, "rejected attachment object not deleted", "object", object, "generation", gen, "error", err.Error())
	}
}

// cleanMimeType keeps the media type of a declared Content-Type (stored
// for reference only; downloads are served as the sniffed type).
func cleanMimeType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || len(mt) > 100 {
		return ""
	}
	return mt
}
