package access

import (
	"reflect"
	"testing"

	"github.com/supportcenter/supportcenter/shared/store"
)

var rolesOrg = &store.Org{DisplayName: "Acme", ProductIDs: []string{"clouddb", "analytics"}}

func rl(role string, products ...string) store.Role {
	return store.Role{Role: role, ProductIDs: products}
}

func TestNormalizeRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []store.Role
		want []store.Role // nil = refused
	}{
		{"org admin", []store.Role{rl(store.RoleOrgAdmin)}, []store.Role{rl(store.RoleOrgAdmin)}},
		{"sorted and merged", []store.Role{rl(store.RoleViewer, "clouddb"), rl(store.RoleMember, "clouddb"), rl(store.RoleMember, "analytics", "clouddb")},
			[]store.Role{rl(store.RoleMember, "analytics", "clouddb"), rl(store.RoleViewer, "clouddb")}},
		{"org-wide wins", []store.Role{rl(store.RoleMember, "clouddb"), rl(store.RoleMember)}, []store.Role{rl(store.RoleMember)}},
		{"product admin", []store.Role{rl(store.RoleProductAdmin, "clouddb")}, []store.Role{rl(store.RoleProductAdmin, "clouddb")}},
		{"empty", nil, nil},
		{"unknown role", []store.Role{rl("OWNER")}, nil},
		{"support role", []store.Role{rl(store.RoleSupportAdmin)}, nil},
		{"scoped org admin", []store.Role{rl(store.RoleOrgAdmin, "clouddb")}, nil},
		{"unscoped product admin", []store.Role{rl(store.RoleProductAdmin)}, nil},
		{"product not bought", []store.Role{rl(store.RoleMember, "billing")}, nil},
	}
	for _, tc := range tests {
		got, err := NormalizeRoles(tc.in, rolesOrg)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: accepted as %v", tc.name, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestCheckProductAdminChange(t *testing.T) {
	t.Parallel()
	admin := []string{"clouddb"}
	tests := []struct {
		name     string
		old, new []store.Role
		ok       bool
	}{
		{"viewer to member on own product", []store.Role{rl(store.RoleViewer, "clouddb")}, []store.Role{rl(store.RoleMember, "clouddb")}, true},
		{"add viewer on own product beside org-wide member", []store.Role{rl(store.RoleMember)}, []store.Role{rl(store.RoleMember), rl(store.RoleViewer, "clouddb")}, true},
		{"make product admin of own product", []store.Role{rl(store.RoleMember, "clouddb")}, []store.Role{rl(store.RoleProductAdmin, "clouddb"), rl(store.RoleMember, "clouddb")}, true},
		{"unchanged other product kept", []store.Role{rl(store.RoleMember, "analytics"), rl(store.RoleViewer, "clouddb")}, []store.Role{rl(store.RoleMember, "analytics", "clouddb")}, true},
		{"grant org admin", []store.Role{rl(store.RoleMember)}, []store.Role{rl(store.RoleMember), rl(store.RoleOrgAdmin)}, false},
		{"revoke org admin", []store.Role{rl(store.RoleOrgAdmin), rl(store.RoleMember, "clouddb")}, []store.Role{rl(store.RoleMember, "clouddb")}, false},
		{"change org-wide role", []store.Role{rl(store.RoleMember)}, []store.Role{rl(store.RoleViewer)}, false},
		{"touch other product", []store.Role{rl(store.RoleMember, "clouddb")}, []store.Role{rl(store.RoleMember, "clouddb", "analytics")}, false},
		{"drop other product", []store.Role{rl(store.RoleMember, "clouddb", "analytics")}, []store.Role{rl(store.RoleMember, "clouddb")}, false},
	}
	for _, tc := range tests {
		err := CheckProductAdminChange(tc.old, tc.new, admin)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
