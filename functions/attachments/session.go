package attachments

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"cloud.google.com/go/storage"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// UploadURLTTL is how long a signed upload URL can start an upload. Once
// started, Cloud Storage keeps the resumable session (its Location URI)
// for up to a week; the object is validated whenever it is finalized.
const UploadURLTTL = 15 * time.Minute

// signer signs V4 upload URLs for the attachments bucket.
//
// In production the options are empty: BucketHandle.SignedURL finds the
// function's service account and signs through the IAM Credentials
// signBlob API (the account needs roles/iam.serviceAccountTokenCreator on
// itself). Locally there are no credentials, so a key generated at start
// signs; fake-gcs-server does not verify signatures.
type signer struct {
	bucket *storage.BucketHandle
	opts   storage.SignedURLOptions
	// emulated: the URL also carries a signed name=<object> query
	// parameter, because fake-gcs-server (v1.56.1) takes a resumable
	// upload's object name from that parameter and ignores the URL path
	// (without it the object is created with an empty name). Real Cloud
	// Storage takes the name from the path, as it should.
	emulated bool
}

// newSigner returns the signer for this environment: emulatorHost is
// STORAGE_EMULATOR_HOST ("" in production).
func newSigner(bucket *storage.BucketHandle, emulatorHost, projectID string) (*signer, error) {
	s := &signer{bucket: bucket}
	if emulatorHost == "" {
		return s, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("local signing key: %w", err)
	}
	s.emulated = true
	s.opts.GoogleAccessID = "attachments-local@" + projectID + ".iam.gserviceaccount.com"
	s.opts.PrivateKey = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	s.opts.Insecure = !strings.HasPrefix(emulatorHost, "https://")
	return s, nil
}

// resumableStartHeaders are the headers the client must send (and the
// signature covers) when it starts the upload. The generation precondition
// 0 (the object must not exist) makes the signed URL good for one object
// only: used again after the upload, Cloud Storage refuses it (412), so a
// READY attachment's bytes cannot be replaced. (fake-gcs-server, locally,
// checks no signature; finalize-upload's "first decided generation wins"
// refuses and deletes a later generation wherever it comes from.)
var resumableStartHeaders = map[string]string{"x-goog-resumable": "start", "x-goog-if-generation-match": "0"}

// uploadURL signs a POST that starts a resumable upload of object (XML
// API: POST with x-goog-resumable: start answers with the session URI in
// Location), valid until expires.
func (s *signer) uploadURL(object string, expires time.Time) (string, error) {
	opts := s.opts
	opts.Scheme = storage.SigningSchemeV4
	opts.Method = http.MethodPost
	opts.Expires = expires
	for k, v := range resumableStartHeaders {
		opts.Headers = append(opts.Headers, k+":"+v)
	}
	if s.emulated {
		opts.QueryParameters = url.Values{"name": {object}}
	}
	return s.bucket.SignedURL(object, &opts)
}

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
	expires := time.Now().Add(UploadURLTTL)
	att := &store.Attachment{
		ID: store.NewAttachmentID(now), OrgID: orgID, CaseID: caseID, State: store.AttachmentPending,
		Source: store.SourceSession, Filename: sanitizeFilename(in.Filename), DeclaredMimeType: cleanMimeType(in.MimeType),
		DeclaredSize: int64(in.SizeBytes),
		CreatorUID:   a.Identity.UID, CreatorEmail: a.Email(), CreatorName: a.DisplayName(), CreatorIsSupport: a.IsSupport(),
		CreateTime: now, UpdateTime: now, SessionExpireTime: expires.UTC(),
	}
	att.Object = store.AttachmentObject(orgID, caseID, att.ID)
	uri, err := h.signer.uploadURL(att.Object, expires)
	if err != nil {
		return apierror.Unavailable(fmt.Errorf("sign upload URL: %w", err))
	}
	if err := h.deps.Store.CreateAttachment(ctx, att); err != nil {
		return apierror.Describe(err, "attachment")
	}
	return httpapi.WriteJSON(w, http.StatusOK, UploadSession{
		Attachment: toWire(att), UploadURI: uri, UploadMethod: http.MethodPost,
		UploadHeaders: resumableStartHeaders, ExpireTime: wire.Timestamp(expires),
	})
}

func checkSessionRequest(in *UploadSessionRequest, limits attachpolicy.Limits) error {
	if strings.TrimSpace(in.Filename) == "" {
		return apierror.InvalidArgument("filename is required").WithFieldViolation("filename", "required")
	}
	return limits.CheckDeclaredSize(int64(in.SizeBytes))
}
