package access

import (
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
	"google.golang.org/grpc/codes"
)

func TestEntitledKeysAndCheckRead(t *testing.T) {
	t.Parallel()
	e := &Entitled{via: map[string]Via{}}
	e.add(&store.Org{ID: "acme", PackageID: "PLATINUM", ProductIDs: []string{"clouddb", "analytics"}}, Via{OrgID: "acme"})
	e.add(&store.Org{ID: "beta", PackageID: "GOLD", ProductIDs: []string{"clouddb"}}, Via{OrgID: "beta", ViaOrgID: "resellco"})
	e.add(&store.Org{ID: "nopkg", ProductIDs: []string{"clouddb"}}, Via{OrgID: "nopkg"})

	if got, want := e.Keys(""), []string{"GOLD/clouddb", "PLATINUM/analytics", "PLATINUM/clouddb"}; !equal(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
	if got, want := e.Keys("analytics"), []string{"PLATINUM/analytics"}; !equal(got, want) {
		t.Errorf("Keys(analytics) = %v, want %v", got, want)
	}
	if got := e.Keys("db"); got == nil || len(got) != 0 {
		t.Errorf("Keys(db) = %#v, want empty, not nil (no product matches by suffix alone)", got)
	}
	tests := []struct {
		name string
		ref  ResourceRef
		via  Via
		code codes.Code
	}{
		{"platinum clouddb", ResourceRef{ProductIDs: []string{"clouddb"}, PackageIDs: []string{"PLATINUM"}, Ready: true}, Via{OrgID: "acme"}, codes.OK},
		{"gold through the reseller", ResourceRef{ProductIDs: []string{"clouddb"}, PackageIDs: []string{"GOLD"}, Ready: true},
			Via{OrgID: "beta", ViaOrgID: "resellco"}, codes.OK},
		{"both: the first organisation by id", ResourceRef{ProductIDs: []string{"clouddb"}, PackageIDs: []string{"GOLD", "PLATINUM"}, Ready: true},
			Via{OrgID: "acme"}, codes.OK},
		{"silver only", ResourceRef{ProductIDs: []string{"clouddb"}, PackageIDs: []string{"SILVER"}, Ready: true}, Via{}, codes.NotFound},
		{"product not bought", ResourceRef{ProductIDs: []string{"analytics"}, PackageIDs: []string{"GOLD"}, Ready: true}, Via{}, codes.NotFound},
		{"not ready", ResourceRef{ProductIDs: []string{"clouddb"}, PackageIDs: []string{"PLATINUM"}}, Via{}, codes.NotFound},
	}
	for _, tc := range tests {
		via, err := e.CheckRead(tc.ref)
		if codeOf(err) != tc.code || via != tc.via {
			t.Errorf("%s: %+v %v", tc.name, via, err)
		}
	}
	staff := &Entitled{Support: true, vendor: "support"}
	if staff.Keys("clouddb") != nil {
		t.Error("support staff keys should be nil (no restriction)")
	}
	if via, err := staff.CheckRead(ResourceRef{}); err != nil || via.OrgID != "support" {
		t.Errorf("staff: %+v %v", via, err)
	}
	if err := (&Entitled{}).CheckSupport(ResourcesPublish); codeOf(err) != codes.PermissionDenied {
		t.Errorf("customer CheckSupport: %v", err)
	}
	agent := &Entitled{Support: true, Staff: &Actor{Capacity: Support, Membership: &store.Membership{Roles: []store.Role{{Role: store.RoleSupportAgent}}}}}
	if err := agent.CheckSupport(ResourcesPublish); err == nil {
		t.Error("an agent may not publish")
	}
	if err := agent.CheckSupport(FeedbackTriage); err != nil {
		t.Errorf("an agent may triage feedback: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func codeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	return apierror.From(err).Code
}
