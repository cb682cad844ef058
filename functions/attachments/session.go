package attachments

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/signedurl"
	"github.com/supportcenter/supportcenter/shared/store"
)

// uploadSession serves POST …/cases/{case}/attachments:uploadSession: it
// records a PENDING attachment and answers with a signed URL that uploads
// the file straight to Cloud Storage, so large files never pass through a
// function. The declared size is checked against the package now; the
// actual object again when it is finalized (finalize-upload). Costs: case
// read, counter read, one write.
func (h *Handler) uploadSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	orgID, caseID, err := pathCase(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	var in UploadSessionRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
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
	if err := checkSessionRequest(&in, limits); err != nil {
		return err
	}
	if err := h.checkQuota(ctx, caseID, limits); err != nil {
		return err
	}
	if err := h.deps.Limit(ctx, a, ratelimit.Upload); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	// The URL is checked by Cloud Storage against the wall clock.
	expires := time.Now().Add(signedurl.UploadTTL)
	att := &store.Attachment{
		ID: store.NewAttachmentID(now), OrgID: orgID, CaseID: caseID, State: store.AttachmentPending,
		Source: store.SourceSession, Filename: filename.Sanitize(in.Filename, defaultFilename), DeclaredMimeType: cleanMimeType(in.MimeType),
		DeclaredSize: int64(in.SizeBytes),
		CreatorUID:   a.Identity.UID, CreatorEmail: a.Email(), CreatorName: a.DisplayName(), CreatorIsSupport: a.IsSupport(),
		CreateTime: now, UpdateTime: now, SessionExpireTime: expires.UTC(),
	}
	att.Object = store.AttachmentObject(orgID, caseID, att.ID)
	uri, err := h.signer.UploadURL(att.Object, expires)
	if err != nil {
		return apierror.Unavailable(fmt.Errorf("sign upload URL: %w", err))
	}
	if err := h.deps.Store.CreateAttachment(ctx, att); err != nil {
		return apierror.Describe(err, "attachment")
	}
	return httpapi.WriteJSON(w, http.StatusOK, UploadSession{
		Attachment: toWire(att), UploadURI: uri, UploadMethod: signedurl.UploadMethod,
		UploadHeaders: signedurl.UploadHeaders(), ExpireTime: wire.Timestamp(expires),
	})
}

func checkSessionRequest(in *UploadSessionRequest, limits attachpolicy.Limits) error {
	if strings.TrimSpace(in.Filename) == "" {
		return apierror.InvalidArgument("filename is required").WithFieldViolation("filename", "required")
	}
	return limits.CheckDeclaredSize(int64(in.SizeBytes))
}
