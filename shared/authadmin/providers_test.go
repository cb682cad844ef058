package authadmin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// configServer is a fake admin v2 API: it records every request and
// answers GETs of existing configurations 200, others 404
// CONFIGURATION_NOT_FOUND; fail, when set, answers everything with it.
type configServer struct {
	mu       sync.Mutex
	existing map[string]bool
	fail     int
	calls    []string
	bodies   []map[string]any
}

func (f *configServer) start(t *testing.T) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls = append(f.calls, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		var body map[string]any
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		f.bodies = append(f.bodies, body)
		switch {
		case f.fail != 0:
			w.WriteHeader(f.fail)
			_, _ = io.WriteString(w, `{"error":{"code":501,"message":"identitytoolkit.projects.oauthIdpConfigs.get is not implemented in the Auth Emulator."}}`)
		case (r.Method == http.MethodGet || r.Method == http.MethodDelete) && !f.existing[r.URL.Path]:
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"code":404,"message":"CONFIGURATION_NOT_FOUND"}}`)
		default:
			_, _ = io.WriteString(w, `{"name":"x"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return client(t, srv.URL)
}

func TestPutProviders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	oidc := OIDCProvider{DisplayName: "Acme", Issuer: "https://idp.acme.example", ClientID: "cid"}
	saml := SAMLProvider{DisplayName: "Acme", IDPEntityID: "urn:acme", SSOURL: "https://idp.acme.example/sso",
		Certificates: []string{"PEM"}, SPEntityID: "urn:sp", CallbackURI: "https://p.firebaseapp.com/__/auth/handler"}
	tests := map[string]struct {
		put       func(c *Client) error
		existing  string
		wantCalls []string
		check     func(t *testing.T, body map[string]any)
	}{
		"OIDC create": {func(c *Client) error { return c.PutOIDCProvider(ctx, "oidc.org-acme", oidc) }, "",
			[]string{"GET /v2/projects/p/oauthIdpConfigs/oidc.org-acme?", "POST /v2/projects/p/oauthIdpConfigs?oauthIdpConfigId=oidc.org-acme"},
			func(t *testing.T, b map[string]any) {
				rt, _ := b["responseType"].(map[string]any)
				if b["issuer"] != oidc.Issuer || b["clientId"] != "cid" || b["enabled"] != true || rt["idToken"] != true || rt["code"] != false {
					t.Errorf("body %v", b)
				}
			}},
		"OIDC update with a secret": {func(c *Client) error {
			p := oidc
			p.ClientSecret = "s3cret"
			return c.PutOIDCProvider(ctx, "oidc.org-acme", p)
		}, "/v2/projects/p/oauthIdpConfigs/oidc.org-acme",
			[]string{"GET /v2/projects/p/oauthIdpConfigs/oidc.org-acme?", "PATCH /v2/projects/p/oauthIdpConfigs/oidc.org-acme?updateMask=" +
				"displayName%2Cenabled%2CclientId%2Cissuer%2CclientSecret%2CresponseType.idToken%2CresponseType.code"},
			func(t *testing.T, b map[string]any) {
				rt, _ := b["responseType"].(map[string]any)
				if b["clientSecret"] != "s3cret" || rt["code"] != true || rt["idToken"] != false {
					t.Errorf("body %v", b)
				}
			}},
		"SAML create": {func(c *Client) error { return c.PutSAMLProvider(ctx, "saml.org-acme", saml) }, "",
			[]string{"GET /v2/projects/p/inboundSamlConfigs/saml.org-acme?", "POST /v2/projects/p/inboundSamlConfigs?inboundSamlConfigId=saml.org-acme"},
			func(t *testing.T, b map[string]any) {
				idp, _ := b["idpConfig"].(map[string]any)
				sp, _ := b["spConfig"].(map[string]any)
				certs, _ := idp["idpCertificates"].([]any)
				if idp["idpEntityId"] != "urn:acme" || idp["ssoUrl"] != saml.SSOURL || len(certs) != 1 ||
					sp["spEntityId"] != "urn:sp" || sp["callbackUri"] != saml.CallbackURI {
					t.Errorf("body %v", b)
				}
			}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := &configServer{existing: map[string]bool{tc.existing: true}}
			if err := tc.put(f.start(t)); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.calls, tc.wantCalls) {
				t.Fatalf("calls %q, want %q", f.calls, tc.wantCalls)
			}
			tc.check(t, f.bodies[len(f.bodies)-1])
		})
	}
}

func TestDeleteProvider(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := &configServer{existing: map[string]bool{"/v2/projects/p/inboundSamlConfigs/saml.org-acme": true}}
	c := f.start(t)
	if err := c.DeleteProvider(ctx, "saml.org-acme"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteProvider(ctx, "oidc.org-gone"); err != nil {
		t.Fatalf("missing provider: %v, want nil", err)
	}
	want := []string{"DELETE /v2/projects/p/inboundSamlConfigs/saml.org-acme?", "DELETE /v2/projects/p/oauthIdpConfigs/oidc.org-gone?"}
	if !slices.Equal(f.calls, want) {
		t.Fatalf("calls %q, want %q", f.calls, want)
	}
	for _, id := range []string{"google.com", "password", ""} {
		if err := c.DeleteProvider(ctx, id); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("DeleteProvider(%q) = %v, want ErrInvalidArgument", id, err)
		}
	}
	if err := c.PutOIDCProvider(ctx, "saml.x", OIDCProvider{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("OIDC under a SAML id: %v", err)
	}
	if err := c.PutSAMLProvider(ctx, "oidc.x", SAMLProvider{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("SAML under an OIDC id: %v", err)
	}
}

func TestProvidersUnimplemented(t *testing.T) {
	t.Parallel()
	f := &configServer{fail: http.StatusNotImplemented}
	c := f.start(t)
	if err := c.PutOIDCProvider(context.Background(), "oidc.org-acme", OIDCProvider{}); !errors.Is(err, ErrUnimplemented) {
		t.Fatalf("501: %v, want ErrUnimplemented", err)
	}
	if err := c.DeleteProvider(context.Background(), "oidc.org-acme"); !errors.Is(err, ErrUnimplemented) || errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("501: %v, want ErrUnimplemented only", err)
	}
}
