package store

import (
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

func TestAttachmentIDsAndObjects(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	a, b := NewAttachmentID(now), NewAttachmentID(now.Add(time.Nanosecond))
	if !wire.ValidAttachmentID(a) || !wire.ValidAttachmentID(b) || a >= b {
		t.Fatalf("ids %q %q: want valid and ordered by time", a, b)
	}
	obj := AttachmentObject("acme", "123456789", a)
	if obj != "orgs/acme/cases/123456789/attachments/"+a {
		t.Fatalf("object %q", obj)
	}
	org, cs, id, ok := ParseAttachmentObject(obj)
	if !ok || org != "acme" || cs != "123456789" || id != a {
		t.Fatalf("parse %q: %q %q %q %v", obj, org, cs, id, ok)
	}
	for _, bad := range []string{"", "orgs/acme/cases/123456789/attachments", "orgs//cases/123456789/attachments/" + a,
		"orgs/acme/cases/12/attachments/" + a, "orgs/acme/cases/123456789/attachments/report.pdf",
		"orgs/acme/cases/123456789/attachments/" + a + "/x", "x/acme/cases/123456789/attachments/" + a} {
		if _, _, _, ok := ParseAttachmentObject(bad); ok {
			t.Errorf("ParseAttachmentObject(%q) accepted", bad)
		}
	}
}

func TestCheckAttachment(t *testing.T) {
	t.Parallel()
	pkg := &Package{MaxAttachmentBytes: 100, MaxAttachmentsPerCase: 3}
	now := time.Now()
	if c := CheckAttachment(1, 100, []byte("x"), pkg, now); c.Reject != "" || c.MaxPerCase != 3 {
		t.Errorf("at the limit: %+v", c)
	}
	if c := CheckAttachment(1, 101, []byte("x"), pkg, now); c.Reject != attachpolicy.TooLarge || !strings.Contains(c.Message, "100 bytes") {
		t.Errorf("over the limit: %+v", c)
	}
	if c := CheckAttachment(1, 0, nil, pkg, now); c.Reject != attachpolicy.Empty {
		t.Errorf("empty: %+v", c)
	}
	if c := CheckAttachment(1, attachpolicy.DefaultMaxBytes+1, nil, nil, now); c.Reject != attachpolicy.TooLarge || c.MaxPerCase != attachpolicy.DefaultMaxPerCase {
		t.Errorf("no package: %+v", c)
	}
}

func TestApplyCheck(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ok := func(gen int64) AttachmentCheck {
		return AttachmentCheck{Generation: gen, SizeBytes: 10, MimeType: "image/png", MaxPerCase: 2, Now: now}
	}
	bad := func(gen int64) AttachmentCheck {
		c := ok(gen)
		c.Reject, c.Message = attachpolicy.TooLarge, "too big"
		return c
	}
	tests := []struct {
		name      string
		att       Attachment
		ready     int
		check     AttachmentCheck
		outcome   FinalizeOutcome
		state     string
		reason    string
		wantReady int
		gen       int64
		event     bool
	}{
		{"pending becomes ready", Attachment{State: AttachmentPending}, 0, ok(5), OutcomeApplied, AttachmentReady, "", 1, 5, true},
		{"pending rejected", Attachment{State: AttachmentPending}, 0, bad(5), OutcomeApplied, AttachmentRejected, attachpolicy.TooLarge, 0, 5, false},
		{"quota full", Attachment{State: AttachmentPending}, 2, ok(5), OutcomeApplied, AttachmentRejected, attachpolicy.QuotaExceeded, 2, 5, false},
		{"duplicate of ready", Attachment{State: AttachmentReady, Generation: 5, EventID: "e"}, 1, ok(5), OutcomeDuplicate, AttachmentReady, "", 1, 5, true},
		{"duplicate of rejected", Attachment{State: AttachmentRejected, Generation: 5, RejectReason: attachpolicy.TooLarge}, 0, ok(5), OutcomeDuplicate, AttachmentRejected, attachpolicy.TooLarge, 0, 5, false},
		{"stale generation", Attachment{State: AttachmentReady, Generation: 7, EventID: "e"}, 1, bad(5), OutcomeStale, AttachmentReady, "", 1, 7, true},
		// The first decided generation wins: a later one changes nothing.
		{"later good generation of ready refused", Attachment{State: AttachmentReady, Generation: 5, EventID: "e"}, 2, ok(6), OutcomeLate, AttachmentReady, "", 2, 5, true},
		{"later bad generation of ready refused", Attachment{State: AttachmentReady, Generation: 5, EventID: "e"}, 2, bad(6), OutcomeLate, AttachmentReady, "", 2, 5, true},
		{"rejected stays rejected", Attachment{State: AttachmentRejected, Generation: 5, RejectReason: attachpolicy.TooLarge}, 0, ok(6), OutcomeLate, AttachmentRejected, attachpolicy.TooLarge, 0, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, n := tc.att, attachmentCounter{Ready: tc.ready}
			outcome, _ := applyCheck(&a, &n, tc.check, "new-event")
			if outcome != tc.outcome || a.State != tc.state || a.RejectReason != tc.reason || n.Ready != tc.wantReady || a.Generation != tc.gen {
				t.Fatalf("got %s %s %q ready=%d gen=%d; want %s %s %q ready=%d gen=%d",
					outcome, a.State, a.RejectReason, n.Ready, a.Generation, tc.outcome, tc.state, tc.reason, tc.wantReady, tc.gen)
			}
			if hasEvent := a.State == AttachmentReady && a.EventID != ""; hasEvent != tc.event {
				t.Fatalf("ready with an event id: %v, want %v", hasEvent, tc.event)
			}
			if tc.att.EventID != "" && a.EventID != tc.att.EventID {
				t.Fatalf("event id changed from %q to %q", tc.att.EventID, a.EventID)
			}
		})
	}
}
