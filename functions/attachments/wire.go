package attachments

import (
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The JSON shapes of Cloud Support API v2 attachments (camelCase), plus our
// extension fields, which Google's clients ignore.

// Attachment is google.cloud.support.v2.Attachment plus the upload state.
type Attachment struct {
	Name       string      `json:"name,omitempty"`
	CreateTime string      `json:"createTime,omitempty"`
	Creator    *wire.Actor `json:"creator,omitempty"`
	Filename   string      `json:"filename,omitempty"`
	MimeType   string      `json:"mimeType,omitempty"`
	SizeBytes  wire.Int64  `json:"sizeBytes,omitempty"`

	// Extension, output only: PENDING, READY or REJECTED, and why a
	// rejected upload was refused (only its uploader ever sees those).
	State         string `json:"state,omitempty"`
	RejectReason  string `json:"rejectReason,omitempty"`
	RejectMessage string `json:"rejectMessage,omitempty"`
}

// CreateAttachmentRequest is the JSON part of a multipart media.upload.
type CreateAttachmentRequest struct {
	Attachment *Attachment `json:"attachment"`
}

// ListAttachmentsResponse is the body of attachments.list.
type ListAttachmentsResponse struct {
	Attachments   []Attachment `json:"attachments"`
	NextPageToken string       `json:"nextPageToken,omitempty"`
}

// UploadSessionRequest is the body of …/attachments:uploadSession
// (extension).
type UploadSessionRequest struct {
	Filename  string     `json:"filename"`
	SizeBytes wire.Int64 `json:"sizeBytes"`
	MimeType  string     `json:"mimeType,omitempty"`
}

// UploadSession tells a client how to send a large file straight to Cloud
// Storage: POST UploadURI with UploadHeaders and an empty body before
// ExpireTime, then PUT the bytes to the Location the answer carries (in one
// request, or in chunks with Content-Range). The attachment becomes READY
// or REJECTED once the object is finalized and validated; poll
// GET …/attachments/{id} to see which.
type UploadSession struct {
	Attachment    Attachment        `json:"attachment"`
	UploadURI     string            `json:"uploadUri"`
	UploadMethod  string            `json:"uploadMethod"`
	UploadHeaders map[string]string `json:"uploadHeaders"`
	ExpireTime    string            `json:"expireTime"`
}

// toWire renders an attachment; the reject fields only for its uploader.
func toWire(a *store.Attachment) Attachment {
	out := Attachment{
		Name:       wire.AttachmentName(a.OrgID, a.CaseID, a.ID),
		CreateTime: wire.Timestamp(a.CreateTime),
		Creator:    wire.NewActor(a.CreatorName, a.CreatorEmail, a.CreatorIsSupport),
		Filename:   a.Filename,
		MimeType:   a.MimeType,
		SizeBytes:  wire.Int64(a.SizeBytes),
		State:      a.State,
	}
	if a.State == store.AttachmentRejected {
		out.RejectReason, out.RejectMessage = a.RejectReason, a.RejectMessage
	}
	if a.State == store.AttachmentPending && a.SizeBytes == 0 {
		out.SizeBytes = wire.Int64(a.DeclaredSize)
	}
	return out
}
