package attachments

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Upload limits.
const (
	// MaxRequestBytes bounds a media.upload request body (metadata, file
	// and multipart framing); larger files go through an upload session.
	MaxRequestBytes = 32 << 20
	// maxPreambleBytes bounds what a multipart body may hold before the
	// file's bytes begin (boundaries, part headers, the JSON part), so a
	// huge part header cannot make the parser buffer megabytes.
	maxPreambleBytes = 64 << 10
)

// Upload types of media.upload (the uploadType query parameter).
const (
	uploadMultipart = "multipart"
	uploadMedia     = "media"
	uploadResumable = "resumable"
)

// upload is a parsed media.upload request: the metadata, and the file's
// bytes as a reader that streams from the request body.
type upload struct {
	filename     string // as sent (not yet sanitised)
	declaredType string // Content-Type the client gave the file
	media        io.Reader
	// done checks what follows the file (nothing but the closing boundary
	// of a multipart body); call it after reading media to EOF.
	done func() error
}

// errPreambleTooLarge is returned when the multipart metadata is too big.
var errPreambleTooLarge = errors.New("multipart metadata too large")

// budgetReader fails once more than n bytes are read, until lifted.
type budgetReader struct {
	r      io.Reader
	n      int64
	lifted bool
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.lifted {
		return b.r.Read(p)
	}
	if b.n <= 0 {
		return 0, errPreambleTooLarge
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	return n, err
}

// uploadTypeOf returns the request's upload type; Google's simple upload
// (no uploadType, as in its curl example) is "media". Resumable uploads
// are refused as Google's Cloud Support API refuses them: large files go
// through …/attachments:uploadSession.
func uploadTypeOf(r *http.Request) (string, error) {
	switch t := r.URL.Query().Get("uploadType"); t {
	case "", uploadMedia:
		return uploadMedia, nil
	case uploadMultipart:
		return uploadMultipart, nil
	case uploadResumable:
		return "", apierror.InvalidArgument("uploadType=resumable is not supported: send files up to %d bytes with "+
			"uploadType=multipart or media (Go's discovery client: .Media(r, googleapi.ChunkSize(0)) for files over 16 MiB), "+
			"and larger files through POST …/attachments:uploadSession", MaxRequestBytes).WithFieldViolation("uploadType", "unsupported")
	default:
		return "", apierror.InvalidArgument("unknown uploadType %q", t).WithFieldViolation("uploadType", "unknown")
	}
}

// parseUpload reads a media.upload request up to the start of the file's
// bytes. Multipart (uploadType=multipart): a JSON part
// {"attachment":{"filename":…}} then the file, nothing after it. Simple
// (uploadType=media): the body is the file, ?attachment.filename= names it.
func parseUpload(r *http.Request, uploadType string) (*upload, error) {
	if uploadType == uploadMedia {
		return &upload{
			filename:     r.URL.Query().Get("attachment.filename"),
			declaredType: r.Header.Get("Content-Type"),
			media:        r.Body,
			done:         func() error { return nil },
		}, nil
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, apierror.InvalidArgument("uploadType=multipart needs a multipart/related body with a boundary")
	}
	budget := &budgetReader{r: r.Body, n: maxPreambleBytes}
	mr := multipart.NewReader(budget, params["boundary"])
	meta, err := mr.NextPart()
	if err != nil {
		return nil, partError(err, "the metadata part")
	}
	if ct := meta.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, apierror.InvalidArgument("the first part of a multipart upload must be JSON, not %q", ct)
	}
	var req CreateAttachmentRequest
	if err := decodeMetadata(meta, &req); err != nil {
		return nil, err
	}
	media, err := mr.NextPart()
	if err != nil {
		return nil, partError(err, "the file part")
	}
	budget.lifted = true
	u := &upload{declaredType: media.Header.Get("Content-Type"), media: media}
	if req.Attachment != nil {
		u.filename = req.Attachment.Filename
	}
	u.done = func() error {
		budget.lifted = false
		budget.n = maxPreambleBytes
		if _, err := mr.NextPart(); !errors.Is(err, io.EOF) {
			if err != nil {
				return partError(err, "the end of the body")
			}
			return apierror.InvalidArgument("a multipart upload holds exactly two parts: metadata and the file")
		}
		return nil
	}
	return u, nil
}

// decodeMetadata decodes the JSON part strictly (unknown fields refused).
func decodeMetadata(part io.Reader, dst *CreateAttachmentRequest) error {
	b, err := io.ReadAll(part)
	if err != nil {
		return partError(err, "the metadata part")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var ae *apierror.Error
		if errors.As(err, &ae) {
			return ae
		}
		return apierror.InvalidArgument("the metadata part is not a CreateAttachmentRequest: %v", err)
	}
	if dec.More() {
		return apierror.InvalidArgument("the metadata part holds more than one JSON value")
	}
	return nil
}

// partError maps errors met while reading a multipart body.
func partError(err error, what string) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return apierror.TooLarge(tooBig.Limit)
	case errors.Is(err, errPreambleTooLarge):
		return apierror.InvalidArgument("%s of the multipart body is too large (at most %d bytes before the file)", what, maxPreambleBytes)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return apierror.InvalidArgument("the multipart body ended before %s", what)
	}
	return apierror.InvalidArgument("could not read %s: %v", what, err)
}
