package attachments

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The JSON shapes of Cloud Support API v2 attachments (camelCase), plus our
// extension fields, which Google's clients ignore.

// Attachment is google.cloud.support.v2.Attachment plus the upload state.
type Attachment struct {
	Name       string `json:"name,omitempty"`
	CreateTime string `json:"createTime,omitempty"`
	Creator    *Actor `json:"creator,omitempty"`
	Filename   string `json:"filename,omitempty"`
	MimeType   string `json:"mimeType,omitempty"`
	SizeBytes  Int64  `json:"sizeBytes,omitempty"`

	// Extension, output only: PENDING, READY or REJECTED, and why a
	// rejected upload was refused (only its uploader ever sees those).
	State         string `json:"state,omitempty"`
	RejectReason  string `json:"rejectReason,omitempty"`
	RejectMessage string `json:"rejectMessage,omitempty"`
}

// Actor is google.cloud.support.v2.Actor.
type Actor struct {
	DisplayName   string `json:"displayName,omitempty"`
	Email         string `json:"email,omitempty"`
	GoogleSupport bool   `json:"googleSupport,omitempty"`
	Username      string `json:"username,omitempty"`
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
	Filename  string `json:"filename"`
	SizeBytes Int64  `json:"sizeBytes"`
	MimeType  string `json:"mimeType,omitempty"`
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

// Int64 is an int64 sent as a JSON string (proto3 JSON); a number is
// accepted too.
type Int64 int64

// MarshalJSON writes the number as a string.
func (n Int64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(n), 10) + `"`), nil
}

// UnmarshalJSON accepts "123" or 123.
func (n *Int64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return apierror.InvalidArgument("sizeBytes: %s is not an integer", b)
		}
		b = []byte(s)
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return apierror.InvalidArgument("sizeBytes: %s is not an integer", b).WithFieldViolation("sizeBytes", "not an integer")
	}
	*n = Int64(v)
	return nil
}

// toWire renders an attachment; the reject fields only for its uploader.
func toWire(a *store.Attachment) Attachment {
	name := a.CreatorName
	if name == "" {
		name = a.CreatorEmail
	}
	out := Attachment{
		Name:       attachmentName(a.OrgID, a.CaseID, a.ID),
		CreateTime: ts(a.CreateTime),
		Creator:    &Actor{DisplayName: name, Email: a.CreatorEmail, Username: a.CreatorEmail, GoogleSupport: a.CreatorIsSupport},
		Filename:   a.Filename,
		MimeType:   a.MimeType,
		SizeBytes:  Int64(a.SizeBytes),
		State:      a.State,
	}
	if a.State == store.AttachmentRejected {
		out.RejectReason, out.RejectMessage = a.RejectReason, a.RejectMessage
	}
	if a.State == store.AttachmentPending && a.SizeBytes == 0 {
		out.SizeBytes = Int64(a.DeclaredSize)
	}
	return out
}

// ts renders a time as RFC 3339 in UTC ("" for the zero time).
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
