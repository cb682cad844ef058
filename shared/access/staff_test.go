package access

import (
	"testing"

	"github.com/supportcenter/supportcenter/shared/store"
)

// vendorOrg is the support team's own organisation.
var vendorOrg = &store.Org{ID: "support", DisplayName: "Support team", Kind: store.KindVendor}

// TestStaffAdministration: on the vendor organisation only support admins
// manage users (and so grant the support roles); support staff never
// manage a customer's users; a vendor org admin without a staff role
// manages nobody; answering access requests is any staff member's, except
// into the vendor organisation.
func TestStaffAdministration(t *testing.T) {
	t.Parallel()
	onVendor := func(a *Actor) *Actor { a.Org, a.Package = vendorOrg, nil; return a }
	vendorOrgAdmin := customerActor(role(store.RoleOrgAdmin))
	onVendor(vendorOrgAdmin)
	tests := map[string]struct {
		actor                     *Actor
		manage, answer            int
		managesStaff, administers bool
		administered              []string
	}{
		"support admin on vendor":    {onVendor(supportActor(role(store.RoleSupportAdmin))), ok, ok, true, true, nil},
		"support agent on vendor":    {onVendor(supportActor(role(store.RoleSupportAgent))), no, no, false, false, []string{}},
		"support admin on customer":  {supportActor(role(store.RoleSupportAdmin)), no, ok, false, false, []string{}},
		"support agent on customer":  {supportActor(role(store.RoleSupportAgent)), no, ok, false, false, []string{}},
		"vendor org admin, no staff": {vendorOrgAdmin, no, no, false, true, nil},
		"customer org admin":         {customerActor(role(store.RoleOrgAdmin)), ok, no, false, true, nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := statusOf(tt.actor.Check(UsersManage)); got != tt.manage {
				t.Errorf("Check(UsersManage) = %d, want %d", got, tt.manage)
			}
			if got := statusOf(tt.actor.Check(AccessRequestsAnswer)); got != tt.answer {
				t.Errorf("Check(AccessRequestsAnswer) = %d, want %d", got, tt.answer)
			}
			if got := tt.actor.ManagesStaff(); got != tt.managesStaff {
				t.Errorf("ManagesStaff() = %v", got)
			}
			if got := tt.actor.AdministersUsers(); got != tt.administers {
				t.Errorf("AdministersUsers() = %v", got)
			}
			if got := tt.actor.AdministeredProducts(); !sameScope(got, tt.administered) {
				t.Errorf("AdministeredProducts() = %#v, want %#v", got, tt.administered)
			}
		})
	}
}

// TestAccessReviewRead: a customer's org admins and support staff read the
// review; members, product admins and resellers do not.
func TestAccessReviewRead(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{"org admin": true, "support agent": true, "support admin": true, "support admin only": true}
	for name, a := range actors() {
		want := no
		if allowed[name] {
			want = ok
		}
		if got := statusOf(a.Check(AccessReviewRead)); got != want {
			t.Errorf("%s: Check(AccessReviewRead) = %d, want %d", name, got, want)
		}
	}
}
