package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/attachpolicy"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Package is a support package as the API shows and takes it (name and
// active are output only: the id comes from packageId, the state from
// :deactivate / :activate).
type Package struct {
	Name                string         `json:"name,omitempty"` // packages/{id}
	DisplayName         string         `json:"displayName"`
	Active              bool           `json:"active"`
	SupportCenterAccess bool           `json:"supportCenterAccess"`
	PhoneSupport        bool           `json:"phoneSupport"`
	Escalation          bool           `json:"escalation"`
	SupportHours        string         `json:"supportHours"`
	ServiceLevels       []ServiceLevel `json:"serviceLevels"`
	// AttachmentLimits: per file and per case (both 0 or absent: the
	// defaults, 32 MiB and 100).
	AttachmentLimits AttachmentLimits `json:"attachmentLimits"`
	// AutoClose are the stale-case windows (0 days = the default).
	AutoClose AutoClose `json:"autoClose"`
	// RateLimits override the defaults per action (caseCreate,
	// commentCreate, upload, userAdd, accessRequest).
	RateLimits map[string]RateLimit `json:"rateLimits,omitempty"`
}

// ServiceLevel is the target for one priority.
type ServiceLevel struct {
	Priority             string `json:"priority"` // P0 … P4
	FirstResponseMinutes int    `json:"firstResponseMinutes"`
	NextResponseMinutes  int    `json:"nextResponseMinutes"`
}

// AttachmentLimits bound a case's attachments.
type AttachmentLimits struct {
	MaxBytes   wire.Int64 `json:"maxBytes"`
	MaxPerCase int        `json:"maxPerCase"`
}

// AutoClose are the waiting-on-customer windows.
type AutoClose struct {
	Off          bool `json:"off"`
	ReminderDays int  `json:"reminderDays"`
	CloseDays    int  `json:"closeDays"`
}

// RateLimit overrides one action's limit (0 = the default).
type RateLimit struct {
	PerPerson     int `json:"perPerson,omitempty"`
	PerOrg        int `json:"perOrg,omitempty"`
	WindowSeconds int `json:"windowSeconds,omitempty"`
}

// Product is a product as the API shows and takes it.
type Product struct {
	Name        string `json:"name,omitempty"` // products/{id}
	DisplayName string `json:"displayName"`
	Active      bool   `json:"active"`
	// SupportHours: "24x7" or e.g. "Mon-Fri 08:00-20:00 Asia/Seoul" (an
	// IANA zone or KST, JST, UTC, CET, ET, PT).
	SupportHours string        `json:"supportHours"`
	PhoneNumbers []PhoneNumber `json:"phoneNumbers"`
	// Classifications are output only here (see the classifications
	// routes), except on create.
	Classifications []Classification `json:"classifications,omitempty"`
}

// PhoneNumber is one regional support line.
type PhoneNumber struct {
	Region string `json:"region"` // e.g. KR, US
	Number string `json:"number"`
}

// Classification is a case classification, "Product > Component".
type Classification struct {
	Name        string `json:"name,omitempty"` // products/{product}/classifications/{id}
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName"`
	// Active: offered when filing a case (default true on create).
	Active *bool `json:"active,omitempty"`
}

// List responses.
type (
	// ListPackagesResponse is the response of packages.list.
	ListPackagesResponse struct {
		Packages []Package `json:"packages"`
	}
	// ListProductsResponse is the response of products.list.
	ListProductsResponse struct {
		Products []Product `json:"products"`
	}
	// ListClassificationsResponse is the response of classifications.list.
	ListClassificationsResponse struct {
		Classifications []Classification `json:"classifications"`
	}
)

// Resource names and ids.
var (
	packageIDRe        = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,62}$`)
	productIDRe        = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	classificationIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	regionRe           = regexp.MustCompile(`^[A-Za-z0-9 -]{1,20}$`)
	phoneRe            = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{2,29}$`)
)

func packageName(id string) string          { return "packages/" + id }
func productName(id string) string          { return "products/" + id }
func classificationName(p, c string) string { return productName(p) + "/classifications/" + c }

// Limits of what a package or product may say.
const (
	maxHoursChars    = 200
	maxMinutes       = 366 * 24 * 60
	maxAttachBytes   = 50 << 30
	maxPerCase       = 10000
	maxReminderDays  = 90
	maxCloseDays     = 365
	maxPhoneNumbers  = 50
	maxClassPerBatch = 200
)

// violations collects field violations of one request.
type violations struct{ err *apierror.Error }

func (v *violations) add(field, desc string) {
	if v.err == nil {
		v.err = apierror.InvalidArgument("%s: %s", field, desc)
	}
	v.err.WithFieldViolation(field, desc)
}

func (v *violations) result() error {
	if v.err == nil {
		return nil
	}
	return v.err
}

// Package fields (updateMask).
var packageFields = []string{"displayName", "supportCenterAccess", "phoneSupport", "escalation", "supportHours",
	"serviceLevels", "attachmentLimits", "autoClose", "rateLimits"}

// applyPackage validates the fields of in named by mask and sets them on p.
func applyPackage(p *store.Package, in Package, mask []string) error {
	var v violations
	for _, f := range mask {
		switch f {
		case "displayName":
			name, err := text.DisplayName("displayName", in.DisplayName)
			if err != nil || name == "" {
				v.add("displayName", "required: one line, at most 100 characters")
			}
			p.DisplayName = name
		case "supportCenterAccess":
			p.SupportCenterAccess = in.SupportCenterAccess
		case "phoneSupport":
			p.PhoneSupport = in.PhoneSupport
		case "escalation":
			p.Escalation = in.Escalation
		case "supportHours":
			h := strings.TrimSpace(in.SupportHours)
			if problem := text.Check(h, text.Line); problem != "" || len(h) > maxHoursChars {
				v.add("supportHours", fmt.Sprintf("one line of at most %d characters", maxHoursChars))
			}
			p.SupportHours = h
		case "serviceLevels":
			p.Targets = serviceLevels(&v, in.ServiceLevels)
		case "attachmentLimits":
			l := in.AttachmentLimits
			if l.MaxBytes == 0 && l.MaxPerCase == 0 { // not given: the defaults
				l = AttachmentLimits{MaxBytes: attachpolicy.DefaultMaxBytes, MaxPerCase: attachpolicy.DefaultMaxPerCase}
			}
			if l.MaxBytes < 1 || l.MaxBytes > maxAttachBytes {
				v.add("attachmentLimits.maxBytes", fmt.Sprintf("1 to %d", int64(maxAttachBytes)))
			}
			if l.MaxPerCase < 1 || l.MaxPerCase > maxPerCase {
				v.add("attachmentLimits.maxPerCase", fmt.Sprintf("1 to %d", maxPerCase))
			}
			p.MaxAttachmentBytes, p.MaxAttachmentsPerCase = int64(l.MaxBytes), l.MaxPerCase
		case "autoClose":
			a := in.AutoClose
			if a.ReminderDays < 0 || a.ReminderDays > maxReminderDays {
				v.add("autoClose.reminderDays", fmt.Sprintf("0 (the default) to %d", maxReminderDays))
			}
			if a.CloseDays < 0 || a.CloseDays > maxCloseDays {
				v.add("autoClose.closeDays", fmt.Sprintf("0 (the default) to %d", maxCloseDays))
			}
			if a.ReminderDays > 0 && a.CloseDays > 0 && a.CloseDays <= a.ReminderDays {
				v.add("autoClose.closeDays", "must come after the reminder")
			}
			p.AutoClose = store.AutoClose{Off: a.Off, ReminderDays: a.ReminderDays, CloseDays: a.CloseDays}
		case "rateLimits":
			p.RateLimits = rateLimits(&v, in.RateLimits)
		}
	}
	return v.result()
}

func serviceLevels(v *violations, in []ServiceLevel) map[string]store.Target {
	out := map[string]store.Target{}
	for i, sl := range in {
		f := fmt.Sprintf("serviceLevels[%d]", i)
		if !slices.Contains(casestate.Priorities, sl.Priority) {
			v.add(f+".priority", "P0, P1, P2, P3 or P4")
			continue
		}
		if _, dup := out[sl.Priority]; dup {
			v.add(f+".priority", sl.Priority+" given twice")
		}
		if sl.FirstResponseMinutes < 1 || sl.FirstResponseMinutes > maxMinutes {
			v.add(f+".firstResponseMinutes", fmt.Sprintf("1 to %d", maxMinutes))
		}
		if sl.NextResponseMinutes < 1 || sl.NextResponseMinutes > maxMinutes {
			v.add(f+".nextResponseMinutes", fmt.Sprintf("1 to %d", maxMinutes))
		}
		out[sl.Priority] = store.Target{FirstResponseMinutes: sl.FirstResponseMinutes, NextResponseMinutes: sl.NextResponseMinutes}
	}
	return out
}

func rateLimits(v *violations, in map[string]RateLimit) map[string]store.RateLimit {
	if len(in) == 0 {
		return nil
	}
	out := map[string]store.RateLimit{}
	for _, k := range slices.Sorted(maps.Keys(in)) {
		rl := in[k]
		f := "rateLimits." + k
		if !slices.Contains(ratelimit.Actions, ratelimit.Action(k)) {
			v.add(f, "not a limited action")
			continue
		}
		for name, n := range map[string]int{"perPerson": rl.PerPerson, "perOrg": rl.PerOrg} {
			if n < 0 || n > ratelimit.MaxCount {
				v.add(f+"."+name, fmt.Sprintf("0 (the default) to %d", ratelimit.MaxCount))
			}
		}
		minW, maxW := int(ratelimit.MinWindow.Seconds()), int(ratelimit.MaxWindow.Seconds())
		if rl.WindowSeconds != 0 && (rl.WindowSeconds < minW || rl.WindowSeconds > maxW) {
			v.add(f+".windowSeconds", fmt.Sprintf("0 (the default) or %d to %d", minW, maxW))
		}
		out[k] = store.RateLimit{PerPerson: rl.PerPerson, PerOrg: rl.PerOrg, WindowSeconds: rl.WindowSeconds}
	}
	return out
}

func packageView(p *store.Package) Package {
	out := Package{Name: packageName(p.ID), DisplayName: p.DisplayName, Active: !p.Inactive,
		SupportCenterAccess: p.SupportCenterAccess, PhoneSupport: p.PhoneSupport, Escalation: p.Escalation,
		SupportHours: p.SupportHours, ServiceLevels: []ServiceLevel{},
		AttachmentLimits: AttachmentLimits{MaxBytes: wire.Int64(p.MaxAttachmentBytes), MaxPerCase: p.MaxAttachmentsPerCase},
		AutoClose:        AutoClose{Off: p.AutoClose.Off, ReminderDays: p.AutoClose.ReminderDays, CloseDays: p.AutoClose.CloseDays}}
	for _, pr := range casestate.Priorities {
		if t, ok := p.Targets[pr]; ok {
			out.ServiceLevels = append(out.ServiceLevels, ServiceLevel{Priority: pr,
				FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes})
		}
	}
	if len(p.RateLimits) > 0 {
		out.RateLimits = map[string]RateLimit{}
		for k, rl := range p.RateLimits {
			out.RateLimits[k] = RateLimit{PerPerson: rl.PerPerson, PerOrg: rl.PerOrg, WindowSeconds: rl.WindowSeconds}
		}
	}
	return out
}

// Product fields (updateMask).
var productFields = []string{"displayName", "supportHours", "phoneNumbers"}

// applyProduct validates the fields of in named by mask and sets them on p.
func applyProduct(p *store.Product, in Product, mask []string) error {
	var v violations
	for _, f := range mask {
		switch f {
		case "displayName":
			name, err := text.DisplayName("displayName", in.DisplayName)
			if err != nil || name == "" || strings.Contains(name, ">") {
				v.add("displayName", "required: one line, at most 100 characters, without \">\"")
			}
			p.DisplayName = name
		case "supportHours":
			h := strings.TrimSpace(in.SupportHours)
			if _, err := caseclock.ParseCalendar(h); err != nil {
				v.add("supportHours", `"24x7" or days, hours and time zone like "Mon-Fri 08:00-20:00 Asia/Seoul"`)
			}
			p.SupportHours = h
		case "phoneNumbers":
			if len(in.PhoneNumbers) > maxPhoneNumbers {
				v.add("phoneNumbers", fmt.Sprintf("at most %d", maxPhoneNumbers))
				break
			}
			p.PhoneNumbers = map[string]string{}
			for i, ph := range in.PhoneNumbers {
				region, number := strings.TrimSpace(ph.Region), strings.TrimSpace(ph.Number)
				if !regionRe.MatchString(region) {
					v.add(fmt.Sprintf("phoneNumbers[%d].region", i), "a region label like KR or US")
				}
				if !phoneRe.MatchString(number) {
					v.add(fmt.Sprintf("phoneNumbers[%d].number", i), "a phone number like +82 2-555-0100")
				}
				if _, dup := p.PhoneNumbers[region]; dup {
					v.add(fmt.Sprintf("phoneNumbers[%d].region", i), region+" given twice")
				}
				p.PhoneNumbers[region] = number
			}
		}
	}
	return v.result()
}

func productView(p *store.Product) Product {
	out := Product{Name: productName(p.ID), DisplayName: p.DisplayName, Active: !p.Inactive, SupportHours: p.SupportHours,
		PhoneNumbers: []PhoneNumber{}, Classifications: []Classification{}}
	for _, region := range slices.Sorted(maps.Keys(p.PhoneNumbers)) {
		out.PhoneNumbers = append(out.PhoneNumbers, PhoneNumber{Region: region, Number: p.PhoneNumbers[region]})
	}
	for _, c := range p.Classifications {
		out.Classifications = append(out.Classifications, classificationView(p.ID, c))
	}
	return out
}

func classificationView(productID string, c store.Classification) Classification {
	active := c.Active
	return Classification{Name: classificationName(productID, c.ID), ID: c.ID, DisplayName: c.DisplayName, Active: &active}
}

// classificationDisplayName is "Product > Component": a component name is
// prefixed with the product's name; a full name must start with it.
func classificationDisplayName(v *violations, productName, in string) string {
	name, err := text.DisplayName("displayName", in)
	if err != nil || name == "" {
		v.add("displayName", `required: "Component" or "Product > Component", one line`)
		return ""
	}
	prefix := productName + " > "
	if !strings.Contains(name, ">") {
		return prefix + name
	}
	if !strings.HasPrefix(name, prefix) || strings.TrimSpace(name[len(prefix):]) == "" || strings.Contains(name[len(prefix):], ">") {
		v.add("displayName", fmt.Sprintf("%q: give the component name, or %q followed by it", name, prefix))
	}
	return name
}

// equalJSON reports whether two views encode alike (a change that changes
// nothing writes nothing).
func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
