package users

import (
	"reflect"
	"testing"

	"github.com/supportcenter/supportcenter/shared/store"
)

var rolesOrg = &store.Org{DisplayName: "Acme", ProductIDs: []string{"clouddb", "analytics"}}

func r(role string, products ...string) store.Role {
	return store.Role{Role: role, ProductIDs: products}
}

func TestNormalizeRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []store.Role
		want []store.Role // nil = refused
	}{
		{"org admin", []store.Role{r(store.RoleOrgAdmin)}, []store.Role{r(store.RoleOrgAdmin)}},
		{"sorted and merged", []store.Role{r(store.RoleViewer, "clouddb"), r(store.RoleMember, "clouddb"), r(store.RoleMember, "analytics", "clouddb")},
			[]store.Role{r(store.RoleMember, "analytics", "clouddb"), r(store.RoleViewer, "clouddb")}},
		{"org-wide wins", []store.Role{r(store.RoleMember, "clouddb"), r(store.RoleMember)}, []store.Role{r(store.RoleMember)}},
		{"product admin", []store.Role{r(store.RoleProductAdmin, "clouddb")}, []store.Role{r(store.RoleProductAdmin, "clouddb")}},
		{"empty", nil, nil},
		{"unknown role", []store.Role{r("OWNER")}, nil},
		{"support role", []store.Role{r(store.RoleSupportAdmin)}, nil},
		{"scoped org admin", []store.Role{r(store.RoleOrgAdmin, "clouddb")}, nil},
		{"unscoped product admin", []store.Role{r(store.RoleProductAdmin)}, nil},
		{"product not bought", []store.Role{r(store.RoleMember, "billing")}, nil},
	}
	for _, tc := range tests {
		got, err := normalizeRoles(tc.in, rolesOrg)
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
		{"viewer to member on own product", []store.Role{r(store.RoleViewer, "clouddb")}, []store.Role{r(store.RoleMember, "clouddb")}, true},
		{"add viewer on own product beside org-wide member", []store.Role{r(store.RoleMember)}, []store.Role{r(store.RoleMember), r(store.RoleViewer, "clouddb")}, true},
		{"make product admin of own product", []store.Role{r(store.RoleMember, "clouddb")}, []store.Role{r(store.RoleProductAdmin, "clouddb"), r(store.RoleMember, "clouddb")}, true},
		{"unchanged other product kept", []store.Role{r(store.RoleMember, "analytics"), r(store.RoleViewer, "clouddb")}, []store.Role{r(store.RoleMember, "analytics", "clouddb")}, true},
		{"grant org admin", []store.Role{r(store.RoleMember)}, []store.Role{r(store.RoleMember), r(store.RoleOrgAdmin)}, false},
		{"revoke org admin", []store.Role{r(store.RoleOrgAdmin), r(store.RoleMember, "clouddb")}, []store.Role{r(store.RoleMember, "clouddb")}, false},
		{"change org-wide role", []store.Role{r(store.RoleMember)}, []store.Role{r(store.RoleViewer)}, false},
		{"touch other product", []store.Role{r(store.RoleMember, "clouddb")}, []store.Role{r(store.RoleMember, "clouddb", "analytics")}, false},
		{"drop other product", []store.Role{r(store.RoleMember, "clouddb", "analytics")}, []store.Role{r(store.RoleMember, "clouddb")}, false},
	}
	for _, tc := range tests {
		err := checkProductAdminChange(tc.old, tc.new, admin)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
