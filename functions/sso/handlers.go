package sso

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/store"
)

// actor authenticates the caller (401 comes first, whatever the path) and
// resolves them for the organisation in the URL.
func (h *Handler) actor(r *http.Request, action access.Action) (*access.Actor, error) {
	orgID := r.PathValue("org")
	if !wire.ValidOrgID(orgID) {
		if _, err := h.deps.Identity(r); err != nil {
			return nil, err
		}
		return nil, apierror.NotFound("organization not found")
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return nil, err
	}
	if err := a.Check(action); err != nil {
		return nil, err
	}
	return a, nil
}

// customerSSO is o's configuration where one counts (customers only).
func customerSSO(o *store.Org) *store.SSOConfig {
	if o == nil || o.Kind != store.KindCustomer {
		return nil
	}
	return o.SSO
}

// get serves GET /v2/organizations/{org}/ssoConfig. Reads: resolve.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.SSORead)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, view(a.Org.ID, customerSSO(a.Org)))
}

// patch serves PATCH /v2/organizations/{org}/ssoConfig?updateMask=.
// Reads: resolve + 1; writes: 2 (organisation and audit entry), 0 when
// nothing changes.
func (h *Handler) patch(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.SSOManage)
	if err != nil {
		return err
	}
	if a.Org.Kind != store.KindCustomer {
		return apierror.FailedPrecondition("single sign-on is configured for customer organisations; %s is not one", a.Org.DisplayName)
	}
	var req UpdateRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		return err
	}
	mask, err := parseMask(r.URL.Query().Get("updateMask"), &req)
	if err != nil {
		return err
	}
	cur := a.Org.SSO
	ch, err := apply(a.Org.ID, cur, &req, mask, h.authDomain)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if ch.register {
		if ch.next.Registered, err = h.register(ctx, a.Org, ch.next, ch.secret); err != nil {
			return err
		}
	}
	now := h.deps.Clock.Now()
	org, err := h.deps.Store.ChangeOrgSSO(ctx, a.Org.ID, now, func(o *store.Org) (*store.SSOConfig, *store.AuditEntry, error) {
		if !sameConfig(o.SSO, cur) {
			return nil, nil, apierror.Aborted("the SSO configuration changed meanwhile; read it again and retry")
		}
		if sameConfig(o.SSO, ch.next) {
			return nil, nil, nil
		}
		var next *store.SSOConfig
		details := map[string]string{"type": typeNone, "ssoRequired": "false"}
		if ch.next != nil {
			n := *ch.next
			n.UpdateTime = now
			next = &n
			details = map[string]string{"type": n.Type, "ssoRequired": strconv.FormatBool(n.Required), "registered": strconv.FormatBool(n.Registered)}
		}
		target := ""
		switch {
		case next != nil:
			target = next.ProviderID
		case o.SSO != nil:
			target = o.SSO.ProviderID
		}
		return next, &store.AuditEntry{Actor: a.Email(), Action: store.AuditSSOUpdate, Target: target, Details: details}, nil
	})
	if err != nil {
		return apierror.Describe(err, "organization")
	}
	// A registration our data no longer names grants nothing (package
	// access trusts only the organisation's current provider), so a failed
	// delete is logged, not returned.
	if cur != nil && (org.SSO == nil || org.SSO.ProviderID != cur.ProviderID) {
		if err := h.providers.DeleteProvider(ctx, cur.ProviderID); err != nil && !(h.emulator && errors.Is(err, authadmin.ErrUnimplemented)) {
			h.deps.Logger.ErrorContext(ctx, "sso: the previous identity provider could not be deleted from Identity Platform",
				slog.String("providerId", cur.ProviderID), slog.Any("error", err))
		}
	}
	return httpapi.WriteJSON(w, http.StatusOK, view(org.ID, customerSSO(org)))
}

// register puts the provider c into Identity Platform and reports whether
// it is registered there: false only on the Auth emulator, which has no
// provider-configuration API.
func (h *Handler) register(ctx context.Context, o *store.Org, c *store.SSOConfig, secret string) (bool, error) {
	name := c.DisplayName
	if name == "" {
		name = o.DisplayName
	}
	var err error
	switch c.Type {
	case store.SSOTypeOIDC:
		err = h.providers.PutOIDCProvider(ctx, c.ProviderID, authadmin.OIDCProvider{DisplayName: name, Issuer: c.Issuer,
			ClientID: c.ClientID, ClientSecret: secret})
	case store.SSOTypeSAML:
		err = h.providers.PutSAMLProvider(ctx, c.ProviderID, authadmin.SAMLProvider{DisplayName: name, IDPEntityID: c.IDPEntityID,
			SSOURL: c.SSOURL, Certificates: c.Certificates, SPEntityID: c.SPEntityID, CallbackURI: c.CallbackURI})
	}
	switch {
	case err == nil:
		return true, nil
	case h.emulator && errors.Is(err, authadmin.ErrUnimplemented):
		h.deps.Logger.InfoContext(ctx, "sso: the Auth emulator cannot register identity providers; stored unregistered",
			slog.String("providerId", c.ProviderID))
		return false, nil
	case errors.Is(err, authadmin.ErrInvalidArgument):
		return false, apierror.InvalidArgument("Identity Platform refused the identity provider's settings: %v", err)
	}
	return false, apierror.Unavailable(err)
}

// signInOptions serves the public GET /v2/signInOptions?email=. Reads: 1
// (rate-limit counter) + 1 (organisation by domain); writes: 1 (counter).
func (h *Handler) signInOptions(w http.ResponseWriter, r *http.Request) error {
	domain, err := emailDomain(r.URL.Query().Get("email"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	key := ratelimit.PersonKey(clientAddress(r))
	if err := h.deps.LimitFor(ctx, key, key, nil, ratelimit.SignInOptions); err != nil {
		return err
	}
	org, err := h.deps.Store.OrgByDomain(ctx, domain)
	if err != nil {
		return apierror.Unavailable(err)
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpapi.WriteJSON(w, http.StatusOK, options(customerSSO(org)))
}

// options are the sign-in providers under configuration c (nil: none):
// the organisation's provider first; password unless SSO is required.
func options(c *store.SSOConfig) SignInOptions {
	password := SignInProvider{Type: typePassword}
	if c == nil {
		return SignInOptions{Providers: []SignInProvider{password}}
	}
	out := SignInOptions{Providers: []SignInProvider{{Type: c.Type, ProviderID: c.ProviderID, DisplayName: c.DisplayName}}}
	if !c.Required {
		out.Providers = append(out.Providers, password)
	}
	return out
}

// emailDomain returns the lower-cased domain of an address given to
// signInOptions; only its shape is checked (one "@", a plausible DNS
// name), since nothing is sent to it.
func emailDomain(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	local, domain, ok := strings.Cut(raw, "@")
	bad := func(desc string) error { return invalid("email", desc) }
	switch {
	case raw == "":
		return "", bad("required: the address being signed in")
	case len(raw) > 254:
		return "", bad("at most 254 characters")
	case !ok || local == "" || strings.Contains(domain, "@"):
		return "", bad("not an e-mail address")
	}
	domain = strings.ToLower(domain)
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", bad("the domain needs a dot")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", bad("not a valid domain")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return "", bad("not a valid domain")
			}
		}
	}
	return domain, nil
}

// clientAddress is the caller's IP address as our load balancer saw it:
// Google's external Application Load Balancer appends "<client>,
// <load balancer>" to X-Forwarded-For, so the second entry from the end is
// the client (entries before it came from the client and prove nothing);
// with a single entry (the local gateway) it is that one, and without the
// header the connection's peer.
func clientAddress(r *http.Request) string {
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	switch {
	case len(hops) >= 2:
		return hops[len(hops)-2]
	case len(hops) == 1:
		return hops[0]
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
