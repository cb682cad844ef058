package sso

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Limits of a configuration.
const (
	maxURL          = 2048
	maxToken        = 1024 // client id, client secret, entity id
	maxCertificates = 10
	maxCertPEM      = 16 << 10
)

// Updatable fields (updateMask paths).
var updatable = []string{"displayName", "ssoRequired", "oidc", "saml"}

// parseMask returns the fields an update changes: updateMask's paths, or,
// without one, the fields present in req.
func parseMask(raw string, req *UpdateRequest) ([]string, error) {
	var mask []string
	if strings.TrimSpace(raw) == "" {
		for path, present := range map[string]bool{"displayName": req.DisplayName != nil, "ssoRequired": req.SSORequired != nil,
			"oidc": req.OIDC != nil, "saml": req.SAML != nil} {
			if present {
				mask = append(mask, path)
			}
		}
		if len(mask) == 0 {
			return nil, apierror.InvalidArgument("nothing to update: set displayName, ssoRequired, oidc or saml, or name them in updateMask")
		}
		slices.Sort(mask)
		return mask, nil
	}
	for _, p := range strings.Split(raw, ",") {
		p = strings.TrimSpace(p)
		if !slices.Contains(updatable, p) {
			return nil, apierror.InvalidArgument("updateMask: %q cannot be updated; updatable fields are %s", p, strings.Join(updatable, ", ")).
				WithFieldViolation("updateMask", "unknown or read-only field "+p)
		}
		if !slices.Contains(mask, p) {
			mask = append(mask, p)
		}
	}
	return mask, nil
}

// change is a validated update: the next configuration (nil: none), the
// OIDC client secret to register (never stored) and whether the provider
// must be (re)registered.
type change struct {
	next     *store.SSOConfig
	secret   string
	register bool
}

// apply computes orgID's next configuration from its current one (cur,
// nil for none) and the masked fields of req. Pure: no I/O, no clock.
func apply(orgID string, cur *store.SSOConfig, req *UpdateRequest, mask []string, authDomain string) (change, error) {
	var next store.SSOConfig
	if cur != nil {
		next = *cur
		next.Certificates = slices.Clone(cur.Certificates)
	}
	in := func(p string) bool { return slices.Contains(mask, p) }
	var out change
	if in("oidc") && req.OIDC != nil && in("saml") && req.SAML != nil {
		return out, apierror.InvalidArgument("an organisation has one identity provider: set oidc or saml, not both")
	}
	switch {
	case in("oidc") && req.OIDC != nil:
		o, err := checkOIDC(req.OIDC)
		if err != nil {
			return out, err
		}
		setProvider(&next, store.SSOTypeOIDC, orgID)
		next.Issuer, next.ClientID, next.CodeFlow = o.Issuer, o.ClientID, o.ClientSecret != ""
		out.secret, out.register = o.ClientSecret, true
	case in("saml") && req.SAML != nil:
		certs, err := checkSAML(req.SAML)
		if err != nil {
			return out, err
		}
		setProvider(&next, store.SSOTypeSAML, orgID)
		next.IDPEntityID, next.SSOURL, next.Certificates = strings.TrimSpace(req.SAML.IDPEntityID), strings.TrimSpace(req.SAML.SSOURL), certs
		next.SPEntityID = "https://" + authDomain + "/sso/" + orgID
		next.CallbackURI = "https://" + authDomain + "/__/auth/handler"
		out.register = true
	case in("oidc") && next.Type == store.SSOTypeOIDC, in("saml") && next.Type == store.SSOTypeSAML:
		setProvider(&next, "", orgID) // named without a value: remove the provider
	}
	if in("displayName") {
		name := ""
		if req.DisplayName != nil {
			var err error
			if name, err = text.DisplayName("displayName", *req.DisplayName); err != nil {
				return out, err
			}
		}
		next.DisplayName = name
		out.register = out.register || next.Type != ""
	}
	if in("ssoRequired") {
		next.Required = req.SSORequired != nil && *req.SSORequired
	}
	if next.Type == "" {
		if next.Required {
			return out, apierror.FailedPrecondition("ssoRequired needs an identity provider: set oidc or saml too, or set ssoRequired to false").
				WithFieldViolation("ssoRequired", "no identity provider")
		}
		return out, nil // no provider: no configuration
	}
	out.next = &next
	return out, nil
}

// setProvider makes c a provider of type typ ("" = none), clearing the
// other type's settings.
func setProvider(c *store.SSOConfig, typ, orgID string) {
	*c = store.SSOConfig{DisplayName: c.DisplayName, Required: c.Required, Registered: c.Registered && c.Type == typ}
	if typ != "" {
		c.Type, c.ProviderID = typ, access.ProviderID(typ, orgID)
	}
}

func checkOIDC(o *OIDCConfig) (*OIDCConfig, error) {
	out := &OIDCConfig{Issuer: strings.TrimSpace(o.Issuer), ClientID: strings.TrimSpace(o.ClientID), ClientSecret: o.ClientSecret}
	if err := checkHTTPS("oidc.issuer", out.Issuer); err != nil {
		return nil, err
	}
	if err := checkToken("oidc.clientId", out.ClientID, true); err != nil {
		return nil, err
	}
	if err := checkToken("oidc.clientSecret", out.ClientSecret, false); err != nil {
		return nil, err
	}
	return out, nil
}

// checkSAML validates a SAML provider and returns its certificates as
// normalised PEM.
func checkSAML(s *SAMLConfig) ([]string, error) {
	if err := checkToken("saml.idpEntityId", strings.TrimSpace(s.IDPEntityID), true); err != nil {
		return nil, err
	}
	if err := checkHTTPS("saml.ssoUrl", strings.TrimSpace(s.SSOURL)); err != nil {
		return nil, err
	}
	if len(s.X509Certificates) == 0 || len(s.X509Certificates) > maxCertificates {
		return nil, invalid("saml.x509Certificates", fmt.Sprintf("give 1 to %d PEM certificates (the identity provider's signing certificates)", maxCertificates))
	}
	var out []string
	for i, raw := range s.X509Certificates {
		field := fmt.Sprintf("saml.x509Certificates[%d]", i)
		if len(raw) > maxCertPEM {
			return nil, invalid(field, fmt.Sprintf("at most %d bytes", maxCertPEM))
		}
		block, rest := pem.Decode([]byte(strings.TrimSpace(raw)))
		if block == nil || block.Type != "CERTIFICATE" || len(strings.TrimSpace(string(rest))) != 0 {
			return nil, invalid(field, "not one PEM block \"-----BEGIN CERTIFICATE-----\"")
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return nil, invalid(field, "not an X.509 certificate")
		}
		out = append(out, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: block.Bytes})))
	}
	return out, nil
}

// checkHTTPS requires an absolute https URL with a host and no user
// information or fragment.
func checkHTTPS(field, s string) error {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return invalid(field, "required")
	case len(s) > maxURL:
		return invalid(field, fmt.Sprintf("at most %d characters", maxURL))
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "":
		return invalid(field, "must be an https:// URL")
	}
	return nil
}

// checkToken requires printable ASCII without spaces (ids, secrets, URIs).
func checkToken(field, s string, required bool) error {
	switch {
	case s == "" && required:
		return invalid(field, "required")
	case len(s) > maxToken:
		return invalid(field, fmt.Sprintf("at most %d characters", maxToken))
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return invalid(field, "printable ASCII without spaces only")
		}
	}
	return nil
}

func invalid(field, desc string) error {
	return apierror.InvalidArgument("%s: %s", field, desc).WithFieldViolation(field, desc)
}

// sameConfig reports whether a and b configure the same thing (the update
// time aside).
func sameConfig(a, b *store.SSOConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.UpdateTime = y.UpdateTime
	return reflect.DeepEqual(x, y)
}
