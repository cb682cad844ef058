package sso

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
	"google.golang.org/grpc/codes"
)

// TestCertificate returns a self-signed PEM certificate (an IdP's signing
// certificate in tests).
func testCertificate(t testing.TB) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func ptr[T any](v T) *T { return &v }

func TestApply(t *testing.T) {
	t.Parallel()
	cert := testCertificate(t)
	oidcCur := &store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: "oidc.org-acme", Issuer: "https://idp.acme.example",
		ClientID: "cid", Registered: true, Required: true, DisplayName: "Acme"}
	oidc := &OIDCConfig{Issuer: "https://login.acme.example", ClientID: "c1"}
	saml := &SAMLConfig{IDPEntityID: "urn:acme", SSOURL: "https://idp.acme.example/sso", X509Certificates: []string{cert}}
	tests := []struct {
		name     string
		cur      *store.SSOConfig
		req      UpdateRequest
		mask     string
		want     *store.SSOConfig
		register bool
		code     codes.Code
	}{
		{"new OIDC", nil, UpdateRequest{OIDC: oidc}, "",
			&store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: "oidc.org-acme", Issuer: oidc.Issuer, ClientID: "c1"}, true, codes.OK},
		{"new OIDC with a secret, required", nil, UpdateRequest{OIDC: &OIDCConfig{Issuer: oidc.Issuer, ClientID: "c1", ClientSecret: "s"}, SSORequired: ptr(true)}, "",
			&store.SSOConfig{Type: store.SSOTypeOIDC, ProviderID: "oidc.org-acme", Issuer: oidc.Issuer, ClientID: "c1", CodeFlow: true, Required: true}, true, codes.OK},
		{"OIDC to SAML keeps name and policy", oidcCur, UpdateRequest{SAML: saml}, "saml",
			&store.SSOConfig{Type: store.SSOTypeSAML, ProviderID: "saml.org-acme", IDPEntityID: "urn:acme", SSOURL: saml.SSOURL,
				Certificates: []string{cert}, SPEntityID: "https://p.firebaseapp.com/sso/acme",
				CallbackURI: "https://p.firebaseapp.com/__/auth/handler", Required: true, DisplayName: "Acme"}, true, codes.OK},
		{"only the policy", oidcCur, UpdateRequest{SSORequired: ptr(false)}, "",
			func() *store.SSOConfig { c := *oidcCur; c.Required = false; return &c }(), false, codes.OK},
		{"display name re-registers", oidcCur, UpdateRequest{DisplayName: ptr(" Acme SSO ")}, "displayName",
			func() *store.SSOConfig { c := *oidcCur; c.DisplayName = "Acme SSO"; return &c }(), true, codes.OK},
		{"remove the provider and the policy", oidcCur, UpdateRequest{SSORequired: ptr(false)}, "oidc,ssoRequired", nil, false, codes.OK},
		{"remove the provider, policy left required", oidcCur, UpdateRequest{}, "oidc", nil, false, codes.FailedPrecondition},
		{"naming saml leaves an OIDC provider", oidcCur, UpdateRequest{}, "saml", oidcCur, false, codes.OK},
		{"required without a provider", nil, UpdateRequest{SSORequired: ptr(true)}, "", nil, false, codes.FailedPrecondition},
		{"both types", nil, UpdateRequest{OIDC: oidc, SAML: saml}, "", nil, false, codes.InvalidArgument},
		{"nothing", nil, UpdateRequest{}, "", nil, false, codes.InvalidArgument},
		{"unknown mask path", nil, UpdateRequest{OIDC: oidc}, "oidc,providerId", nil, false, codes.InvalidArgument},
		{"http issuer", nil, UpdateRequest{OIDC: &OIDCConfig{Issuer: "http://idp.example", ClientID: "c"}}, "", nil, false, codes.InvalidArgument},
		{"no client id", nil, UpdateRequest{OIDC: &OIDCConfig{Issuer: "https://idp.example"}}, "", nil, false, codes.InvalidArgument},
		{"client id with a space", nil, UpdateRequest{OIDC: &OIDCConfig{Issuer: "https://idp.example", ClientID: "a b"}}, "", nil, false, codes.InvalidArgument},
		{"no certificate", nil, UpdateRequest{SAML: &SAMLConfig{IDPEntityID: "urn:x", SSOURL: "https://x.example"}}, "", nil, false, codes.InvalidArgument},
		{"not a certificate", nil, UpdateRequest{SAML: &SAMLConfig{IDPEntityID: "urn:x", SSOURL: "https://x.example",
			X509Certificates: []string{"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}}}, "", nil, false, codes.InvalidArgument},
		{"two PEM blocks in one", nil, UpdateRequest{SAML: &SAMLConfig{IDPEntityID: "urn:x", SSOURL: "https://x.example",
			X509Certificates: []string{cert + cert}}}, "", nil, false, codes.InvalidArgument},
		{"display name with a control character", oidcCur, UpdateRequest{DisplayName: ptr("a\u202eb")}, "", nil, false, codes.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := tc.req
			mask, err := parseMask(tc.mask, &req)
			var ch change
			if err == nil {
				ch, err = apply("acme", tc.cur, &req, mask, "p.firebaseapp.com")
			}
			if got := apierror.CodeOf(err); got != tc.code {
				t.Fatalf("code %v (%v), want %v", got, err, tc.code)
			}
			if err != nil {
				return
			}
			if !sameConfig(ch.next, tc.want) || ch.register != tc.register {
				t.Fatalf("next %+v register %v, want %+v register %v", ch.next, ch.register, tc.want, tc.register)
			}
			if ch.next != nil && ch.next.ProviderID != strings.ToLower(ch.next.Type)+".org-acme" {
				t.Fatalf("provider id %q for %s", ch.next.ProviderID, ch.next.Type)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	cfg := &store.SSOConfig{Type: store.SSOTypeSAML, ProviderID: "saml.org-acme", DisplayName: "Acme"}
	req := *cfg
	req.Required = true
	tests := map[string]struct {
		c    *store.SSOConfig
		want []string
	}{
		"none":     {nil, []string{"PASSWORD"}},
		"optional": {cfg, []string{"SAML saml.org-acme", "PASSWORD"}},
		"required": {&req, []string{"SAML saml.org-acme"}},
	}
	for name, tc := range tests {
		var got []string
		for _, p := range options(tc.c).Providers {
			got = append(got, strings.TrimSpace(p.Type+" "+p.ProviderID))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}

func TestEmailDomain(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"a@Acme.Example": "acme.example", " b.c+d@x-y.example ": "x-y.example",
		"": "", "no-at": "", "@acme.example": "", "a@b@c.example": "", "a@localhost": "", "a@-x.example": "",
		"a@x..example": "", "a@x_y.example": "", "a@" + strings.Repeat("x", 64) + ".example": "", "a@ex\u00e4mple.com": ""} {
		got, err := emailDomain(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("emailDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestClientAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ xff, remote, want string }{
		{"", "192.0.2.1:5000", "192.0.2.1"},
		{"198.51.100.7", "127.0.0.1:1", "198.51.100.7"},
		{"198.51.100.7, 35.1.2.3", "127.0.0.1:1", "198.51.100.7"},
		{"6.6.6.6, 198.51.100.7, 35.1.2.3", "127.0.0.1:1", "198.51.100.7"},
	} {
		r := httptest.NewRequest("GET", "/v2/signInOptions", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientAddress(r); got != tc.want {
			t.Errorf("XFF %q: %q, want %q", tc.xff, got, tc.want)
		}
	}
}
