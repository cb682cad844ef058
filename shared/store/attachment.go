package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Attachment collections:
//
//	cases/{caseId}/attachments/{attachmentId}       Attachment
//	cases/{caseId}/attachmentCounters/ready         AttachmentCounter (READY attachments of the case)
//
// The bytes live in Cloud Storage under AttachmentObject(org, case, id),
// never under the uploader's file name.
const (
	AttachmentsCollection        = "attachments"
	AttachmentCountersCollection = "attachmentCounters"
	attachmentCounterDoc         = "ready"
)

// Attachment states. Only READY attachments are listed and downloadable; the
// uploader also sees its PENDING and REJECTED ones (with the reason).
const (
	AttachmentPending  = "PENDING"  // created; the object is not validated yet
	AttachmentReady    = "READY"    // validated: listed and downloadable
	AttachmentRejected = "REJECTED" // validation failed; RejectReason says why
)

// Reasons an attachment is rejected (machine readable; the UI translates).
const (
	RejectTooLarge      = "TOO_LARGE"      // over the package's MaxAttachmentBytes
	RejectEmpty         = "EMPTY"          // zero bytes
	RejectQuotaExceeded = "QUOTA_EXCEEDED" // the case already has MaxAttachmentsPerCase attachments
)

// Attachment sources.
const (
	SourceMedia   = "MEDIA"   // uploaded through the function (media.upload, ≤ 32 MB)
	SourceSession = "SESSION" // uploaded straight to Cloud Storage with a signed URL
)

// Attachment is a file attached to a case.
type Attachment struct {
	// ID is random with a time prefix (see NewAttachmentID), so ordering by
	// document id is upload order; also the document id.
	ID     string `firestore:"id"`
	OrgID  string `firestore:"orgId"`
	CaseID string `firestore:"caseId"`
	State  string `firestore:"state"`
	// RejectReason (Reject* constants) and RejectMessage explain REJECTED.
	RejectReason  string `firestore:"rejectReason,omitempty"`
	RejectMessage string `firestore:"rejectMessage,omitempty"`
	Source        string `firestore:"source"`

	// Filename is the sanitised name the uploader gave (metadata only).
	Filename string `firestore:"filename"`
	// DeclaredMimeType is what the uploader said the file is (never served).
	DeclaredMimeType string `firestore:"declaredMimeType,omitempty"`
	// SniffedType is http.DetectContentType of the first 512 bytes;
	// MimeType is what downloads are served as (ServedMimeType).
	SniffedType string `firestore:"sniffedType,omitempty"`
	MimeType    string `firestore:"mimeType,omitempty"`
	SizeBytes   int64  `firestore:"sizeBytes"`
	// DeclaredSize is the size announced when an upload session was created.
	DeclaredSize int64 `firestore:"declaredSize,omitempty"`

	// Object is the Cloud Storage object name; Generation the generation
	// that was validated (downloads read exactly that generation).
	Object     string `firestore:"object"`
	Generation int64  `firestore:"generation"`

	CreatorUID       string `firestore:"creatorUid"`
	CreatorEmail     string `firestore:"creatorEmail"`
	CreatorName      string `firestore:"creatorName,omitempty"`
	CreatorIsSupport bool   `firestore:"creatorIsSupport"`

	CreateTime time.Time `firestore:"createTime"`
	UpdateTime time.Time `firestore:"updateTime"`
	// ReadyTime is when the attachment first became READY.
	ReadyTime time.Time `firestore:"readyTime,omitempty"`
	// SessionExpireTime is when the signed upload URL stops working.
	SessionExpireTime time.Time `firestore:"sessionExpireTime,omitempty"`

	// EventID is the id of the case.attachmentAdded event, fixed when the
	// attachment first becomes READY (the event goes to the outbox in the
	// same transaction).
	EventID string `firestore:"eventId,omitempty"`
}

// AttachmentCounter counts a case's READY attachments (the per-case quota).
type AttachmentCounter struct {
	Ready int `firestore:"ready"`
}

// Attachment fields used in queries.
const AttachmentFieldState = "state"

// Fallback limits for an organisation without a package (should not
// happen for customers; the vendor's and resellers' organisations have no
// cases of their own).
const (
	DefaultMaxAttachmentBytes    = 32 << 20
	DefaultMaxAttachmentsPerCase = 100
)

// AttachmentLimits returns a package's attachment limits, with the
// defaults for a missing package or unset fields.
func AttachmentLimits(p *Package) (maxBytes int64, maxPerCase int) {
	maxBytes, maxPerCase = DefaultMaxAttachmentBytes, DefaultMaxAttachmentsPerCase
	if p != nil && p.MaxAttachmentBytes > 0 {
		maxBytes = p.MaxAttachmentBytes
	}
	if p != nil && p.MaxAttachmentsPerCase > 0 {
		maxPerCase = p.MaxAttachmentsPerCase
	}
	return maxBytes, maxPerCase
}

// NewAttachmentID returns a 24-hex-digit id: 16 digits of the creation time
// in nanoseconds (so ids sort in upload order) and 8 random digits.
func NewAttachmentID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%016x%s", now.UnixNano(), hex.EncodeToString(b[:]))
}

// ValidAttachmentID reports whether id has the shape NewAttachmentID makes
// (anything else is a 404 without a read).
func ValidAttachmentID(id string) bool {
	if len(id) != 24 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// AttachmentObject is the Cloud Storage object name of an attachment:
// scoped by organisation and case, never the uploader's file name.
func AttachmentObject(orgID, caseID, id string) string {
	return "orgs/" + orgID + "/cases/" + caseID + "/attachments/" + id
}

// ParseAttachmentObject is the inverse of AttachmentObject.
func ParseAttachmentObject(name string) (orgID, caseID, id string, ok bool) {
	p := strings.Split(name, "/")
	if len(p) != 6 || p[0] != "orgs" || p[2] != "cases" || p[4] != "attachments" ||
		p[1] == "" || !ValidCaseID(p[3]) || !ValidAttachmentID(p[5]) {
		return "", "", "", false
	}
	return p[1], p[3], p[5], true
}

// SniffLen is how many leading bytes content sniffing reads.
const SniffLen = 512

// servable are the sniffed types downloads are served as; every other type
// (HTML, XML, SVG, scripts, anything unknown) is served as
// application/octet-stream, so a browser never renders an attachment even
// if someone opens the download URL directly.
var servable = map[string]bool{
	"text/plain":                   true,
	"image/png":                    true,
	"image/jpeg":                   true,
	"image/gif":                    true,
	"image/webp":                   true,
	"image/bmp":                    true,
	"image/x-icon":                 true,
	"application/pdf":              true,
	"application/zip":              true,
	"application/x-gzip":           true,
	"application/x-rar-compressed": true,
	"audio/mpeg":                   true,
	"audio/wave":                   true,
	"audio/ogg":                    true,
	"video/mp4":                    true,
	"video/webm":                   true,
	"video/avi":                    true,
	"font/woff":                    true,
	"font/woff2":                   true,
}

// SniffMimeType returns http.DetectContentType of head (the first bytes of
// the file) and the type downloads are served as.
func SniffMimeType(head []byte) (sniffed, served string) {
	sniffed = http.DetectContentType(head)
	base, _, _ := strings.Cut(sniffed, ";")
	base = strings.TrimSpace(base)
	switch {
	case base == "text/plain":
		return sniffed, "text/plain; charset=utf-8"
	case servable[base]:
		return sniffed, base
	}
	return sniffed, "application/octet-stream"
}

// AttachmentCheck is the outcome of validating one generation of an
// attachment's object (CheckAttachment), applied by FinalizeAttachment.
type AttachmentCheck struct {
	Generation  int64
	SizeBytes   int64
	SniffedType string
	MimeType    string
	// Reject is "" when the object is acceptable; else a Reject* reason.
	Reject, Message string
	// MaxPerCase is the case's quota of READY attachments.
	MaxPerCase int
	Now        time.Time
}

// CheckAttachment validates an uploaded object: its size against the
// package's limit and its type by sniffing head (its first SniffLen bytes).
// The per-case quota is checked when the result is applied, inside the
// transaction (FinalizeAttachment).
func CheckAttachment(gen, size int64, head []byte, pkg *Package, now time.Time) AttachmentCheck {
	maxBytes, maxPerCase := AttachmentLimits(pkg)
	c := AttachmentCheck{Generation: gen, SizeBytes: size, MaxPerCase: maxPerCase, Now: now}
	c.SniffedType, c.MimeType = SniffMimeType(head)
	switch {
	case size <= 0:
		c.Reject, c.Message = RejectEmpty, "The file is empty."
	case size > maxBytes:
		c.Reject, c.Message = RejectTooLarge, fmt.Sprintf("The file is %d bytes; your support package allows at most %d bytes per attachment.", size, maxBytes)
	}
	return c
}

// FinalizeOutcome says what applying an AttachmentCheck did.
type FinalizeOutcome string

// Outcomes.
const (
	OutcomeApplied   FinalizeOutcome = "APPLIED"   // the attachment changed state or generation
	OutcomeDuplicate FinalizeOutcome = "DUPLICATE" // this generation was already decided
	OutcomeStale     FinalizeOutcome = "STALE"     // a newer generation was already decided
)

// applyCheck decides what a check does to attachment a and the case's
// READY counter n. It changes a and n in place and reports the outcome and
// whether n changed. newEventID is used when a first becomes READY.
//
//   - An older generation than the one recorded is stale: nothing changes.
//   - The recorded generation, once decided, is a duplicate: nothing changes.
//   - Otherwise the check decides: READY (counted against the quota unless
//     the attachment was READY already, i.e. an overwrite re-validated) or
//     REJECTED (uncounted if it was READY).
func applyCheck(a *Attachment, n *AttachmentCounter, c AttachmentCheck, newEventID string) (FinalizeOutcome, bool) {
	switch {
	case c.Generation < a.Generation:
		return OutcomeStale, false
	case c.Generation == a.Generation && a.State != AttachmentPending:
		return OutcomeDuplicate, false
	}
	wasReady := a.State == AttachmentReady
	reject, msg := c.Reject, c.Message
	if reject == "" && !wasReady && n.Ready >= c.MaxPerCase {
		reject = RejectQuotaExceeded
		msg = fmt.Sprintf("This case already has %d attachments, the most your support package allows.", n.Ready)
	}
	counted := false
	a.Generation, a.SizeBytes, a.SniffedType, a.MimeType, a.UpdateTime = c.Generation, c.SizeBytes, c.SniffedType, c.MimeType, c.Now
	if reject != "" {
		a.State, a.RejectReason, a.RejectMessage = AttachmentRejected, reject, msg
		if wasReady {
			n.Ready--
			counted = true
		}
		return OutcomeApplied, counted
	}
	a.State, a.RejectReason, a.RejectMessage = AttachmentReady, "", ""
	if !wasReady {
		n.Ready++
		counted = true
	}
	if a.ReadyTime.IsZero() {
		a.ReadyTime = c.Now
	}
	if a.EventID == "" {
		a.EventID = newEventID
	}
	return OutcomeApplied, counted
}
