//go:build integration

package portal

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// ssoFixtures seeds the single sign-on flows (web/tests/flows/sso.mjs): a
// customer whose SAML identity provider is required, with a member and an
// org admin, and a customer without a provider, which a support admin
// configures through the portal. The Auth emulator signs in through any
// "saml."/"oidc." provider with a fake response, so the provider needs no
// real IdP; its signing certificate only has to parse.
func ssoFixtures(t *testing.T, env *testenv.Env, id string) map[string]string {
	t.Helper()
	saml := env.PutOrg(t, id+"-saml", store.Org{DisplayName: "SAML " + id, Kind: store.KindCustomer,
		Domains: []string{id + "-saml.example"}, PackageID: "PLATINUM", ProductIDs: []string{"clouddb"}})
	member, admin := saml.Email("member"), saml.Email("admin")
	env.AddUser(t, saml.OrgID, member, store.StatusActive, store.Role{Role: store.RoleMember})
	env.AddUser(t, saml.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	if r := env.Do(t, "PATCH", "/v2/organizations/"+saml.OrgID+"/ssoConfig", env.Token(t, "lead@support.example"), map[string]any{
		"displayName": "SAML IdP " + id, "ssoRequired": true,
		"saml": map[string]any{"idpEntityId": "urn:idp:" + id, "ssoUrl": "https://idp.test/saml", "x509Certificates": []string{signingCertificate(t)}}}); r.Status != 200 {
		t.Fatalf("configure SAML: %d %s", r.Status, r.Body)
	}
	open := env.PutOrg(t, id+"-ssocfg", store.Org{DisplayName: "SSO setup " + id, Kind: store.KindCustomer,
		Domains: []string{id + "-ssocfg.example"}, PackageID: "PLATINUM", ProductIDs: []string{"clouddb"}})
	return map[string]string{"samlOrg": saml.OrgID, "samlMember": member, "samlAdmin": admin,
		"samlIdp": "SAML IdP " + id, "ssoCfgOrg": open.OrgID, "ssoCfgDomain": id + "-ssocfg.example"}
}

// signingCertificate is a self-signed PEM certificate (the IdP's signing
// certificate the SAML configuration needs).
func signingCertificate(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(1<<33, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
