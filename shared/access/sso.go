package access

import (
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Single sign-on per organisation.
//
// A customer organisation may have an identity provider (OIDC or SAML),
// registered in Identity Platform under a provider id derived from the
// organisation's id (ProviderID), and may require it for the e-mail
// domains it owns. Two rules follow, both decided from the ID token's
// sign_in_provider claim and the organisation document the resolution
// reads anyway (no extra read):
//
//   - A token signed in through an OIDC or SAML provider ("oidc.…",
//     "saml.…") counts only for a membership in the organisation whose
//     current provider it is, and only for an address in that
//     organisation's domains. Identity Platform takes such a provider's
//     word for any address it asserts, so without this rule one customer's
//     identity provider could sign in as another customer's admin or as
//     support staff. A provider not registered through this API, or no
//     longer the organisation's, acts for nobody.
//   - When the organisation requires SSO, a token for an address in its
//     domains signed in any other way (password, e-mail link, Google, …)
//     is refused with ACCESS_REQUIRED and cause SSO_REQUIRED.
//
// Address resolutions (ResolveAddress: a stored address an e-mail goes to)
// are no sign-in, so neither rule applies to them.

// CauseSSORequired means the organisation requires its identity provider for
// the caller's address (GET /v2/signInOptions names it).
const CauseSSORequired = "SSO_REQUIRED"

// providerPrefix marks the provider ids this system registers; the
// organisation id follows it.
const providerPrefix = "org-"

// ProviderID is the Identity Platform provider id of organisation orgID's
// identity provider of type typ (store.SSOTypeOIDC or store.SSOTypeSAML):
// "oidc.org-<org>" or "saml.org-<org>".
func ProviderID(typ, orgID string) string {
	return strings.ToLower(typ) + "." + providerPrefix + orgID
}

// federated reports whether provider is an OIDC or SAML provider, whose
// tokens carry whatever address the provider asserts.
func federated(provider string) bool {
	return strings.HasPrefix(provider, "oidc.") || strings.HasPrefix(provider, "saml.")
}

// domainOf is the domain part of an address ("" when there is none).
func domainOf(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return ""
	}
	return email[i+1:]
}

// signInCause is "" when id's sign-in may use a membership in org, and
// otherwise the ACCESS_REQUIRED cause to report: CauseSSORequired when org
// requires its identity provider for id's address and id signed in another
// way, CauseNotAMember when id signed in through an identity provider that
// does not vouch for org (the membership does not count).
func signInCause(id *auth.Identity, org *store.Org) string {
	var cfg *store.SSOConfig
	if org.Kind == store.KindCustomer {
		cfg = org.SSO
	}
	owned := slices.Contains(org.Domains, domainOf(id.Email))
	required := cfg != nil && cfg.Required && owned
	if federated(id.Provider) {
		if cfg != nil && cfg.ProviderID == id.Provider && owned {
			return ""
		}
		if required {
			return CauseSSORequired
		}
		return CauseNotAMember
	}
	if required {
		return CauseSSORequired
	}
	return ""
}
