package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// Attachment collections:
//
//	cases/{caseId}/attachments/{attachmentId}       Attachment
//	cases/{caseId}/attachmentCounters/ready         attachmentCounter (READY attachments of the case)
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
	// RejectReason (an attachpolicy reason) and RejectMessage explain REJECTED.
	RejectReason  string `firestore:"rejectReason,omitempty"`
	RejectMessage string `firestore:"rejectMessage,omitempty"`
	Source        string `firestore:"source"`

	// Filename is the sanitised name the uploader gave (metadata only).
	Filename string `firestore:"filename"`
	// DeclaredMimeType is what the uploader said the file is (never served).
	DeclaredMimeType string `firestore:"declaredMimeType,omitempty"`
	// SniffedType and MimeType (what downloads are served as) come from
	// attachpolicy.Sniff of the first bytes.
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

// attachmentCounter counts a case's READY attachments (the per-case quota).
type attachmentCounter struct {
	Ready int `firestore:"ready"`
}

// AttachmentFieldState is the attachment field queries filter on.
const AttachmentFieldState = "state"

// AttachmentLimits returns a package's attachment limits (p may be nil:
// then the defaults).
func AttachmentLimits(p *Package) attachpolicy.Limits {
	if p == nil {
		return attachpolicy.NewLimits(0, 0)
	}
	return attachpolicy.NewLimits(p.MaxAttachmentBytes, p.MaxAttachmentsPerCase)
}

// NewAttachmentID returns a 24-hex-digit id: 16 digits of the creation time
// in nanoseconds (so ids sort in upload order) and 8 random digits.
func NewAttachmentID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%016x%s", now.UnixNano(), hex.EncodeToString(b[:]))
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
		p[1] == "" || !wire.ValidCaseID(p[3]) || !wire.ValidAttachmentID(p[5]) {
		return "", "", "", false
	}
	return p[1], p[3], p[5], true
}

// AttachmentCheck is the outcome of validating one generation of an
// attachment's object (CheckAttachment), applied by FinalizeAttachment.
type AttachmentCheck struct {
	Generation  int64
	SizeBytes   int64
	SniffedType string
	MimeType    string
	// Reject is "" when the object is acceptable; else an attachpolicy
	// reason, and Message the uploader's explanation.
	Reject, Message string
	// MaxPerCase is the case's quota of READY attachments.
	MaxPerCase int
	Now        time.Time
	// OnReady, when set, is applied to the case in the same transaction
	// when the attachment first becomes READY (the case clocks: a
	// customer's attachment stops the waiting-on-customer clock); true
	// means it changed the case, which is then written.
	OnReady func(*Case) bool
}

// CheckAttachment applies the attachment policy to an uploaded object: its
// size against the package's limit and its type by sniffing head (its
// first attachpolicy.SniffLen bytes). The per-case quota is checked when
// the result is applied, inside the transaction (FinalizeAttachment).
func CheckAttachment(gen, size int64, head []byte, pkg *Package, now time.Time) AttachmentCheck {
	l := AttachmentLimits(pkg)
	c := AttachmentCheck{Generation: gen, SizeBytes: size, MaxPerCase: l.MaxPerCase, Now: now}
	c.SniffedType, c.MimeType = attachpolicy.Sniff(head)
	if r := l.CheckSize(size); r != nil {
		c.Reject, c.Message = r.Reason, r.Message
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
	// OutcomeLate: a later generation of an attachment whose first one was
	// already decided (READY or REJECTED). The first decided generation
	// wins — a READY attachment's bytes never change — so the later one is
	// refused (the caller deletes it).
	OutcomeLate FinalizeOutcome = "LATE"
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
func applyCheck(a *Attachment, n *attachmentCounter, c AttachmentCheck, newEventID string) (FinalizeOutcome, bool) {
	switch {
	case c.Generation < a.Generation:
		return OutcomeStale, false
	case c.Generation == a.Generation && a.State != AttachmentPending:
		return OutcomeDuplicate, false
	case a.State != AttachmentPending:
		return OutcomeLate, false
	}
	wasReady := a.State == AttachmentReady
	reject, msg := c.Reject, c.Message
	if reject == "" && !wasReady {
		if r := (attachpolicy.Limits{MaxPerCase: c.MaxPerCase}).CheckQuota(n.Ready); r != nil {
			reject, msg = r.Reason, r.Message
		}
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
