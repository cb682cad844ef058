package attachments

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/store"
)

// readAttachment resolves the caller, checks it may read the case and
// returns the attachment. Others' attachments that are not READY do not
// exist for the caller; its own are visible in every state (so an uploader
// sees why an upload was rejected) when own is true.
func (h *Handler) readAttachment(r *http.Request, own bool) (*store.Attachment, error) {
	orgID, caseID, id, _, err := pathAttachment(r)
	if err != nil {
		return nil, err
	}
	a, _, err := h.deps.CaseFor(r, orgID, caseID, access.CaseRead)
	if err != nil {
		return nil, err
	}
	att, err := h.deps.Store.Attachment(r.Context(), caseID, id)
	if err != nil {
		return nil, apierror.Describe(err, "attachment")
	}
	mine := own && att.CreatorUID == a.Identity.UID
	if att.OrgID != orgID || (att.State != store.AttachmentReady && !mine) {
		return nil, apierror.NotFound("attachment not found")
	}
	return att, nil
}

// get serves GET …/attachments/{id} (extension): the attachment with its
// state; PENDING and REJECTED ones only for their uploader.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	att, err := h.readAttachment(r, true)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, toWire(att))
}

// download serves GET …/attachments/{id}:download?alt=media
// (media.download): the validated generation's bytes, streamed from Cloud
// Storage, as a download that is never rendered: Content-Disposition
// attachment with the sanitised name, nosniff, the served (never active)
// type and a sandboxing CSP. Every request is access-checked (case read,
// attachment read; no caching by shared caches).
func (h *Handler) download(w http.ResponseWriter, r *http.Request) error {
	if alt := r.URL.Query().Get("alt"); alt != "" && alt != "media" {
		return apierror.InvalidArgument("download answers with the file's bytes only: use alt=media").WithFieldViolation("alt", "must be media")
	}
	att, err := h.readAttachment(r, false)
	if err != nil {
		return err
	}
	rd, err := h.bucket.NewReader(r.Context(), att.Object, att.Generation)
	if errors.Is(err, objectstore.ErrNotExist) {
		// Overwritten since it was validated; the new generation is on its way.
		return apierror.NotFound("attachment not found")
	}
	if err != nil {
		return apierror.From(err)
	}
	defer rd.Close()
	hd := w.Header()
	hd.Set("Content-Type", att.MimeType)
	hd.Set("Content-Length", strconv.FormatInt(rd.Size, 10))
	hd.Set("Content-Disposition", filename.ContentDisposition(att.Filename))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rd); err != nil {
		// Headers are gone; the short body (Content-Length) tells the client.
		h.deps.Logger.WarnContext(r.Context(), "attachment download interrupted", "attachmentId", att.ID, "error", err.Error())
	}
	return nil
}
