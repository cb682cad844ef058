package authadmin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Identity providers (Identity Platform's admin v2 API): OIDC providers are
// projects/{p}/oauthIdpConfigs/{id} with ids "oidc.…", SAML providers
// projects/{p}/inboundSamlConfigs/{id} with ids "saml.…". The function that
// calls these needs firebaseauth.configs.get and firebaseauth.configs.update.
//
// The Auth emulator has no provider-configuration API: it answers every
// call here with 501, which comes back as ErrUnimplemented. (It signs
// anyone in with any "oidc.…" or "saml.…" provider id through
// accounts:signInWithIdp, configured or not.)

// ErrUnimplemented means the backend does not implement the call (the Auth
// emulator's answer to provider configuration).
var ErrUnimplemented = errors.New("authadmin: not implemented by this backend")

// OIDCProvider is an OpenID Connect identity provider.
type OIDCProvider struct {
	DisplayName string
	Issuer      string // https URL of the issuer (its discovery document)
	ClientID    string
	// ClientSecret, when set, enables the authorization-code flow;
	// without it the provider uses the implicit (id_token) flow.
	ClientSecret string
}

// SAMLProvider is a SAML 2.0 identity provider.
type SAMLProvider struct {
	DisplayName  string
	IDPEntityID  string
	SSOURL       string
	Certificates []string // PEM, the IdP's signing certificates
	SPEntityID   string   // our (the service provider's) entity id
	CallbackURI  string   // our assertion consumer service URL
}

type oauthIdpConfig struct {
	DisplayName  string `json:"displayName,omitempty"`
	Enabled      bool   `json:"enabled"`
	ClientID     string `json:"clientId"`
	Issuer       string `json:"issuer"`
	ClientSecret string `json:"clientSecret,omitempty"`
	ResponseType struct {
		IDToken bool `json:"idToken"`
		Code    bool `json:"code"`
	} `json:"responseType"`
}

type inboundSamlConfig struct {
	DisplayName string `json:"displayName,omitempty"`
	Enabled     bool   `json:"enabled"`
	IdpConfig   struct {
		IdpEntityID     string `json:"idpEntityId"`
		SSOURL          string `json:"ssoUrl"`
		IdpCertificates []struct {
			X509Certificate string `json:"x509Certificate"`
		} `json:"idpCertificates"`
		SignRequest bool `json:"signRequest"`
	} `json:"idpConfig"`
	SpConfig struct {
		SpEntityID  string `json:"spEntityId"`
		CallbackURI string `json:"callbackUri"`
	} `json:"spConfig"`
}

// Field masks of a full update (nested paths, so nothing else is touched).
const (
	oidcMask = "displayName,enabled,clientId,issuer,clientSecret,responseType.idToken,responseType.code"
	samlMask = "displayName,enabled,idpConfig.idpEntityId,idpConfig.ssoUrl,idpConfig.idpCertificates," +
		"idpConfig.signRequest,spConfig.spEntityId,spConfig.callbackUri"
)

// PutOIDCProvider creates or replaces the OIDC provider id ("oidc.…"),
// enabled. Calls: one get, then one create or update.
func (c *Client) PutOIDCProvider(ctx context.Context, id string, p OIDCProvider) error {
	if !strings.HasPrefix(id, "oidc.") {
		return fmt.Errorf("%w: OIDC provider id %q must start with \"oidc.\"", ErrInvalidArgument, id)
	}
	body := oauthIdpConfig{DisplayName: p.DisplayName, Enabled: true, ClientID: p.ClientID, Issuer: p.Issuer, ClientSecret: p.ClientSecret}
	body.ResponseType.Code = p.ClientSecret != ""
	body.ResponseType.IDToken = !body.ResponseType.Code
	return c.putConfig(ctx, "oauthIdpConfigs", "oauthIdpConfigId", id, body, oidcMask)
}

// PutSAMLProvider creates or replaces the SAML provider id ("saml.…"),
// enabled. Calls: one get, then one create or update.
func (c *Client) PutSAMLProvider(ctx context.Context, id string, p SAMLProvider) error {
	if !strings.HasPrefix(id, "saml.") {
		return fmt.Errorf("%w: SAML provider id %q must start with \"saml.\"", ErrInvalidArgument, id)
	}
	var body inboundSamlConfig
	body.DisplayName, body.Enabled = p.DisplayName, true
	body.IdpConfig.IdpEntityID, body.IdpConfig.SSOURL = p.IDPEntityID, p.SSOURL
	for _, pem := range p.Certificates {
		body.IdpConfig.IdpCertificates = append(body.IdpConfig.IdpCertificates, struct {
			X509Certificate string `json:"x509Certificate"`
		}{pem})
	}
	body.SpConfig.SpEntityID, body.SpConfig.CallbackURI = p.SPEntityID, p.CallbackURI
	return c.putConfig(ctx, "inboundSamlConfigs", "inboundSamlConfigId", id, body, samlMask)
}

// DeleteProvider deletes the OIDC or SAML provider id; one that does not
// exist is no error.
func (c *Client) DeleteProvider(ctx context.Context, id string) error {
	coll, err := providerCollection(id)
	if err != nil {
		return err
	}
	err = c.callAdmin(ctx, http.MethodDelete, coll+"/"+url.PathEscape(id), nil, nil, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func providerCollection(id string) (string, error) {
	switch {
	case strings.HasPrefix(id, "oidc."):
		return "oauthIdpConfigs", nil
	case strings.HasPrefix(id, "saml."):
		return "inboundSamlConfigs", nil
	}
	return "", fmt.Errorf("%w: provider id %q is neither \"oidc.…\" nor \"saml.…\"", ErrInvalidArgument, id)
}

// putConfig gets collection/id and updates it with mask when it exists,
// or creates it (?idParam=id) when it does not.
func (c *Client) putConfig(ctx context.Context, collection, idParam, id string, body any, mask string) error {
	name := collection + "/" + url.PathEscape(id)
	err := c.callAdmin(ctx, http.MethodGet, name, nil, nil, &json.RawMessage{})
	switch {
	case errors.Is(err, ErrNotFound):
		return c.callAdmin(ctx, http.MethodPost, collection, url.Values{idParam: {id}}, body, &json.RawMessage{})
	case err != nil:
		return err
	}
	return c.callAdmin(ctx, http.MethodPatch, name, url.Values{"updateMask": {mask}}, body, &json.RawMessage{})
}

// callAdmin sends one admin v2 request for the project; out may be nil.
func (c *Client) callAdmin(ctx context.Context, method, path string, query url.Values, req, out any) error {
	u := c.adminURL + "/" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if req != nil {
		b, err := json.Marshal(req)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	r, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if req != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if c.emulator {
		r.Header.Set("Authorization", "Bearer owner")
	}
	what := method + " " + path
	resp, err := c.http.Do(r)
	if err != nil {
		return fmt.Errorf("authadmin: %s: %w", what, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("authadmin: %s: %w", what, err)
	}
	if resp.StatusCode != http.StatusOK {
		return apiError(what, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("authadmin: %s answer: %w", what, err)
	}
	return nil
}
