package access

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The fixtures: customer "cust" (products A and B) managed by reseller
// "rs" since termStart, and the people who act on it. Pure values, no I/O.
const (
	prodA = "prod-a"
	prodB = "prod-b"
)

var (
	termStart = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	platinum  = &store.Package{ID: "PLATINUM", SupportCenterAccess: true, PhoneSupport: true, Escalation: true}
	gold      = &store.Package{ID: "GOLD", SupportCenterAccess: true, PhoneSupport: true}
	legacy    = &store.Package{ID: "LEGACY"} // no Support Center access
)

// customerOrg returns the target customer; granted says whether it
// currently grants its reseller access.
func customerOrg(granted bool) *store.Org {
	o := &store.Org{ID: "cust", DisplayName: "Cust", Kind: store.KindCustomer, PackageID: "PLATINUM",
		ProductIDs: []string{prodA, prodB}, ResellerID: "rs", ResellerSince: termStart,
		ResellerAccess: store.ResellerAccess{Granted: granted}}
	if !granted {
		o.ResellerAccess.RevokeTime = termStart.Add(time.Hour)
	}
	return o
}

func roles(rs ...store.Role) []store.Role { return rs }

func role(name string, products ...string) store.Role {
	return store.Role{Role: name, ProductIDs: products}
}

func customerActor(rs ...store.Role) *Actor {
	return &Actor{Identity: &auth.Identity{Email: "x@cust.example", EmailVerified: true}, Capacity: Customer,
		Org: customerOrg(true), Package: platinum,
		Membership: &store.Membership{OrgID: "cust", Status: store.StatusActive, Roles: roles(rs...)}}
}

func resellerActor(memberOrg string, granted bool, rs ...store.Role) *Actor {
	return &Actor{Identity: &auth.Identity{Email: "p@rs.example", EmailVerified: true}, Capacity: Reseller,
		Org: customerOrg(granted), Package: platinum,
		Membership: &store.Membership{OrgID: memberOrg, Status: store.StatusActive, Roles: roles(rs...)}}
}

func supportActor(rs ...store.Role) *Actor {
	return &Actor{Identity: &auth.Identity{Email: "s@support.example", EmailVerified: true}, Capacity: Support,
		Org: customerOrg(true), Package: platinum,
		Membership: &store.Membership{OrgID: "support", Status: store.StatusActive, Roles: roles(rs...)}}
}

// actors are every capacity and role the policy distinguishes.
func actors() map[string]*Actor {
	return map[string]*Actor{
		"viewer":              customerActor(role(store.RoleViewer)),
		"viewer of A":         customerActor(role(store.RoleViewer, prodA)),
		"member":              customerActor(role(store.RoleMember)),
		"member of B":         customerActor(role(store.RoleMember, prodB)),
		"member of A":         customerActor(role(store.RoleMember, prodA)),
		"product admin of A":  customerActor(role(store.RoleProductAdmin, prodA)),
		"org admin":           customerActor(role(store.RoleOrgAdmin)),
		"no roles":            customerActor(),
		"reseller granted":    resellerActor("rs", true, role(store.RoleMember)),
		"reseller viewer":     resellerActor("rs", true, role(store.RoleViewer)),
		"reseller not grant":  resellerActor("rs", false, role(store.RoleMember)),
		"reseller admin":      resellerActor("rs", true, role(store.RoleOrgAdmin)),
		"reseller no roles":   resellerActor("rs", true),
		"support agent":       supportActor(role(store.RoleSupportAgent)),
		"support admin":       supportActor(role(store.RoleSupportAdmin), role(store.RoleSupportAgent)),
		"support admin only":  supportActor(role(store.RoleSupportAdmin)),
		"unknown capacity":    {Identity: &auth.Identity{Email: "u@x.example"}, Org: customerOrg(true)},
		"customer, no member": {Identity: &auth.Identity{Email: "u@x.example"}, Capacity: Customer, Org: customerOrg(true)},
	}
}

// statusOf is the HTTP status an error becomes (200 for nil).
func statusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return apierror.From(err).HTTPStatus
}

const (
	ok  = http.StatusOK
	no  = http.StatusForbidden
	nf  = http.StatusNotFound
	bad = http.StatusBadRequest
)

func TestCheckEveryCapacityAndAction(t *testing.T) {
	t.Parallel()
	actions := []Action{OrgRead, ProductSupportRead, ResellerAccessManage, AuditRead, UsersRead, UsersManage,
		CaseList, CaseCreate, SupportQueue, AccessRequestsRead, OrgsManage, KnownIssuesPublish}
	// want[actor] lists the allowed actions; every other action is 403.
	want := map[string][]Action{
		"viewer":              {OrgRead, ProductSupportRead, CaseList},
		"viewer of A":         {OrgRead, ProductSupportRead, CaseList},
		"member":              {OrgRead, ProductSupportRead, CaseList, CaseCreate},
		"member of B":         {OrgRead, ProductSupportRead, CaseList, CaseCreate},
		"member of A":         {OrgRead, ProductSupportRead, CaseList, CaseCreate},
		"product admin of A":  {OrgRead, ProductSupportRead, CaseList, CaseCreate, UsersRead, UsersManage},
		"org admin":           {OrgRead, ProductSupportRead, CaseList, CaseCreate, UsersRead, UsersManage, ResellerAccessManage, AuditRead},
		"no roles":            {},
		"reseller granted":    {OrgRead, ProductSupportRead, CaseList, CaseCreate},
		"reseller viewer":     {OrgRead, ProductSupportRead, CaseList},
		"reseller not grant":  {OrgRead, ProductSupportRead},
		"reseller admin":      {OrgRead, ProductSupportRead, CaseList, CaseCreate},
		"reseller no roles":   {},
		"support agent":       {OrgRead, ProductSupportRead, CaseList, SupportQueue, AccessRequestsRead, UsersRead, AuditRead},
		"support admin":       {OrgRead, ProductSupportRead, CaseList, SupportQueue, AccessRequestsRead, UsersRead, AuditRead, OrgsManage, KnownIssuesPublish},
		"support admin only":  {OrgRead, ProductSupportRead, CaseList, SupportQueue, AccessRequestsRead, UsersRead, AuditRead, OrgsManage, KnownIssuesPublish},
		"unknown capacity":    {},
		"customer, no member": {},
	}
	for name, a := range actors() {
		allowed, listed := want[name]
		if !listed {
			t.Fatalf("no expectations for actor %q", name)
		}
		for _, action := range actions {
			wantStatus := no
			if slices.Contains(allowed, action) {
				wantStatus = ok
			}
			if got := statusOf(a.Check(action)); got != wantStatus {
				t.Errorf("%s: Check(%s) = %d, want %d", name, action, got, wantStatus)
			}
		}
	}
}

// Organisations that are not customers have no cases and no reseller.
func TestCheckNonCustomerOrganisations(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{store.KindReseller, store.KindVendor} {
		a := customerActor(role(store.RoleOrgAdmin))
		a.Org = &store.Org{ID: "own", DisplayName: "Own", Kind: kind}
		a.Package = nil
		// The vendor organisation's users are the support staff, whom
		// only support admins manage.
		manage := ok
		if kind == store.KindVendor {
			manage = no
		}
		for action, want := range map[Action]int{OrgRead: ok, AuditRead: ok, UsersManage: manage,
			CaseList: no, CaseCreate: no, ResellerAccessManage: no, AccessReviewRead: no} {
			if got := statusOf(a.Check(action)); got != want {
				t.Errorf("%s org admin: Check(%s) = %d, want %d", kind, action, got, want)
			}
		}
	}
}

// A reseller cannot act on cases of a customer whose package does not
// include the Support Center (its own members get ACCESS_REQUIRED).
func TestResellerOfIneligibleCustomer(t *testing.T) {
	t.Parallel()
	for _, p := range []*store.Package{legacy, nil} {
		a := resellerActor("rs", true, role(store.RoleMember))
		a.Package = p
		for action, want := range map[Action]int{OrgRead: ok, CaseList: no, CaseCreate: no} {
			if got := statusOf(a.Check(action)); got != want {
				t.Errorf("package %v: Check(%s) = %d, want %d", p, action, got, want)
			}
		}
		if got := statusOf(a.CheckCase(CaseRead, caseDuringTerm(prodA))); got != nf {
			t.Errorf("package %v: CheckCase(read) = %d, want 404", p, got)
		}
	}
}

func caseDuringTerm(product string) CaseRef {
	return CaseRef{OrgID: "cust", ProductID: product, ResellerID: "rs", CreateTime: termStart.Add(24 * time.Hour)}
}

func TestCheckCaseEveryCapacityAndAction(t *testing.T) {
	t.Parallel()
	actions := []Action{CaseRead, CaseComment, CaseUpdate, CaseClose, CaseSurvey, CaseUpload, CaseEscalate, CaseSetState}
	all := func(status int) map[Action]int {
		m := map[Action]int{}
		for _, a := range actions {
			m[a] = status
		}
		return m
	}
	readOnly := func() map[Action]int {
		m := all(no)
		m[CaseRead] = ok
		return m
	}
	customerChanges := func() map[Action]int {
		m := all(ok)
		m[CaseSetState] = no // support only
		return m
	}
	support := func() map[Action]int {
		m := all(no)
		for _, a := range []Action{CaseRead, CaseComment, CaseSetState, CaseUpload} {
			m[a] = ok
		}
		return m
	}
	// The case is about product A, filed by the reseller during its term.
	want := map[string]map[Action]int{
		"viewer":              readOnly(),
		"viewer of A":         readOnly(),
		"member":              customerChanges(),
		"member of B":         all(no), // own tenant, product out of scope: 403
		"member of A":         customerChanges(),
		"product admin of A":  customerChanges(),
		"org admin":           customerChanges(),
		"no roles":            all(no),
		"reseller granted":    customerChanges(),
		"reseller viewer":     readOnly(),
		"reseller not grant":  all(nf),
		"reseller admin":      customerChanges(),
		"reseller no roles":   all(nf), // lists nothing, so knows of nothing
		"support agent":       support(),
		"support admin":       support(),
		"support admin only":  support(),
		"unknown capacity":    all(nf),
		"customer, no member": all(no),
	}
	for name, a := range actors() {
		w, listed := want[name]
		if !listed {
			t.Fatalf("no expectations for actor %q", name)
		}
		for _, action := range actions {
			if got := statusOf(a.CheckCase(action, caseDuringTerm(prodA))); got != w[action] {
				t.Errorf("%s: CheckCase(%s) = %d, want %d", name, action, got, w[action])
			}
		}
	}
}

// Another organisation's case is 404 for everyone, support included: the
// actor was resolved for a different organisation.
func TestCheckCaseOtherOrganisation(t *testing.T) {
	t.Parallel()
	other := caseDuringTerm(prodA)
	other.OrgID = "elsewhere"
	for name, a := range actors() {
		if got := statusOf(a.CheckCase(CaseRead, other)); got != nf {
			t.Errorf("%s: read another organisation's case = %d, want 404", name, got)
		}
	}
}

func TestResellerRule(t *testing.T) {
	t.Parallel()
	member := role(store.RoleMember)
	tests := []struct {
		name  string
		actor *Actor
		c     CaseRef
		want  int
	}{
		{"current reseller, granted, filed during its term", resellerActor("rs", true, member), caseDuringTerm(prodA), ok},
		{"filed at the very start of the term", resellerActor("rs", true, member),
			CaseRef{OrgID: "cust", ProductID: prodA, ResellerID: "rs", CreateTime: termStart}, ok},
		{"any product of the customer", resellerActor("rs", true, member), caseDuringTerm(prodB), ok},
		{"grant revoked", resellerActor("rs", false, member), caseDuringTerm(prodA), nf},
		{"filed before the current term", resellerActor("rs", true, member),
			CaseRef{OrgID: "cust", ProductID: prodA, ResellerID: "rs", CreateTime: termStart.Add(-time.Second)}, nf},
		{"filed while the vendor managed the customer", resellerActor("rs", true, member),
			CaseRef{OrgID: "cust", ProductID: prodA, CreateTime: termStart.Add(time.Hour)}, nf},
		{"filed under the previous reseller", resellerActor("rs", true, member),
			CaseRef{OrgID: "cust", ProductID: prodA, ResellerID: "old", CreateTime: termStart.Add(time.Hour)}, nf},
		{"another reseller (not the current one)", resellerActor("old", true, member), caseDuringTerm(prodA), nf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, action := range []Action{CaseRead, CaseComment, CaseClose} {
				if got := statusOf(tt.actor.CheckCase(action, tt.c)); got != tt.want {
					t.Errorf("CheckCase(%s) = %d, want %d", action, got, tt.want)
				}
			}
		})
	}
}

// The customer itself sees every case its reseller filed (MISSION item 15),
// whatever the grant and whichever reseller filed it.
func TestCustomerSeesResellerFiledCases(t *testing.T) {
	t.Parallel()
	a := customerActor(role(store.RoleMember))
	a.Org = customerOrg(false)
	for _, c := range []CaseRef{caseDuringTerm(prodA),
		{OrgID: "cust", ProductID: prodA, ResellerID: "old", CreateTime: termStart.Add(-time.Hour)}} {
		if err := a.CheckCase(CaseComment, c); err != nil {
			t.Errorf("customer on reseller-filed case %+v: %v", c, err)
		}
	}
}

func TestEscalationNeedsPackage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		actor *Actor
		pkg   *store.Package
		want  int
	}{
		{"member with Platinum", customerActor(role(store.RoleMember)), platinum, ok},
		{"member with Gold", customerActor(role(store.RoleMember)), gold, no},
		{"member without package", customerActor(role(store.RoleMember)), nil, no},
		{"org admin with Gold", customerActor(role(store.RoleOrgAdmin)), gold, no},
		{"viewer with Platinum", customerActor(role(store.RoleViewer)), platinum, no},
		{"member of another product with Platinum", customerActor(role(store.RoleMember, prodB)), platinum, no},
		{"reseller with Platinum", resellerActor("rs", true, role(store.RoleMember)), platinum, ok},
		{"reseller with Gold", resellerActor("rs", true, role(store.RoleMember)), gold, no},
		{"support admin with Platinum", supportActor(role(store.RoleSupportAdmin)), platinum, no},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.actor.Package = tt.pkg
			if got := statusOf(tt.actor.CheckCase(CaseEscalate, caseDuringTerm(prodA))); got != tt.want {
				t.Errorf("CheckCase(escalate) = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCheckCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		actor   *Actor
		product string
		want    int
	}{
		{"member, bought product", customerActor(role(store.RoleMember)), prodA, ok},
		{"member, product not bought", customerActor(role(store.RoleMember)), "prod-z", bad},
		{"member of A files for A", customerActor(role(store.RoleMember, prodA)), prodA, ok},
		{"member of B files for A", customerActor(role(store.RoleMember, prodB)), prodA, no},
		{"viewer of A and member of B files for A", customerActor(role(store.RoleViewer, prodA), role(store.RoleMember, prodB)), prodA, no},
		{"product admin of A files for A", customerActor(role(store.RoleProductAdmin, prodA)), prodA, ok},
		{"product admin of A files for B", customerActor(role(store.RoleProductAdmin, prodA)), prodB, no},
		{"viewer", customerActor(role(store.RoleViewer)), prodA, no},
		{"org admin", customerActor(role(store.RoleOrgAdmin)), prodB, ok},
		{"reseller granted", resellerActor("rs", true, role(store.RoleMember)), prodA, ok},
		{"reseller granted, product not bought", resellerActor("rs", true, role(store.RoleMember)), "prod-z", bad},
		{"reseller viewer", resellerActor("rs", true, role(store.RoleViewer)), prodA, no},
		{"reseller not granted", resellerActor("rs", false, role(store.RoleMember)), prodA, no},
		{"support admin", supportActor(role(store.RoleSupportAdmin)), prodA, no},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := statusOf(tt.actor.CheckCreate(tt.product)); got != tt.want {
				t.Errorf("CheckCreate(%s) = %d, want %d", tt.product, got, tt.want)
			}
		})
	}
}

func TestProductScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		actor        *Actor
		readable     []string // nil = every product
		administered []string // nil = every product
		grantAdmin   bool
	}{
		{"viewer", customerActor(role(store.RoleViewer)), nil, []string{}, false},
		{"viewer of A", customerActor(role(store.RoleViewer, prodA)), []string{prodA}, []string{}, false},
		{"member of A, viewer of B", customerActor(role(store.RoleMember, prodA), role(store.RoleViewer, prodB)),
			[]string{prodA, prodB}, []string{}, false},
		{"product admin of A", customerActor(role(store.RoleProductAdmin, prodA)), []string{prodA}, []string{prodA}, false},
		{"org admin", customerActor(role(store.RoleOrgAdmin)), nil, nil, true},
		{"no roles", customerActor(), []string{}, []string{}, false},
		{"reseller", resellerActor("rs", true, role(store.RoleOrgAdmin)), nil, []string{}, false},
		{"support admin", supportActor(role(store.RoleSupportAdmin)), nil, []string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.actor.ReadableProducts(); !sameScope(got, tt.readable) {
				t.Errorf("ReadableProducts() = %#v, want %#v", got, tt.readable)
			}
			if got := tt.actor.AdministeredProducts(); !sameScope(got, tt.administered) {
				t.Errorf("AdministeredProducts() = %#v, want %#v", got, tt.administered)
			}
			if got := tt.actor.CanGrantOrgAdmin(); got != tt.grantAdmin {
				t.Errorf("CanGrantOrgAdmin() = %v, want %v", got, tt.grantAdmin)
			}
		})
	}
}

// sameScope compares scopes where nil (everything) differs from empty
// (nothing).
func sameScope(got, want []string) bool {
	if (got == nil) != (want == nil) {
		return false
	}
	return slices.Equal(got, want)
}

func TestResellerScope(t *testing.T) {
	t.Parallel()
	id, since, ok := resellerActor("rs", true, role(store.RoleMember)).ResellerScope()
	if !ok || id != "rs" || !since.Equal(termStart) {
		t.Errorf("reseller scope = %q %v %v", id, since, ok)
	}
	for _, a := range []*Actor{customerActor(role(store.RoleMember)), supportActor(role(store.RoleSupportAgent))} {
		if _, _, ok := a.ResellerScope(); ok {
			t.Errorf("%s has a reseller scope", a.Capacity)
		}
	}
}

func TestIsSupportAdmin(t *testing.T) {
	t.Parallel()
	for name, a := range actors() {
		want := name == "support admin" || name == "support admin only"
		if got := a.IsSupportAdmin(); got != want {
			t.Errorf("%s: IsSupportAdmin() = %v", name, got)
		}
		if got, want := a.IsSupport(), a.Capacity == Support; got != want {
			t.Errorf("%s: IsSupport() = %v", name, got)
		}
	}
	// An org admin of a customer is not a support admin, whatever it holds.
	if customerActor(role(store.RoleSupportAdmin)).IsSupportAdmin() {
		t.Error("customer capacity with a support role counted as support admin")
	}
}

func TestAccessRequired(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 7, 1, 9, 30, 0, 0, time.FixedZone("KST", 9*3600))
	tests := []struct {
		cause    string
		activate time.Time
		wantMeta map[string]string
	}{
		{CauseNotAMember, time.Time{}, map[string]string{"cause": CauseNotAMember}},
		{CausePending, at, map[string]string{"cause": CausePending, "activateTime": "2025-07-01T00:30:00Z"}},
		{CausePackageNotEligible, time.Time{}, map[string]string{"cause": CausePackageNotEligible}},
		{CauseEmailNotVerified, time.Time{}, map[string]string{"cause": CauseEmailNotVerified}},
	}
	for _, tt := range tests {
		t.Run(tt.cause, func(t *testing.T) {
			t.Parallel()
			e := AccessRequired(tt.cause, tt.activate)
			if e.HTTPStatus != http.StatusForbidden || e.Status != "PERMISSION_DENIED" || e.Reason() != apierror.ReasonAccessRequired {
				t.Fatalf("got %d %s reason %q", e.HTTPStatus, e.Status, e.Reason())
			}
			info, okInfo := e.Details[0].(apierror.ErrorInfo)
			if !okInfo || len(info.Metadata) != len(tt.wantMeta) {
				t.Fatalf("details %#v", e.Details)
			}
			for k, v := range tt.wantMeta {
				if info.Metadata[k] != v {
					t.Errorf("metadata[%s] = %q, want %q", k, info.Metadata[k], v)
				}
			}
		})
	}
}

func TestRefOf(t *testing.T) {
	t.Parallel()
	c := &store.Case{ID: "100000001", OrgID: "cust", ProductID: prodA, ResellerID: "rs",
		CreateTime: termStart.Add(time.Hour), TestCase: true, State: casestate.New}
	want := CaseRef{OrgID: "cust", ProductID: prodA, ResellerID: "rs", CreateTime: termStart.Add(time.Hour), TestCase: true}
	if got := RefOf(c); got != want {
		t.Fatalf("RefOf = %+v, want %+v", got, want)
	}
}
