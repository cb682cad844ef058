package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cloud.google.com/go/firestore"
)

// AuditSSOUpdate is the audit action of a change to an organisation's
// identity provider or SSO policy.
const AuditSSOUpdate = "org.sso.update"

// SSO provider types.
const (
	SSOTypeOIDC = "OIDC"
	SSOTypeSAML = "SAML"
)

// SSOConfig is a customer organisation's identity provider, registered in
// Identity Platform under ProviderID, and its policy. It lives on the
// organisation document, which every request for the organisation reads
// already, so enforcing it costs no read. Nothing secret is stored here:
// an OIDC client secret goes to Identity Platform only.
type SSOConfig struct {
	Type        string `firestore:"type"`       // SSOTypeOIDC or SSOTypeSAML
	ProviderID  string `firestore:"providerId"` // "oidc.org-<org>" or "saml.org-<org>"
	DisplayName string `firestore:"displayName,omitempty"`
	// Required: people at the organisation's domains may sign in only with
	// this provider.
	Required bool `firestore:"required"`
	// OIDC.
	Issuer   string `firestore:"issuer,omitempty"`
	ClientID string `firestore:"clientId,omitempty"`
	// CodeFlow: a client secret was given (authorization-code flow).
	CodeFlow bool `firestore:"codeFlow,omitempty"`
	// SAML.
	IDPEntityID  string   `firestore:"idpEntityId,omitempty"`
	SSOURL       string   `firestore:"ssoUrl,omitempty"`
	Certificates []string `firestore:"certificates,omitempty"` // PEM
	SPEntityID   string   `firestore:"spEntityId,omitempty"`
	CallbackURI  string   `firestore:"callbackUri,omitempty"`
	// Registered: Identity Platform accepted the provider (false only on
	// the Auth emulator, which has no provider-configuration API).
	Registered bool      `firestore:"registered"`
	UpdateTime time.Time `firestore:"updateTime"`
}

// SSOChange edits an organisation's SSO configuration read inside a
// transaction: it returns the new configuration (nil removes it) and the
// audit entry that records the change, or a nil entry when nothing changes
// (then nothing is written). It runs again if the transaction is retried.
type SSOChange func(o *Org) (next *SSOConfig, entry *AuditEntry, err error)

// ChangeOrgSSO applies change to organisation id's SSO configuration in one
// transaction, together with the audit entry, and returns the organisation
// as written (or as read when nothing changed). ErrNotFound if id does not
// exist; errors from change pass through unchanged.
//
// Reads: 1. Writes: 2 (organisation and audit entry), or 0 when nothing
// changed.
func (s *Store) ChangeOrgSSO(ctx context.Context, id string, now time.Time, change SSOChange) (*Org, error) {
	var out *Org
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		ref := s.orgRef(id)
		snap, err := tx.Get(ref)
		if err != nil {
			return wrapGet(err, "organization", id)
		}
		o, err := decodeOrg(snap)
		if err != nil {
			return err
		}
		next, entry, err := change(o)
		if err != nil || entry == nil {
			out = o
			return err
		}
		o.SSO, o.UpdateTime = next, now
		if err := tx.Update(ref, []firestore.Update{
			{Path: "sso", Value: orDelete(next, next == nil)},
			{Path: "updateTime", Value: now},
		}); err != nil {
			return err
		}
		entry.OrgID, entry.Time = id, now
		out = o
		return s.txAddAudit(tx, *entry)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OrgByDomain returns the organisation whose verified e-mail domains hold
// domain (lower case), or nil when none does. Reads: 1 (also when none
// matches: an empty query is billed one read).
func (s *Store) OrgByDomain(ctx context.Context, domain string) (*Org, error) {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" {
		return nil, nil
	}
	orgs, err := s.queryOrgs(ctx, s.fs.Collection(OrgsCollection).Where("domains", "array-contains", domain).Limit(1))
	if err != nil {
		return nil, fmt.Errorf("organization by domain: %w", err)
	}
	if len(orgs) == 0 {
		return nil, nil
	}
	return orgs[0], nil
}
