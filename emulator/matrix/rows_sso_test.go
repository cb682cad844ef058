//go:build integration

package matrix

import (
	"net/http"
	"net/url"
	"testing"
)

// SSO rows: the sso function's routes × every actor.
//
// The SSO configuration is read by the customer's org admins and support
// staff, and changed by support admins only. The PATCH cell sends
// {"ssoRequired": false} to an organisation without a provider: allowed
// for a support admin, it changes nothing (no write), so no other cell
// sees a difference. GET /v2/signInOptions is public: every actor, the
// anonymous one included, gets 200 and the same shape.

func init() {
	cfgPath := func(w *World, a Actor) string { return "/v2/organizations/" + w.Targets[a].OrgID + "/ssoConfig" }
	resellers := []Actor{ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew}
	others := append([]Actor{Viewer, OtherProduct, Member, ProductAdmin}, resellers...)

	register(
		Endpoint{Name: "sso.config.get", Method: "GET", Route: "/v2/organizations/*/ssoConfig",
			Want: Merge(Baseline(), Uniform(http.StatusForbidden, others...),
				Uniform(http.StatusOK, OrgAdmin, SupportAgent, SupportAdminActor)),
			Build: func(_ testing.TB, w *World, a Actor) (string, any) { return cfgPath(w, a), nil }},
		Endpoint{Name: "sso.config.update", Method: "PATCH", Route: "/v2/organizations/*/ssoConfig",
			Want: Merge(Baseline(), Uniform(http.StatusForbidden, append(others, OrgAdmin, SupportAgent)...),
				Uniform(http.StatusOK, SupportAdminActor)),
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				return cfgPath(w, a), map[string]any{"ssoRequired": false}
			}},
		Endpoint{Name: "sso.signInOptions", Method: "GET", Route: "/v2/signInOptions",
			Want: Uniform(http.StatusOK, AllActors...),
			Build: func(_ testing.TB, w *World, a Actor) (string, any) {
				email := w.Emails[a]
				if email == "" {
					email = "someone@" + w.Customer.Domain
				}
				return "/v2/signInOptions?email=" + url.QueryEscape(email), nil
			}},
	)
}
