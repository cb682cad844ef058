package access

import (
	"slices"
	"testing"

	"github.com/supportcenter/supportcenter/shared/store"
)

func TestReach(t *testing.T) {
	t.Parallel()
	orgs := map[string]*store.Org{
		"acme":    {ID: "acme", Kind: store.KindCustomer, PackageID: "PLATINUM"},
		"legacy":  {ID: "legacy", Kind: store.KindCustomer, PackageID: "LEGACY"},
		"rs":      {ID: "rs", Kind: store.KindReseller},
		"support": {ID: "support", Kind: store.KindVendor},
		"paused":  {ID: "paused", Kind: store.KindCustomer, PackageID: "PLATINUM", Suspended: true},
		"rspause": {ID: "rspause", Kind: store.KindReseller, Suspended: true},
	}
	pkgs := map[string]*store.Package{"PLATINUM": platinum, "LEGACY": legacy}
	member := func(org, status string, rs ...store.Role) *store.Membership {
		return &store.Membership{OrgID: org, Status: status, Roles: rs}
	}
	r := &Resolver{VendorOrgID: "support"}
	tests := []struct {
		name      string
		ms        []*store.Membership
		support   bool
		direct    []string
		resellers []string
	}{
		{"customer member", []*store.Membership{member("acme", store.StatusActive, role(store.RoleMember))}, false, []string{"acme"}, nil},
		{"ineligible package", []*store.Membership{member("legacy", store.StatusActive, role(store.RoleMember))}, false, nil, nil},
		{"pending", []*store.Membership{member("acme", store.StatusPending, role(store.RoleMember))}, false, nil, nil},
		{"disabled", []*store.Membership{member("acme", store.StatusDisabled, role(store.RoleMember))}, false, nil, nil},
		{"reseller member", []*store.Membership{member("rs", store.StatusActive, role(store.RoleMember))}, false, []string{"rs"}, []string{"rs"}},
		{"support agent", []*store.Membership{member("support", store.StatusActive, role(store.RoleSupportAgent))}, true, []string{"support"}, nil},
		{"vendor member without a support role", []*store.Membership{member("support", store.StatusActive, role(store.RoleMember))}, false, []string{"support"}, nil},
		{"suspended customer", []*store.Membership{member("paused", store.StatusActive, role(store.RoleOrgAdmin))}, false, nil, nil},
		{"suspended reseller", []*store.Membership{member("rspause", store.StatusActive, role(store.RoleMember))}, false, nil, nil},
		{"membership of a deleted organisation", []*store.Membership{member("gone", store.StatusActive, role(store.RoleMember))}, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rc := r.Reach(&AccessStatus{Memberships: tt.ms, Orgs: orgs, Packages: pkgs})
			var direct []string
			for _, o := range rc.Direct {
				direct = append(direct, o.ID)
			}
			if rc.Support != tt.support || !slices.Equal(direct, tt.direct) || !slices.Equal(rc.Resellers, tt.resellers) {
				t.Errorf("got support=%v direct=%v resellers=%v", rc.Support, direct, rc.Resellers)
			}
		})
	}
}

// A reseller member acts for the reseller's customers, unless their own
// membership in the customer decides (as Resolve does).
func TestReachResellerFor(t *testing.T) {
	t.Parallel()
	orgs := map[string]*store.Org{
		"rs":      {ID: "rs", Kind: store.KindReseller},
		"pending": {ID: "pending", Kind: store.KindCustomer, PackageID: "PLATINUM", ResellerID: "rs"},
	}
	st := &AccessStatus{Orgs: orgs, Packages: map[string]*store.Package{"PLATINUM": platinum}, Memberships: []*store.Membership{
		{OrgID: "rs", Status: store.StatusActive, Roles: roles(role(store.RoleMember))},
		{OrgID: "pending", Status: store.StatusPending, Roles: roles(role(store.RoleMember))},
	}}
	rc := (&Resolver{VendorOrgID: "support"}).Reach(st)
	tests := []struct {
		org  *store.Org
		want bool
	}{
		{&store.Org{ID: "c1", Kind: store.KindCustomer, ResellerID: "rs"}, true},
		{&store.Org{ID: "c2", Kind: store.KindCustomer, ResellerID: "other"}, false},
		{&store.Org{ID: "c3", Kind: store.KindCustomer}, false},
		{&store.Org{ID: "c4", Kind: store.KindCustomer, ResellerID: "rs", Suspended: true}, false},
		{&store.Org{ID: "r2", Kind: store.KindReseller, ResellerID: "rs"}, false},
		{orgs["pending"], false},
	}
	for _, tt := range tests {
		if got := rc.ResellerFor(tt.org); got != tt.want {
			t.Errorf("ResellerFor(%s) = %v, want %v", tt.org.ID, got, tt.want)
		}
	}
}
