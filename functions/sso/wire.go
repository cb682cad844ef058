package sso

import (
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Provider types on the wire (store.SSOTypeOIDC, store.SSOTypeSAML, or
// none).
const (
	typeNone     = "NONE"
	typePassword = "PASSWORD"
)

// SSOConfig is the singleton resource organizations/{org}/ssoConfig.
// Output only: name, type, providerId, registered, updateTime, and in saml
// spEntityId and callbackUri. Input only: oidc.clientSecret.
type SSOConfig struct {
	Name string `json:"name"`
	// Type is OIDC, SAML or NONE (no identity provider).
	Type        string `json:"type"`
	ProviderID  string `json:"providerId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// SSORequired: people at the organisation's domains must sign in with
	// its identity provider.
	SSORequired bool        `json:"ssoRequired"`
	OIDC        *OIDCConfig `json:"oidc,omitempty"`
	SAML        *SAMLConfig `json:"saml,omitempty"`
	// Registered: Identity Platform holds the provider (false on the Auth
	// emulator, which cannot).
	Registered bool   `json:"registered"`
	UpdateTime string `json:"updateTime,omitempty"`
}

// OIDCConfig is an OpenID Connect provider.
type OIDCConfig struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"clientId"`
	// ClientSecret (input only) selects the authorization-code flow; it is
	// sent to Identity Platform and never stored or returned. Without it
	// the provider uses the implicit (id_token) flow.
	ClientSecret string `json:"clientSecret,omitempty"`
	// CodeFlow (output only): a client secret was given.
	CodeFlow bool `json:"codeFlow,omitempty"`
}

// SAMLConfig is a SAML 2.0 provider.
type SAMLConfig struct {
	IDPEntityID      string   `json:"idpEntityId"`
	SSOURL           string   `json:"ssoUrl"`
	X509Certificates []string `json:"x509Certificates"`
	// SPEntityID and CallbackURI (output only) are what the customer's
	// identity provider must be told about us.
	SPEntityID  string `json:"spEntityId,omitempty"`
	CallbackURI string `json:"callbackUri,omitempty"`
}

// UpdateRequest is the PATCH body: an SSOConfig where every field is
// optional; output-only fields are accepted and ignored. Without an
// updateMask, the fields present are the ones changed.
type UpdateRequest struct {
	Name        string      `json:"name,omitempty"`
	Type        string      `json:"type,omitempty"`
	ProviderID  string      `json:"providerId,omitempty"`
	DisplayName *string     `json:"displayName,omitempty"`
	SSORequired *bool       `json:"ssoRequired,omitempty"`
	OIDC        *OIDCConfig `json:"oidc,omitempty"`
	SAML        *SAMLConfig `json:"saml,omitempty"`
	Registered  bool        `json:"registered,omitempty"`
	UpdateTime  string      `json:"updateTime,omitempty"`
}

// SignInOptions is GET /v2/signInOptions: the providers an address may
// sign in with, the one to use first.
type SignInOptions struct {
	Providers []SignInProvider `json:"providers"`
}

// SignInProvider is one way to sign in: PASSWORD, or an organisation's
// OIDC or SAML provider (its Identity Platform provider id, for the Auth
// SDK's OAuthProvider / SAMLAuthProvider).
type SignInProvider struct {
	Type        string `json:"type"`
	ProviderID  string `json:"providerId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// configName is the resource name of orgID's SSO configuration.
func configName(orgID string) string { return wire.OrgName(orgID) + "/ssoConfig" }

// view is the wire form of orgID's stored configuration c (nil: none).
func view(orgID string, c *store.SSOConfig) SSOConfig {
	out := SSOConfig{Name: configName(orgID), Type: typeNone}
	if c == nil {
		return out
	}
	out.Type, out.ProviderID, out.DisplayName = c.Type, c.ProviderID, c.DisplayName
	out.SSORequired, out.Registered = c.Required, c.Registered
	if !c.UpdateTime.IsZero() {
		out.UpdateTime = wire.Timestamp(c.UpdateTime)
	}
	switch c.Type {
	case store.SSOTypeOIDC:
		out.OIDC = &OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, CodeFlow: c.CodeFlow}
	case store.SSOTypeSAML:
		out.SAML = &SAMLConfig{IDPEntityID: c.IDPEntityID, SSOURL: c.SSOURL, X509Certificates: c.Certificates,
			SPEntityID: c.SPEntityID, CallbackURI: c.CallbackURI}
	}
	return out
}
