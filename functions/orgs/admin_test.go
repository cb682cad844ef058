package orgs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestCheckCreate(t *testing.T) {
	t.Parallel()
	customer := func(edit func(*CreateOrganizationRequest)) CreateOrganizationRequest {
		r := CreateOrganizationRequest{DisplayName: "Initrode", Kind: "CUSTOMER", Domains: []string{"Initrode.Example", "initrode.example"},
			PackageID: "GOLD", ProductIDs: []string{"clouddb", "clouddb"}, AdminEmails: []string{"Boss@initrode.example", "boss@initrode.example"}}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	n, err := checkCreate("initrode", "support", customer(nil))
	if err != nil {
		t.Fatal(err)
	}
	if n.org.ID != "initrode" || strings.Join(n.org.Domains, ",") != "initrode.example" || strings.Join(n.org.ProductIDs, ",") != "clouddb" ||
		strings.Join(n.admins, ",") != "boss@initrode.example" || n.org.Kind != store.KindCustomer {
		t.Fatalf("normalised %+v %v", n.org, n.admins)
	}
	if n, err := checkCreate("resl", "support", CreateOrganizationRequest{DisplayName: "R", Kind: "RESELLER",
		Domains: []string{"resl.example"}, AdminEmails: []string{"a@resl.example"}}); err != nil || n.org.PackageID != "" {
		t.Fatalf("reseller: %+v %v", n, err)
	}
	tests := []struct {
		name, id, field string
		req             CreateOrganizationRequest
	}{
		{"bad id", "Not_An_Id", "organizationId", customer(nil)},
		{"vendor id", "support", "organizationId", customer(nil)},
		{"no name", "x", "displayName", customer(func(r *CreateOrganizationRequest) { r.DisplayName = "a\u202eb" })},
		{"no kind", "x", "kind", customer(func(r *CreateOrganizationRequest) { r.Kind = "VENDOR" })},
		{"no domains", "x", "domains", customer(func(r *CreateOrganizationRequest) { r.Domains = nil })},
		{"bad domain", "x", "domains[1]", customer(func(r *CreateOrganizationRequest) { r.Domains = []string{"initrode.example", "no_domain"} })},
		{"no package", "x", "packageId", customer(func(r *CreateOrganizationRequest) { r.PackageID = "" })},
		{"bad product", "x", "productIds[0]", customer(func(r *CreateOrganizationRequest) { r.ProductIDs = []string{"a b"} })},
		{"reseller is self", "x", "resellerId", customer(func(r *CreateOrganizationRequest) { r.ResellerID = "x" })},
		{"no admin", "x", "adminEmails", customer(func(r *CreateOrganizationRequest) { r.AdminEmails = nil })},
		{"admin elsewhere", "x", "adminEmails[0]", customer(func(r *CreateOrganizationRequest) { r.AdminEmails = []string{"a@acme.example"} })},
		{"reseller with package", "x", "kind", CreateOrganizationRequest{DisplayName: "R", Kind: "RESELLER", PackageID: "GOLD",
			Domains: []string{"r.example"}, AdminEmails: []string{"a@r.example"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkCreate(tc.id, "support", tc.req)
			if err == nil {
				t.Fatal("accepted")
			}
			body, _ := json.Marshal(apierror.From(err).Details)
			if apierror.From(err).HTTPStatus != 400 || !strings.Contains(string(body), `"`+tc.field+`"`) {
				t.Fatalf("%v: %s, want a violation of %s", err, body, tc.field)
			}
		})
	}
}

func TestApplyPatchRecordsOldAndNew(t *testing.T) {
	t.Parallel()
	o := &store.Org{ID: "acme", DisplayName: "Acme", Kind: store.KindCustomer, Domains: []string{"acme.example"}}
	e, err := applyPatch(nil, o, []string{maskDisplayName, maskDomains}, store.Org{DisplayName: "Acme Inc", Domains: []string{"acme.example", "acme.test"}}, "lead@support.example")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"displayName": "Acme Inc", "previousDisplayName": "Acme", "domains": "acme.example,acme.test", "previousDomains": "acme.example"}
	for k, v := range want {
		if e.Details[k] != v {
			t.Errorf("details[%s] = %q, want %q (%v)", k, e.Details[k], v, e.Details)
		}
	}
	if e.Action != store.AuditOrgUpdate || e.Target != wire.OrgName("acme") || o.DisplayName != "Acme Inc" {
		t.Fatalf("entry %+v, org %+v", e, o)
	}
	// The same values again: nothing to write.
	if e, err := applyPatch(nil, o, []string{maskDisplayName}, store.Org{DisplayName: "Acme Inc"}, "x"); e != nil || err != nil {
		t.Fatalf("no change: %+v %v", e, err)
	}
	// A reseller has no package.
	r := &store.Org{ID: "r", Kind: store.KindReseller}
	if _, err := applyPatch(nil, r, []string{maskPackageID}, store.Org{PackageID: "GOLD"}, "x"); apierror.From(err).HTTPStatus != 400 {
		t.Fatalf("reseller package: %v", err)
	}
}

// FuzzCreateOrganizationRequest: any body decodes and validates without
// panicking, and what is accepted is normalised: lower-case unique
// domains, admins at those domains, a customer with a package.
func FuzzCreateOrganizationRequest(f *testing.F) {
	f.Add("acme", `{"displayName":"Acme","kind":"CUSTOMER","domains":["acme.example"],"packageId":"GOLD","productIds":["clouddb"],"adminEmails":["a@acme.example"]}`)
	f.Add("r", `{"displayName":"R","kind":"RESELLER","domains":["R.example","r.example"],"adminEmails":["A@R.EXAMPLE"]}`)
	f.Add("x", `{"kind":"CUSTOMER","domains":[""],"adminEmails":["@"]}`)
	f.Fuzz(func(t *testing.T, id, body string) {
		var in CreateOrganizationRequest
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			return
		}
		n, err := checkCreate(id, "support", in)
		if err != nil {
			if apierror.From(err).HTTPStatus != 400 {
				t.Fatalf("refusal %v is not INVALID_ARGUMENT", err)
			}
			return
		}
		if !wire.ValidOrgID(n.org.ID) || len(n.org.Domains) == 0 || len(n.admins) == 0 {
			t.Fatalf("accepted %+v", n)
		}
		seen := map[string]bool{}
		for _, d := range n.org.Domains {
			if d != strings.ToLower(d) || seen[d] {
				t.Fatalf("domains %v", n.org.Domains)
			}
			seen[d] = true
		}
		for _, a := range n.admins {
			_, domain, _ := strings.Cut(a, "@")
			if !seen[domain] {
				t.Fatalf("admin %s outside %v", a, n.org.Domains)
			}
		}
		if n.org.Kind == store.KindCustomer && n.org.PackageID == "" {
			t.Fatal("a customer without a package")
		}
	})
}
