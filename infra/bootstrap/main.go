// Command bootstrap writes the first production data of a deployment —
// the vendor's support organisation, its first support admin, and the
// support packages and products — from a YAML file (make bootstrap; see
// infra/bootstrap.example.yaml). The admin is added as the users API adds
// anyone: a PENDING membership with provisioning pending, announced by a
// membership event, so the provision function creates the account and
// e-mails the sign-in link (and the activate-users sweep re-drives it if
// the event is lost). Running it again creates nothing twice: packages and
// products are rewritten as the file lists them, an existing organisation
// or membership is left as it is (a membership whose provisioning is still
// pending is announced again, with its original event id).
//
//	go run ./infra/bootstrap -project P -file bootstrap.yaml
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/store"
)

func main() {
	project := flag.String("project", "", "Google Cloud project id (required)")
	file := flag.String("file", "", "bootstrap YAML file (required; see infra/bootstrap.example.yaml)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := realMain(ctx, *project, *file, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bootstrap:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, project, file string, out io.Writer) error {
	if project == "" || file == "" {
		return errors.New("usage: bootstrap -project P -file bootstrap.yaml")
	}
	if err := checkEmulators(project, os.Environ()); err != nil {
		return err
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	d, err := parse(b)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, project)
	if err != nil {
		return err
	}
	defer st.Close()
	pub, err := publish.New(ctx, project)
	if err != nil {
		return fmt.Errorf("pubsub: %w", err)
	}
	defer pub.Close()
	_, err = run(ctx, st, pub, d, time.Now().UTC(), out)
	return err
}

// checkEmulators refuses emulator settings for a real project: the Auth
// emulator's unsigned tokens must never meet production data.
func checkEmulators(project string, environ []string) error {
	for _, kv := range environ {
		if k, _, _ := strings.Cut(kv, "="); strings.HasSuffix(k, "_EMULATOR_HOST") && !strings.HasPrefix(project, "demo-") {
			return fmt.Errorf("%s is set but project %q is not a demo- project: unset it to bootstrap a real project", k, project)
		}
	}
	return nil
}

// Data is the bootstrap file.
type Data struct {
	Vendor struct {
		ID          string   `yaml:"id"`
		DisplayName string   `yaml:"display_name"`
		Domains     []string `yaml:"domains"`
	} `yaml:"vendor"`
	Admin struct {
		Email       string `yaml:"email"`
		DisplayName string `yaml:"display_name"`
		Language    string `yaml:"language"`
	} `yaml:"admin"`
	Packages map[string]PackageSpec `yaml:"packages"`
	Products map[string]ProductSpec `yaml:"products"`
}

// PackageSpec is a support package in the file.
type PackageSpec struct {
	DisplayName           string                `yaml:"display_name"`
	SupportCenterAccess   bool                  `yaml:"support_center_access"`
	PhoneSupport          bool                  `yaml:"phone_support"`
	Escalation            bool                  `yaml:"escalation"`
	SupportHours          string                `yaml:"support_hours"`
	Targets               map[string]TargetSpec `yaml:"targets"`
	MaxAttachmentBytes    int64                 `yaml:"max_attachment_bytes"`
	MaxAttachmentsPerCase int                   `yaml:"max_attachments_per_case"`
}

// TargetSpec is a service-level target.
type TargetSpec struct {
	FirstResponseMinutes int `yaml:"first_response_minutes"`
	NextResponseMinutes  int `yaml:"next_response_minutes"`
}

// ProductSpec is a product in the file.
type ProductSpec struct {
	DisplayName     string            `yaml:"display_name"`
	SupportHours    string            `yaml:"support_hours"`
	PhoneNumbers    map[string]string `yaml:"phone_numbers"`
	Classifications []struct {
		ID          string `yaml:"id"`
		DisplayName string `yaml:"display_name"`
		Active      bool   `yaml:"active"`
	} `yaml:"classifications"`
}

var (
	idRe      = regexp.MustCompile(`^[a-z][a-z0-9-]{1,62}$`)
	catalogRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)
	domainRe  = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$`)
)

// parse reads and validates the file, reporting every problem at once.
func parse(b []byte) (*Data, error) {
	var d Data
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("bootstrap file: %w", err)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idRe.MatchString(d.Vendor.ID) {
		bad("vendor.id %q: lower-case letters, digits and dashes", d.Vendor.ID)
	}
	if strings.TrimSpace(d.Vendor.DisplayName) == "" {
		bad("vendor.display_name is required")
	}
	if len(d.Vendor.Domains) == 0 {
		bad("vendor.domains: at least one")
	}
	for i, dom := range d.Vendor.Domains {
		d.Vendor.Domains[i] = strings.ToLower(strings.TrimSpace(dom))
		if !domainRe.MatchString(d.Vendor.Domains[i]) {
			bad("vendor.domains: %q is not a domain name", dom)
		}
	}
	d.Admin.Email = store.NormalizeEmail(d.Admin.Email)
	local, domain, ok := strings.Cut(d.Admin.Email, "@")
	if !ok || local == "" || !slices.Contains(d.Vendor.Domains, domain) {
		bad("admin.email %q must be an address in one of vendor.domains", d.Admin.Email)
	}
	if d.Admin.Language == "" {
		d.Admin.Language = "en"
	}
	if d.Admin.Language != "en" && d.Admin.Language != "ko" {
		bad("admin.language %q: en or ko", d.Admin.Language)
	}
	for id, p := range d.Packages {
		if !catalogRe.MatchString(id) || p.DisplayName == "" {
			bad("package %q: needs a plain id and a display_name", id)
		}
		for prio := range p.Targets {
			if !casestate.ValidPriority(prio) {
				bad("package %q: target priority %q is not one of %v", id, prio, casestate.Priorities)
			}
		}
	}
	for id, p := range d.Products {
		if !catalogRe.MatchString(id) || p.DisplayName == "" {
			bad("product %q: needs a plain id and a display_name", id)
		}
		seen := map[string]bool{}
		for _, c := range p.Classifications {
			if c.ID == "" || c.DisplayName == "" || seen[c.ID] {
				bad("product %q: classification %q needs a unique id and a display_name", id, c.ID)
			}
			seen[c.ID] = true
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("bootstrap file: %w", errors.Join(errs...))
	}
	return &d, nil
}

// Result says what a run changed.
type Result struct {
	Packages, Products int
	OrgCreated         bool
	AdminCreated       bool
	// Announced: a membership event was published for the admin.
	Announced bool
}

// provisionGrace is when the activate-users sweep re-drives a provisioning
// whose event was lost (as for users added through the API).
const provisionGrace = 15 * time.Minute

func run(ctx context.Context, st *store.Store, pub events.Publisher, d *Data, now time.Time, out io.Writer) (Result, error) {
	var r Result
	for id, p := range d.Packages {
		pkg := store.Package{DisplayName: p.DisplayName, SupportCenterAccess: p.SupportCenterAccess, PhoneSupport: p.PhoneSupport,
			Escalation: p.Escalation, SupportHours: p.SupportHours, Targets: map[string]store.Target{},
			MaxAttachmentBytes: p.MaxAttachmentBytes, MaxAttachmentsPerCase: p.MaxAttachmentsPerCase}
		for prio, t := range p.Targets {
			pkg.Targets[prio] = store.Target{FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes}
		}
		if err := st.PutPackage(ctx, id, pkg); err != nil {
			return r, err
		}
		r.Packages++
	}
	for id, p := range d.Products {
		prod := store.Product{DisplayName: p.DisplayName, SupportHours: p.SupportHours, PhoneNumbers: p.PhoneNumbers,
			Classifications: []store.Classification{}}
		for _, c := range p.Classifications {
			prod.Classifications = append(prod.Classifications, store.Classification{ID: c.ID, DisplayName: c.DisplayName, Active: c.Active})
		}
		if err := st.PutProduct(ctx, id, prod); err != nil {
			return r, err
		}
		r.Products++
	}
	fmt.Fprintf(out, "packages written: %d, products written: %d\n", r.Packages, r.Products)

	var err error
	r.OrgCreated, err = st.CreateOrgIfMissing(ctx, store.Org{ID: d.Vendor.ID, DisplayName: d.Vendor.DisplayName,
		Kind: store.KindVendor, Domains: d.Vendor.Domains}, now)
	if err != nil {
		return r, err
	}
	fmt.Fprintf(out, "vendor organisation %s: %s\n", d.Vendor.ID, map[bool]string{true: "created", false: "exists, left as it is"}[r.OrgCreated])

	const actor = "bootstrap"
	m := &store.MembershipDoc{
		Membership: store.Membership{ID: store.MembershipID(d.Vendor.ID, d.Admin.Email), OrgID: d.Vendor.ID, Email: d.Admin.Email,
			DisplayName: d.Admin.DisplayName, Language: d.Admin.Language, Status: store.StatusPending, ActivateTime: now,
			Roles:   []store.Role{{Role: store.RoleSupportAdmin}, {Role: store.RoleSupportAgent}},
			AddedBy: actor, CreateTime: now, UpdateTime: now},
		Provision: &store.Provisioning{State: provisioning.Pending, EventID: events.NewID(), RetryTime: now.Add(provisionGrace)},
	}
	stored, created, err := st.CreateMembershipIfMissing(ctx, m, store.AuditEntry{OrgID: d.Vendor.ID, Actor: actor,
		Action: store.AuditUserAdd, Target: d.Admin.Email,
		Details: map[string]string{"roles": store.RoleSupportAdmin + ", " + store.RoleSupportAgent}, Time: now})
	if err != nil {
		return r, err
	}
	r.AdminCreated = created
	if stored.Provision == nil || stored.Provision.State != provisioning.Pending {
		state := "no provisioning record"
		if stored.Provision != nil {
			state = "provisioning " + stored.Provision.State
		}
		fmt.Fprintf(out, "support admin %s: exists (%s, status %s), left as it is\n", d.Admin.Email, state, stored.Status)
		return r, nil
	}
	ev, err := events.NewMembershipAdded(stored.Provision.EventID, now, stored.OrgID, stored.ID).Message()
	if err != nil {
		return r, err
	}
	if err := pub.Publish(ctx, ev); err != nil {
		// Stored: the sweep re-drives provisioning at its retry time.
		fmt.Fprintf(out, "support admin %s: added; announcing it failed (%v), the activate-users sweep will provision it after %s\n",
			d.Admin.Email, err, stored.Provision.RetryTime.Format(time.RFC3339))
		return r, nil
	}
	r.Announced = true
	fmt.Fprintf(out, "support admin %s: %s; provisioning announced (event %s): a sign-in link is e-mailed once the provision function runs\n",
		d.Admin.Email, map[bool]string{true: "added", false: "exists, provisioning still pending"}[created], ev.ID)
	return r, nil
}
