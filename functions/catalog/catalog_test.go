package catalog

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

func fields(err error) string {
	b, _ := json.Marshal(apierror.From(err).Details)
	return string(b)
}

func TestApplyPackage(t *testing.T) {
	t.Parallel()
	in := Package{DisplayName: " Gold ", SupportCenterAccess: true, PhoneSupport: true, SupportHours: "24x7",
		ServiceLevels:    []ServiceLevel{{Priority: "P0", FirstResponseMinutes: 60, NextResponseMinutes: 120}},
		AttachmentLimits: AttachmentLimits{MaxBytes: 1 << 30, MaxPerCase: 100},
		AutoClose:        AutoClose{ReminderDays: 3, CloseDays: 7},
		RateLimits:       map[string]RateLimit{"caseCreate": {PerPerson: 10, WindowSeconds: 3600}}}
	p := &store.Package{ID: "GOLD"}
	if err := applyPackage(p, in, packageFields); err != nil {
		t.Fatal(err)
	}
	if p.DisplayName != "Gold" || p.Targets["P0"].NextResponseMinutes != 120 || p.MaxAttachmentBytes != 1<<30 ||
		p.AutoClose.CloseDays != 7 || p.RateLimits["caseCreate"].PerPerson != 10 {
		t.Fatalf("applied %+v", p)
	}
	// What goes in comes out.
	back := packageView(p)
	if back.Name != "packages/GOLD" || !back.Active || len(back.ServiceLevels) != 1 || back.RateLimits["caseCreate"].WindowSeconds != 3600 {
		t.Fatalf("view %+v", back)
	}
	// Only the masked fields change.
	if err := applyPackage(p, Package{Escalation: true}, []string{"escalation"}); err != nil || !p.Escalation || p.DisplayName != "Gold" {
		t.Fatalf("masked: %+v %v", p, err)
	}
	bad := []struct {
		field string
		in    Package
	}{
		{"displayName", Package{}},
		{"serviceLevels[0].priority", Package{DisplayName: "x", ServiceLevels: []ServiceLevel{{Priority: "P9"}}}},
		{"serviceLevels[1].priority", Package{DisplayName: "x", ServiceLevels: []ServiceLevel{
			{Priority: "P1", FirstResponseMinutes: 1, NextResponseMinutes: 1}, {Priority: "P1", FirstResponseMinutes: 1, NextResponseMinutes: 1}}}},
		{"attachmentLimits.maxPerCase", Package{DisplayName: "x", AttachmentLimits: AttachmentLimits{MaxBytes: 10, MaxPerCase: -1}}},
		{"autoClose.closeDays", Package{DisplayName: "x", AutoClose: AutoClose{ReminderDays: 5, CloseDays: 3}}},
		{"rateLimits.nope", Package{DisplayName: "x", RateLimits: map[string]RateLimit{"nope": {}}}},
		{"rateLimits.upload.windowSeconds", Package{DisplayName: "x", RateLimits: map[string]RateLimit{"upload": {WindowSeconds: 5}}}},
	}
	for _, tc := range bad {
		err := applyPackage(&store.Package{}, tc.in, packageFields)
		if err == nil || !strings.Contains(fields(err), `"`+tc.field+`"`) {
			t.Errorf("%+v: %v %s, want a violation of %s", tc.in, err, fields(err), tc.field)
		}
	}
}

func TestApplyProduct(t *testing.T) {
	t.Parallel()
	p := &store.Product{ID: "db"}
	err := applyProduct(p, Product{DisplayName: "CloudDB", SupportHours: "Mon-Fri 08:00-20:00 Asia/Seoul",
		PhoneNumbers: []PhoneNumber{{Region: "KR", Number: "+82 2-555-0100"}, {Region: "US", Number: "+1 650-555-0100"}}}, productFields)
	if err != nil || p.PhoneNumbers["US"] != "+1 650-555-0100" {
		t.Fatalf("%+v %v", p, err)
	}
	if v := productView(p); len(v.PhoneNumbers) != 2 || v.PhoneNumbers[0].Region != "KR" {
		t.Fatalf("view %+v", v)
	}
	for field, in := range map[string]Product{
		"displayName":            {DisplayName: "A > B", SupportHours: "24x7"},
		"supportHours":           {DisplayName: "A", SupportHours: "Mon-Fri 08:00-20:00 Mars/Olympus"},
		"phoneNumbers[0].number": {DisplayName: "A", SupportHours: "24x7", PhoneNumbers: []PhoneNumber{{Region: "KR", Number: "call us"}}},
		"phoneNumbers[1].region": {DisplayName: "A", SupportHours: "24x7", PhoneNumbers: []PhoneNumber{{Region: "KR", Number: "+82 1"}, {Region: "KR", Number: "+82 2"}}},
	} {
		if err := applyProduct(&store.Product{}, in, productFields); err == nil || !strings.Contains(fields(err), `"`+field+`"`) {
			t.Errorf("%+v: %v %s, want a violation of %s", in, err, fields(err), field)
		}
	}
}

func TestClassificationDisplayName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Connectivity": "CloudDB > Connectivity", "CloudDB > Backups": "CloudDB > Backups",
		"Other > X": "", "CloudDB > ": "", "": "", "CloudDB > A > B": ""} {
		var v violations
		got := classificationDisplayName(&v, "CloudDB", in)
		if want == "" {
			if v.result() == nil {
				t.Errorf("%q accepted as %q", in, got)
			}
			continue
		}
		if v.result() != nil || got != want {
			t.Errorf("%q = %q (%v), want %q", in, got, v.result(), want)
		}
	}
}

// FuzzPackageBody: any package body decodes and validates without
// panicking; an accepted one survives the round trip through the store
// value and back.
func FuzzPackageBody(f *testing.F) {
	f.Add(`{"displayName":"Gold","serviceLevels":[{"priority":"P0","firstResponseMinutes":60,"nextResponseMinutes":120}],"attachmentLimits":{"maxBytes":"1024","maxPerCase":3}}`)
	f.Add(`{"displayName":"x","autoClose":{"reminderDays":3,"closeDays":7},"rateLimits":{"upload":{"perPerson":5}}}`)
	f.Add(`{"displayName":"","attachmentLimits":{"maxBytes":"-1"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in Package
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			return
		}
		p := &store.Package{ID: "P"}
		if err := applyPackage(p, in, packageFields); err != nil {
			if apierror.From(err).HTTPStatus != 400 {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		again := &store.Package{ID: "P"}
		if err := applyPackage(again, packageView(p), packageFields); err != nil {
			t.Fatalf("the view of an accepted package is refused: %v", err)
		}
		if !equalJSON(packageView(p), packageView(again)) {
			t.Fatalf("round trip changed %+v into %+v", packageView(p), packageView(again))
		}
	})
}

// FuzzProductBody: the same for products.
func FuzzProductBody(f *testing.F) {
	f.Add(`{"displayName":"CloudDB","supportHours":"24x7","phoneNumbers":[{"region":"KR","number":"+82 2-555-0100"}]}`)
	f.Add(`{"displayName":"A","supportHours":"Mon-Fri 08:00-20:00 KST"}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in Product
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			return
		}
		p := &store.Product{ID: "p"}
		if err := applyProduct(p, in, productFields); err != nil {
			if apierror.From(err).HTTPStatus != 400 {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		again := &store.Product{ID: "p"}
		if err := applyProduct(again, productView(p), productFields); err != nil {
			t.Fatalf("the view of an accepted product is refused: %v", err)
		}
	})
}
