package sso

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// FuzzUpdate feeds arbitrary PATCH bodies and masks through the decoder,
// the mask and the update rule: no panic, and whatever is accepted is a
// consistent configuration.
func FuzzUpdate(f *testing.F) {
	f.Add(`{"oidc":{"issuer":"https://idp.example","clientId":"c"},"ssoRequired":true}`, "")
	f.Add(`{"saml":{"idpEntityId":"urn:x","ssoUrl":"https://x.example","x509Certificates":["x"]}}`, "saml")
	f.Add(`{"displayName":"Acme","name":"organizations/acme/ssoConfig","type":"OIDC"}`, "displayName,ssoRequired")
	f.Add(`{"ssoRequired":null,"oidc":null}`, "oidc")
	f.Fuzz(func(t *testing.T, body, mask string) {
		r := httptest.NewRequest("PATCH", "/v2/organizations/acme/ssoConfig", strings.NewReader(body))
		var req UpdateRequest
		if err := httpapi.DecodeJSON(r, &req); err != nil {
			return
		}
		m, err := parseMask(mask, &req)
		if err != nil {
			return
		}
		cur := &store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: "oidc.org-acme", Issuer: "https://i.example", ClientID: "c"}
		for _, c := range []*store.SSOConfig{nil, cur} {
			ch, err := apply("acme", c, &req, m, "p.firebaseapp.com")
			if err != nil {
				continue
			}
			n := ch.next
			if n == nil {
				continue
			}
			switch {
			case n.Type == store.SSOTypeOIDC && (n.ProviderID != "oidc.org-acme" || !strings.HasPrefix(n.Issuer, "https://") || n.ClientID == ""):
				t.Fatalf("inconsistent OIDC configuration %+v", n)
			case n.Type == store.SSOTypeSAML && (n.ProviderID != "saml.org-acme" || len(n.Certificates) == 0 || n.Issuer != ""):
				t.Fatalf("inconsistent SAML configuration %+v", n)
			case n.Type != store.SSOTypeOIDC && n.Type != store.SSOTypeSAML:
				t.Fatalf("configuration without a provider type: %+v", n)
			}
		}
	})
}

// FuzzEmailDomain: any query value either is refused or gives a lower-case
// DNS name with a dot.
func FuzzEmailDomain(f *testing.F) {
	for _, s := range []string{"a@acme.example", "", "@", "a@b@c", "a@x..y", "A@B.C"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := emailDomain(s)
		if err != nil {
			return
		}
		if d != strings.ToLower(d) || !strings.Contains(d, ".") || strings.ContainsAny(d, "@ ") {
			t.Fatalf("emailDomain(%q) = %q", s, d)
		}
	})
}
