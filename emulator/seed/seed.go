// Package seed writes the demo data of the local stack
// into the Firestore and Auth emulators, and offers the same writers to
// integration tests that build their own isolated fixtures.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	firebase "firebase.google.com/go/v4"
	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/store"
)

// DemoPassword is every demo user's password.
const DemoPassword = "supportcenter"

// VendorOrgID is the support team's organisation in the demo data.
const VendorOrgID = "support"

// User is a demo person and their membership.
type User struct {
	Email, DisplayName, OrgID string
	Roles                     []store.Role
}

// DemoUsers are the documented demo sign-ins.
var DemoUsers = []User{
	{"admin@acme.example", "Acme Admin", "acme", []store.Role{{Role: store.RoleOrgAdmin}}},
	{"dev@acme.example", "Acme Developer", "acme", []store.Role{{Role: store.RoleMember}}},
	{"admin@globex.example", "Globex Admin", "globex", []store.Role{{Role: store.RoleOrgAdmin}}},
	{"admin@initech.example", "Initech Admin", "initech", []store.Role{{Role: store.RoleOrgAdmin}}},
	{"partner@resellco.example", "Resellco Partner", "resellco", []store.Role{{Role: store.RoleMember}}},
	{"agent@support.example", "Support Agent", VendorOrgID, []store.Role{{Role: store.RoleSupportAgent}}},
	{"lead@support.example", "Support Lead", VendorOrgID, []store.Role{{Role: store.RoleSupportAdmin}, {Role: store.RoleSupportAgent}}},
}

// Packages are the support packages and their entitlements.
func Packages() map[string]store.Package {
	targets := func(p0, p1, p2, p3, p4 int) map[string]store.Target {
		t := map[string]store.Target{}
		for i, m := range []int{p0, p1, p2, p3, p4} {
			t[casestate.Priorities[i]] = store.Target{FirstResponseMinutes: m, NextResponseMinutes: m * 2}
		}
		return t
	}
	return map[string]store.Package{
		"SILVER": {DisplayName: "Silver", SupportCenterAccess: true, SupportHours: "Mon-Fri 09:00-18:00 (customer local time)",
			Targets: targets(240, 480, 1440, 2880, 4320), MaxAttachmentBytes: 256 << 20, MaxAttachmentsPerCase: 50},
		"GOLD": {DisplayName: "Gold", SupportCenterAccess: true, PhoneSupport: true, SupportHours: "24x7 for P0/P1, Mon-Fri 08:00-20:00 otherwise",
			Targets: targets(60, 240, 480, 1440, 2880), MaxAttachmentBytes: 1 << 30, MaxAttachmentsPerCase: 100},
		"PLATINUM": {DisplayName: "Platinum", SupportCenterAccess: true, PhoneSupport: true, Escalation: true, SupportHours: "24x7",
			Targets: targets(15, 60, 240, 480, 1440), MaxAttachmentBytes: 5 << 30, MaxAttachmentsPerCase: 200},
	}
}

// Products are the demo catalogue.
func Products() map[string]store.Product {
	return map[string]store.Product{
		"clouddb": {DisplayName: "CloudDB", SupportHours: "24x7",
			PhoneNumbers: map[string]string{"KR": "+82 2-555-0100", "US": "+1 650-555-0100"},
			Classifications: []store.Classification{
				{ID: "clouddb-connectivity", DisplayName: "CloudDB > Connectivity", Active: true},
				{ID: "clouddb-performance", DisplayName: "CloudDB > Performance", Active: true},
				{ID: "clouddb-backup", DisplayName: "CloudDB > Backup and restore", Active: true},
			}},
		"analytics": {DisplayName: "Analytics Suite", SupportHours: "Mon-Fri 08:00-20:00 KST",
			PhoneNumbers: map[string]string{"KR": "+82 2-555-0200", "US": "+1 650-555-0200"},
			Classifications: []store.Classification{
				{ID: "analytics-dashboards", DisplayName: "Analytics Suite > Dashboards", Active: true},
				{ID: "analytics-ingestion", DisplayName: "Analytics Suite > Data ingestion", Active: true},
				{ID: "analytics-legacy-api", DisplayName: "Analytics Suite > Legacy API", Active: false},
			}},
	}
}

// Orgs are the demo organisations; since is when resellers took over.
func Orgs(now time.Time) map[string]store.Org {
	since := now.AddDate(-1, 0, 0)
	return map[string]store.Org{
		"acme": {DisplayName: "Acme Corp", Kind: store.KindCustomer, Domains: []string{"acme.example"},
			PackageID: "PLATINUM", ProductIDs: []string{"clouddb", "analytics"}},
		"globex": {DisplayName: "Globex", Kind: store.KindCustomer, Domains: []string{"globex.example"},
			PackageID: "SILVER", ProductIDs: []string{"clouddb"}, ResellerID: "resellco", ResellerSince: since,
			ResellerAccess:  store.ResellerAccess{Granted: true, GrantTime: since},
			ResellerHistory: []store.ResellerTerm{{ResellerID: "resellco", Start: since}}},
		"initech": {DisplayName: "Initech", Kind: store.KindCustomer, Domains: []string{"initech.example"},
			PackageID: "GOLD", ProductIDs: []string{"clouddb", "analytics"}, ResellerID: "resellco", ResellerSince: since,
			ResellerHistory: []store.ResellerTerm{{ResellerID: "resellco", Start: since}}},
		"resellco":  {DisplayName: "Resellco", Kind: store.KindReseller, Domains: []string{"resellco.example"}},
		VendorOrgID: {DisplayName: "Support team", Kind: store.KindVendor, Domains: []string{"support.example"}},
	}
}

// Writer writes fixtures into Firestore (through the store) and the Auth
// emulator.
type Writer struct {
	Store *store.Store
	Auth  *fbauth.Client
	Now   time.Time
}

// NewWriter builds clients for projectID from the emulator env vars.
func NewWriter(ctx context.Context, projectID string) (*Writer, error) {
	st, err := store.Open(ctx, projectID)
	if err != nil {
		return nil, err
	}
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: projectID})
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	ac, err := app.Auth(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return &Writer{Store: st, Auth: ac, Now: time.Now().UTC()}, nil
}

// Demo seeds the whole demo data set into projectID's emulators. It is
// idempotent: documents are overwritten, existing users are updated.
func Demo(ctx context.Context, projectID string) error {
	w, err := NewWriter(ctx, projectID)
	if err != nil {
		return err
	}
	defer w.Store.Close()
	return w.Demo(ctx)
}

// Demo writes the demo data set. Packages, products and organisations are
// created through the store methods the administration APIs use (catalog
// and orgs functions: audit entries, catalogue version, domain claims), so
// demo data and real data are made the same way; on a stack seeded before,
// what exists is set back to the demo values.
func (w *Writer) Demo(ctx context.Context) error {
	for id, p := range Packages() {
		if err := w.demoPackage(ctx, id, p); err != nil {
			return err
		}
	}
	for id, p := range Products() {
		if err := w.demoProduct(ctx, id, p); err != nil {
			return err
		}
	}
	for id, o := range Orgs(w.Now) {
		if err := w.demoOrg(ctx, id, o); err != nil {
			return err
		}
	}
	for _, u := range DemoUsers {
		if _, err := w.User(ctx, u.Email, u.DisplayName); err != nil {
			return err
		}
		if err := w.Membership(ctx, store.Membership{OrgID: u.OrgID, Email: u.Email, DisplayName: u.DisplayName,
			Language: "en", Status: store.StatusActive, ActivateTime: w.Now, Roles: u.Roles}); err != nil {
			return err
		}
	}
	return nil
}

// seedAudit is the audit entry of a demo record's creation.
func (w *Writer) seedAudit(orgID, action, target string) store.AuditEntry {
	return store.AuditEntry{OrgID: orgID, Actor: store.SystemActor, Action: action, Target: target,
		Details: map[string]string{"source": "demo seed"}}
}

func (w *Writer) demoPackage(ctx context.Context, id string, p store.Package) error {
	p.ID = id
	audit := w.seedAudit(VendorOrgID, store.AuditPackageCreate, "packages/"+id)
	err := w.Store.CreatePackage(ctx, &p, audit, w.Now)
	if errors.Is(err, store.ErrAlreadyExists) {
		_, err = w.Store.ChangePackage(ctx, id, w.Now, func(cur *store.Package) (*store.AuditEntry, error) {
			*cur = p
			audit.Action = store.AuditPackageUpdate
			return &audit, nil
		})
	}
	return wrap(err, "package", id)
}

func (w *Writer) demoProduct(ctx context.Context, id string, p store.Product) error {
	p.ID = id
	audit := w.seedAudit(VendorOrgID, store.AuditProductCreate, "products/"+id)
	err := w.Store.CreateProduct(ctx, &p, audit, w.Now, nil)
	if errors.Is(err, store.ErrAlreadyExists) {
		_, err = w.Store.ChangeProduct(ctx, id, w.Now, func(_ *store.CatalogTx, cur *store.Product) (*store.AuditEntry, error) {
			*cur = p
			audit.Action = store.AuditProductUpdate
			return &audit, nil
		})
	}
	return wrap(err, "product", id)
}

func (w *Writer) demoOrg(ctx context.Context, id string, o store.Org) error {
	o.ID = id
	_, err := w.Store.CreateOrg(ctx, store.NewOrg{Org: o,
		Audit: []store.AuditEntry{w.seedAudit(id, store.AuditOrgCreate, "organizations/"+id)}}, w.Now)
	if errors.Is(err, store.ErrAlreadyExists) {
		err = w.Org(ctx, id, o) // seeded before: back to the demo values
	}
	return wrap(err, "organization", id)
}

// Package writes a support package as given (test fixtures).
func (w *Writer) Package(ctx context.Context, id string, p store.Package) error {
	return w.Store.PutPackage(ctx, id, p)
}

// Product writes a product as given (test fixtures).
func (w *Writer) Product(ctx context.Context, id string, p store.Product) error {
	return w.Store.PutProduct(ctx, id, p)
}

// Org writes an organisation as given (test fixtures; no domain claims).
func (w *Writer) Org(ctx context.Context, id string, o store.Org) error {
	if o.CreateTime.IsZero() {
		o.CreateTime = w.Now
	}
	o.UpdateTime = w.Now
	return w.Store.PutOrg(ctx, id, o)
}

// Membership writes a membership (the e-mail is normalised).
func (w *Writer) Membership(ctx context.Context, m store.Membership) error {
	m.Email = store.NormalizeEmail(m.Email)
	if m.CreateTime.IsZero() {
		m.CreateTime = w.Now
	}
	m.UpdateTime = w.Now
	return w.Store.PutMembership(ctx, store.MembershipDoc{Membership: m})
}

// User makes sure an Auth account with the demo password and a verified
// e-mail exists, and returns its uid.
func (w *Writer) User(ctx context.Context, email, displayName string) (string, error) {
	email = store.NormalizeEmail(email)
	existing, err := w.Auth.GetUserByEmail(ctx, email)
	if err == nil {
		_, err = w.Auth.UpdateUser(ctx, existing.UID, (&fbauth.UserToUpdate{}).
			Password(DemoPassword).EmailVerified(true).DisplayName(displayName).Disabled(false))
		return existing.UID, wrap(err, "user", email)
	}
	if !fbauth.IsUserNotFound(err) {
		return "", wrap(err, "user", email)
	}
	u, err := w.Auth.CreateUser(ctx, (&fbauth.UserToCreate{}).
		Email(email).Password(DemoPassword).EmailVerified(true).DisplayName(displayName))
	if err != nil {
		return "", wrap(err, "user", email)
	}
	return u.UID, nil
}

func wrap(err error, kind, id string) error {
	if err != nil {
		return fmt.Errorf("seed %s %s: %w", kind, id, err)
	}
	return nil
}
