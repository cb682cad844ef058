//go:build integration

package sso_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// idpCertificate is a self-signed PEM certificate standing for a SAML
// identity provider's signing certificate.
func idpCertificate(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

type ssoConfig struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	ProviderID  string `json:"providerId"`
	SSORequired bool   `json:"ssoRequired"`
	Registered  bool   `json:"registered"`
	SAML        *struct {
		SPEntityID  string `json:"spEntityId"`
		CallbackURI string `json:"callbackUri"`
	} `json:"saml"`
}

// providers is GET /v2/signInOptions for email, without a token, as
// "TYPE providerId" strings, and the raw body.
func providers(t *testing.T, env *testenv.Env, email string) ([]string, string) {
	t.Helper()
	r := env.Do(t, "GET", "/v2/signInOptions?email="+url.QueryEscape(email), "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("signInOptions %s: %d %s", email, r.Status, r.Body)
	}
	var out struct {
		Providers []struct{ Type, ProviderID string }
	}
	r.JSON(t, &out)
	var got []string
	for _, p := range out.Providers {
		got = append(got, strings.TrimSpace(p.Type+" "+p.ProviderID))
	}
	return got, string(r.Body)
}

// cause is the ACCESS_REQUIRED cause of a 403 body ("" if none).
func cause(r testenv.Response) string {
	var body struct {
		Error struct {
			Details []struct {
				Reason   string            `json:"reason"`
				Metadata map[string]string `json:"metadata"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &body)
	for _, d := range body.Error.Details {
		if d.Reason == "ACCESS_REQUIRED" {
			return d.Metadata["cause"]
		}
	}
	return ""
}

// TestSingleSignOnEndToEnd runs the whole story through the gateway with
// real Auth-emulator tokens, once with an OIDC and once with a SAML
// provider: a support admin gives a customer its identity provider; the
// public sign-in options name it; members sign in with it (the emulator's
// signInWithIdp) and with their password while SSO is optional; once SSO is
// required a password token gets ACCESS_REQUIRED SSO_REQUIRED on every
// route and in /v2/me, while the provider's token works; another
// organisation's provider and this provider asserting a support address
// act for nobody; removing the provider restores passwords and retires its
// tokens; every change is in the audit log.
func TestSingleSignOnEndToEnd(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	lead := env.Token(t, "lead@support.example")
	cert := idpCertificate(t)
	tests := map[string]map[string]any{
		"OIDC": {"oidc": map[string]any{"issuer": "https://login.idp.example", "clientId": "support-center"}},
		"SAML": {"saml": map[string]any{"idpEntityId": "urn:idp.example", "ssoUrl": "https://idp.example/sso",
			"x509Certificates": []string{cert}}},
	}
	for typ, provider := range tests {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			c := env.NewCustomer(t, "PLATINUM", "clouddb")
			admin, member := c.Email("admin"), c.Email("member")
			env.AddUser(t, c.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
			env.AddUser(t, c.OrgID, member, store.StatusActive, store.Role{Role: store.RoleMember})
			// A fresh support admin, so the hostile sign-in below links to
			// an account no other test uses.
			staff := testenv.UniqueID("staff") + "@support.example"
			env.AddUser(t, "support", staff, store.StatusActive, store.Role{Role: store.RoleSupportAdmin})
			cfgPath := "/v2/organizations/" + c.OrgID + "/ssoConfig"
			orgPath := "/v2/organizations/" + c.OrgID

			// Before: password only, the same bytes as a domain nobody owns.
			got, before := providers(t, env, member)
			_, unknown := providers(t, env, "someone@"+testenv.UniqueID("nowhere")+".example")
			if !slices.Equal(got, []string{"PASSWORD"}) || before != unknown {
				t.Fatalf("before SSO: %q (%s), unknown domain %s", got, before, unknown)
			}

			// A support admin gives the customer its provider (optional).
			r := env.Do(t, "PATCH", cfgPath, lead, provider)
			var cfg ssoConfig
			r.JSON(t, &cfg)
			wantID := strings.ToLower(typ) + ".org-" + c.OrgID
			if r.Status != http.StatusOK || cfg.Type != typ || cfg.ProviderID != wantID || cfg.SSORequired || cfg.Registered {
				t.Fatalf("PATCH %s: %d %s", typ, r.Status, r.Body)
			}
			if typ == "SAML" && (cfg.SAML == nil || !strings.HasSuffix(cfg.SAML.CallbackURI, "/__/auth/handler") || cfg.SAML.SPEntityID == "") {
				t.Fatalf("SAML service-provider settings missing: %s", r.Body)
			}
			if got, _ := providers(t, env, member); !slices.Equal(got, []string{typ + " " + wantID, "PASSWORD"}) {
				t.Fatalf("optional SSO: %q", got)
			}
			password := env.Token(t, member)
			idp := env.IDPToken(t, wantID, member)
			for name, tok := range map[string]string{"password": password, "provider": idp} {
				if r := env.Do(t, "GET", orgPath, tok, nil); r.Status != http.StatusOK {
					t.Fatalf("SSO optional, %s token: %d %s", name, r.Status, r.Body)
				}
			}

			// SSO required.
			if r := env.Do(t, "PATCH", cfgPath+"?updateMask=ssoRequired", lead, map[string]any{"ssoRequired": true}); r.Status != http.StatusOK {
				t.Fatalf("require SSO: %d %s", r.Status, r.Body)
			}
			if got, _ := providers(t, env, strings.ToUpper(member)); !slices.Equal(got, []string{typ + " " + wantID}) {
				t.Fatalf("required SSO: %q", got)
			}
			for _, path := range []string{orgPath, orgPath + "/cases", "/v2/organizations"} {
				if r := env.Do(t, "GET", path, password, nil); r.Status != http.StatusForbidden || cause(r) != "SSO_REQUIRED" {
					t.Fatalf("password token on %s with SSO required: %d %s", path, r.Status, r.Body)
				}
				if r := env.Do(t, "GET", path, idp, nil); r.Status != http.StatusOK {
					t.Fatalf("provider token on %s: %d %s", path, r.Status, r.Body)
				}
			}
			var me struct {
				Access struct {
					Usable bool   `json:"usable"`
					Cause  string `json:"cause"`
				} `json:"access"`
			}
			env.Do(t, "GET", "/v2/me", password, nil).JSON(t, &me)
			if me.Access.Cause != "SSO_REQUIRED" {
				t.Fatalf("/v2/me with a password token: %+v", me)
			}
			// SSO required covers everyone at the domain, members or not.
			stranger := c.Email(testenv.UniqueID("new"))
			if _, err := env.Writer.User(t.Context(), stranger, "New"); err != nil {
				t.Fatal(err)
			}
			env.Do(t, "GET", "/v2/me", env.Token(t, stranger), nil).JSON(t, &me)
			if me.Access.Cause != "SSO_REQUIRED" {
				t.Fatalf("/v2/me, non-member at the domain with a password: %+v", me)
			}
			env.Do(t, "GET", "/v2/me", env.IDPToken(t, wantID, stranger), nil).JSON(t, &me)
			if me.Access.Cause != "NOT_A_MEMBER" {
				t.Fatalf("/v2/me, non-member at the domain through the provider: %+v", me)
			}
			// The org admin reads the settings with the provider's token, and may not change them.
			adminIDP := env.IDPToken(t, wantID, admin)
			if r := env.Do(t, "GET", cfgPath, adminIDP, nil); r.Status != http.StatusOK {
				t.Fatalf("org admin reads: %d %s", r.Status, r.Body)
			}
			if r := env.Do(t, "PATCH", cfgPath, adminIDP, map[string]any{"ssoRequired": false}); r.Status != http.StatusForbidden {
				t.Fatalf("org admin changes: %d %s", r.Status, r.Body)
			}

			// Another organisation's provider vouches for nobody here, and
			// this provider vouches for nobody but this organisation's people.
			other := env.IDPToken(t, strings.ToLower(typ)+".org-"+testenv.UniqueID("other"), member)
			if r := env.Do(t, "GET", orgPath, other, nil); r.Status != http.StatusForbidden || cause(r) != "SSO_REQUIRED" {
				t.Fatalf("another provider's token: %d %s", r.Status, r.Body)
			}
			hostile := env.IDPToken(t, wantID, staff)
			for _, path := range []string{orgPath, "/v2/cases", cfgPath} {
				if r := env.Do(t, "GET", path, hostile, nil); r.Status != http.StatusForbidden || cause(r) != "NOT_A_MEMBER" {
					t.Fatalf("customer's provider asserting a support address, %s: %d %s", path, r.Status, r.Body)
				}
			}
			if r := env.Do(t, "GET", "/v2/cases", env.FreshToken(t, staff), nil); r.Status != http.StatusOK {
				t.Fatalf("the support admin's own password sign-in: %d %s", r.Status, r.Body)
			}

			// Removing the provider (and the policy) restores passwords
			// and retires the provider's tokens.
			r = env.Do(t, "PATCH", cfgPath+"?updateMask="+strings.ToLower(typ)+",ssoRequired", lead, map[string]any{"ssoRequired": false})
			var removed ssoConfig
			r.JSON(t, &removed)
			if r.Status != http.StatusOK || removed.Type != "NONE" || removed.ProviderID != "" {
				t.Fatalf("remove: %d %s", r.Status, r.Body)
			}
			if r := env.Do(t, "GET", orgPath, password, nil); r.Status != http.StatusOK {
				t.Fatalf("password after removal: %d %s", r.Status, r.Body)
			}
			if r := env.Do(t, "GET", orgPath, idp, nil); r.Status != http.StatusForbidden || cause(r) != "NOT_A_MEMBER" {
				t.Fatalf("retired provider's token: %d %s", r.Status, r.Body)
			}
			if _, after := providers(t, env, member); after != unknown {
				t.Fatalf("after removal %s, want %s", after, unknown)
			}

			// Three changes, three audit entries.
			var log struct {
				AuditEntries []struct {
					Action string `json:"action"`
				} `json:"auditEntries"`
			}
			env.Do(t, "GET", orgPath+"/auditLog", env.Token(t, admin), nil).JSON(t, &log)
			n := 0
			for _, e := range log.AuditEntries {
				if e.Action == store.AuditSSOUpdate {
					n++
				}
			}
			if n != 3 {
				t.Fatalf("audit log has %d SSO entries, want 3: %+v", n, log)
			}
		})
	}
}

// TestUpdateRefusals: what PATCH refuses, with the right code.
func TestUpdateRefusals(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	lead := env.Token(t, "lead@support.example")
	c := env.NewCustomer(t, "GOLD")
	path := "/v2/organizations/" + c.OrgID + "/ssoConfig"
	tests := []struct {
		name, path, query string
		body              any
		want              int
	}{
		{"required without a provider", path, "", map[string]any{"ssoRequired": true}, http.StatusBadRequest},
		{"both providers", path, "", map[string]any{"oidc": map[string]any{"issuer": "https://i.example", "clientId": "c"},
			"saml": map[string]any{"idpEntityId": "urn:x", "ssoUrl": "https://x.example", "x509Certificates": []string{"x"}}}, http.StatusBadRequest},
		{"http issuer", path, "", map[string]any{"oidc": map[string]any{"issuer": "http://i.example", "clientId": "c"}}, http.StatusBadRequest},
		{"unknown field", path, "", map[string]any{"tenant": "x"}, http.StatusBadRequest},
		{"read-only mask path", path, "?updateMask=providerId", map[string]any{}, http.StatusBadRequest},
		{"not a customer", "/v2/organizations/resellco/ssoConfig", "", map[string]any{"ssoRequired": false}, http.StatusBadRequest},
		{"no such organisation", "/v2/organizations/" + testenv.UniqueID("ghost") + "/ssoConfig", "", map[string]any{"ssoRequired": false}, http.StatusNotFound},
	}
	for _, tc := range tests {
		r := env.Do(t, "PATCH", tc.path+tc.query, lead, tc.body)
		if r.Status != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.want)
		}
	}
	if r := env.Do(t, "GET", "/v2/signInOptions?email=not-an-address", "", nil); r.Status != http.StatusBadRequest {
		t.Errorf("signInOptions with a bad address: %d %s", r.Status, r.Body)
	}
}
