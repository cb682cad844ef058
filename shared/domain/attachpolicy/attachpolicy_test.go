package attachpolicy

import (
	"errors"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, head, served string
	}{
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", "image/png"},
		{"pdf", "%PDF-1.7\n", "application/pdf"},
		{"text", "hello world\n", "text/plain; charset=utf-8"},
		{"html", "<html><script>alert(1)</script>", Opaque},
		{"html after spaces", "  \n<!DOCTYPE html><p>x", Opaque},
		{"xml", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`, Opaque},
		{"binary", "\x00\x01\x02\x03", Opaque},
		{"zip", "PK\x03\x04rest", "application/zip"},
		{"gzip", "\x1f\x8b\x08", "application/x-gzip"},
		{"empty", "", "text/plain; charset=utf-8"},
	}
	for _, tc := range tests {
		sniffed, served := Sniff([]byte(tc.head))
		if served != tc.served || sniffed == "" {
			t.Errorf("%s: sniffed %q served %q, want served %q", tc.name, sniffed, served, tc.served)
		}
	}
}

func TestNewLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bytes int64
		per   int
		want  Limits
	}{
		{0, 0, Limits{DefaultMaxBytes, DefaultMaxPerCase}},
		{-1, -1, Limits{DefaultMaxBytes, DefaultMaxPerCase}},
		{100, 3, Limits{100, 3}},
		{100, 0, Limits{100, DefaultMaxPerCase}},
	}
	for _, tc := range tests {
		if got := NewLimits(tc.bytes, tc.per); got != tc.want {
			t.Errorf("NewLimits(%d, %d) = %+v, want %+v", tc.bytes, tc.per, got, tc.want)
		}
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	l := Limits{MaxBytes: 100, MaxPerCase: 3}
	tests := []struct {
		name    string
		got     *Rejection
		reason  string
		message string
	}{
		{"at the size limit", l.CheckSize(100), "", ""},
		{"one byte", l.CheckSize(1), "", ""},
		{"over the size limit", l.CheckSize(101), TooLarge, "The file is 101 bytes; your support package allows at most 100 bytes per attachment."},
		{"empty", l.CheckSize(0), Empty, "The file is empty."},
		{"room left", l.CheckQuota(2), "", ""},
		{"case full", l.CheckQuota(3), QuotaExceeded, "This case already has 3 attachments, the most your support package allows."},
	}
	for _, tc := range tests {
		switch {
		case tc.reason == "" && tc.got != nil:
			t.Errorf("%s: rejected %+v", tc.name, *tc.got)
		case tc.reason != "" && (tc.got == nil || tc.got.Reason != tc.reason || tc.got.Message != tc.message):
			t.Errorf("%s: got %+v, want %s %q", tc.name, tc.got, tc.reason, tc.message)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	l := Limits{MaxBytes: 1024, MaxPerCase: 2}
	tests := []struct {
		name   string
		err    error
		status string
		text   string
	}{
		{"declared ok", l.CheckDeclaredSize(1024), "", ""},
		{"declared zero", l.CheckDeclaredSize(0), "INVALID_ARGUMENT", "sizeBytes"},
		{"declared too large", l.CheckDeclaredSize(2048), "OUT_OF_RANGE", "at most 1024 bytes"},
		{"quota", l.QuotaError(), "RESOURCE_EXHAUSTED", ReasonQuotaExceeded},
		{"rejected for quota", l.RejectionError(QuotaExceeded, "x"), "RESOURCE_EXHAUSTED", ReasonQuotaExceeded},
		{"rejected for size", l.RejectionError(TooLarge, "x"), "", "1024"},
		{"rejected as empty", l.RejectionError(Empty, "The file is empty."), "INVALID_ARGUMENT", "The file is empty."},
	}
	for _, tc := range tests {
		if tc.text == "" {
			if tc.err != nil {
				t.Errorf("%s: %v", tc.name, tc.err)
			}
			continue
		}
		var e *apierror.Error
		if !errors.As(tc.err, &e) {
			t.Fatalf("%s: %v is not an apierror", tc.name, tc.err)
		}
		body := e.Error()
		for _, d := range e.Details {
			if ei, ok := d.(apierror.ErrorInfo); ok {
				body += " " + ei.Reason
			}
		}
		if tc.status != "" && e.Status != tc.status || !strings.Contains(body, tc.text) {
			t.Errorf("%s: %s %q, want %s containing %q", tc.name, e.Status, body, tc.status, tc.text)
		}
	}
}
