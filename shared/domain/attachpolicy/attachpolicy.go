// Package attachpolicy decides what an attachment may be: how large, how
// many per case, what type it is (by sniffing its first bytes, never by
// its name or the uploader's word) and what type downloads are served as,
// and, when a file is refused, the machine reason and the message shown to
// the uploader.
//
// The upload paths (media upload through the attachments function, and
// signed-URL sessions finalized by the finalize-upload function) apply the
// same checks from here; the store records the outcome.
package attachpolicy

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// SniffLen is how many leading bytes content sniffing reads (what
// http.DetectContentType looks at).
const SniffLen = 512

// servable are the sniffed types downloads are served as; every other type
// (HTML, XML, SVG, scripts, anything unknown) is never rendered: it is
// served as application/octet-stream, so a browser does not render an
// attachment even if someone opens the download URL directly.
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

// Opaque is the type every attachment that is not a known safe type is
// served as.
const Opaque = "application/octet-stream"

// Sniff returns http.DetectContentType of head (the file's first SniffLen
// bytes) and the type downloads are served as.
func Sniff(head []byte) (sniffed, served string) {
	sniffed = http.DetectContentType(head)
	base, _, _ := strings.Cut(sniffed, ";")
	base = strings.TrimSpace(base)
	switch {
	case base == "text/plain":
		return sniffed, "text/plain; charset=utf-8"
	case servable[base]:
		return sniffed, base
	}
	return sniffed, Opaque
}

// Reasons an attachment is rejected (stored with it; clients translate).
const (
	TooLarge      = "TOO_LARGE"      // over the package's MaxBytes
	Empty         = "EMPTY"          // zero bytes
	QuotaExceeded = "QUOTA_EXCEEDED" // the case already has MaxPerCase attachments
	// UploaderNoAccess: the uploader may no longer add files to the case
	// (removed, disabled, or a reseller whose grant was revoked) by the
	// time the upload completed.
	UploaderNoAccess = "UPLOADER_NO_ACCESS"
)

// NoAccess is the rejection of a file whose uploader lost the right to add
// files to the case while uploading.
func NoAccess() *Rejection {
	return &Rejection{UploaderNoAccess, "You can no longer add files to this case, so the file was not added."}
}

// ReasonQuotaExceeded is the ErrorInfo reason of an upload refused because
// the case is full.
const ReasonQuotaExceeded = "ATTACHMENT_QUOTA_EXCEEDED"

// Fallback limits for an organisation without a package, or a package
// without attachment limits (should not happen for customers; the vendor's
// and resellers' organisations have no cases of their own).
const (
	DefaultMaxBytes   = 32 << 20
	DefaultMaxPerCase = 100
)

// Limits are a support package's attachment limits.
type Limits struct {
	MaxBytes   int64 // per file
	MaxPerCase int   // READY attachments per case
}

// NewLimits returns a package's limits, with the defaults for unset (zero
// or negative) values.
func NewLimits(maxBytes int64, maxPerCase int) Limits {
	l := Limits{MaxBytes: DefaultMaxBytes, MaxPerCase: DefaultMaxPerCase}
	if maxBytes > 0 {
		l.MaxBytes = maxBytes
	}
	if maxPerCase > 0 {
		l.MaxPerCase = maxPerCase
	}
	return l
}

// Rejection is why a stored file is refused: Reason for machines, Message
// for the uploader.
type Rejection struct {
	Reason  string
	Message string
}

// CheckSize checks an uploaded file's size; nil means acceptable.
func (l Limits) CheckSize(size int64) *Rejection {
	switch {
	case size <= 0:
		return &Rejection{Empty, "The file is empty."}
	case size > l.MaxBytes:
		return &Rejection{TooLarge, fmt.Sprintf("The file is %d bytes; your support package allows at most %d bytes per attachment.", size, l.MaxBytes)}
	}
	return nil
}

// CheckQuota checks that one more attachment fits a case that has ready
// READY ones; nil means it fits.
func (l Limits) CheckQuota(ready int) *Rejection {
	if ready >= l.MaxPerCase {
		return &Rejection{QuotaExceeded, fmt.Sprintf("This case already has %d attachments, the most your support package allows.", ready)}
	}
	return nil
}

// QuotaError is the error a request gets when the case is full:
// RESOURCE_EXHAUSTED with the limit.
func (l Limits) QuotaError() error {
	return apierror.ResourceExhausted("this case already has %d attachments, the most your support package allows", l.MaxPerCase).
		WithReason(ReasonQuotaExceeded, map[string]string{"limit": fmt.Sprint(l.MaxPerCase)})
}

// CheckDeclaredSize checks the size a client announces before uploading
// (an upload session): positive and within MaxBytes.
func (l Limits) CheckDeclaredSize(size int64) error {
	switch {
	case size <= 0:
		return apierror.InvalidArgument("sizeBytes must be the file's size in bytes").WithFieldViolation("sizeBytes", "must be positive")
	case size > l.MaxBytes:
		return apierror.OutOfRange("the file is %d bytes; your support package allows at most %d bytes per attachment", size, l.MaxBytes).
			WithFieldViolation("sizeBytes", "over the package's limit")
	}
	return nil
}

// RejectionError is the error a synchronous upload gets when its file was
// rejected with reason and message.
func (l Limits) RejectionError(reason, message string) error {
	switch reason {
	case QuotaExceeded:
		return l.QuotaError()
	case TooLarge:
		return apierror.TooLarge(l.MaxBytes)
	}
	return apierror.InvalidArgument("%s", message)
}
