package access

import (
	"testing"

	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestProviderID(t *testing.T) {
	t.Parallel()
	for typ, want := range map[string]string{store.SSOTypeOIDC: "oidc.org-acme", store.SSOTypeSAML: "saml.org-acme"} {
		if got := ProviderID(typ, "acme"); got != want {
			t.Errorf("ProviderID(%s) = %q, want %q", typ, got, want)
		}
	}
}

func TestSignInCause(t *testing.T) {
	t.Parallel()
	oidc := ProviderID(store.SSOTypeOIDC, "acme")
	org := func(sso *store.SSOConfig, kind string) *store.Org {
		return &store.Org{ID: "acme", Kind: kind, Domains: []string{"acme.example"}, SSO: sso}
	}
	optional := &store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: oidc}
	required := &store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: oidc, Required: true}
	tests := []struct {
		name, provider, email string
		org                   *store.Org
		want                  string
	}{
		{"password, no SSO", "password", "a@acme.example", org(nil, store.KindCustomer), ""},
		{"password, SSO optional", "password", "a@acme.example", org(optional, store.KindCustomer), ""},
		{"password, SSO required", "password", "a@acme.example", org(required, store.KindCustomer), CauseSSORequired},
		{"google, SSO required", "google.com", "a@acme.example", org(required, store.KindCustomer), CauseSSORequired},
		{"e-mail outside the domains, SSO required", "password", "a@elsewhere.example", org(required, store.KindCustomer), ""},
		{"own provider, SSO required", oidc, "a@acme.example", org(required, store.KindCustomer), ""},
		{"own provider, SSO optional", oidc, "a@acme.example", org(optional, store.KindCustomer), ""},
		{"own provider asserting a foreign address", oidc, "a@elsewhere.example", org(optional, store.KindCustomer), CauseNotAMember},
		{"another organisation's provider", "oidc.org-globex", "a@acme.example", org(optional, store.KindCustomer), CauseNotAMember},
		{"another provider, SSO required", "saml.org-acme", "a@acme.example", org(required, store.KindCustomer), CauseSSORequired},
		{"provider removed", oidc, "a@acme.example", org(nil, store.KindCustomer), CauseNotAMember},
		{"hand-made provider", "oidc.okta", "a@acme.example", org(optional, store.KindCustomer), CauseNotAMember},
		{"federated token on a reseller", oidc, "a@acme.example", org(optional, store.KindReseller), CauseNotAMember},
		{"password on a vendor org with a stray config", "password", "a@acme.example", org(required, store.KindVendor), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := &auth.Identity{UID: "u", Email: tc.email, EmailVerified: true, Provider: tc.provider}
			if got := signInCause(id, tc.org); got != tc.want {
				t.Fatalf("signInCause = %q, want %q", got, tc.want)
			}
		})
	}
}
