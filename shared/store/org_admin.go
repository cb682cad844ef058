package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/events"
)

// Organisation administration by the vendor's support admins: creating
// customers and resellers with their first admins, changing what they
// bought and their domains, suspending and resuming them. Every change is
// one transaction with its audit entry; a domain belongs to one
// organisation at most, held by a claim document (domains/{domain})
// created and deleted in the same transaction as the organisation's
// domains.

// DomainsCollection holds one claim per domain in use.
const DomainsCollection = "domains"

// DomainClaim records which organisation a domain belongs to.
type DomainClaim struct {
	OrgID      string    `firestore:"orgId"`
	CreateTime time.Time `firestore:"createTime"`
}

// Audit actions of organisation administration.
const (
	AuditOrgCreate  = "org.create"
	AuditOrgUpdate  = "org.update"
	AuditOrgSuspend = "org.suspend"
	AuditOrgResume  = "org.resume"
)

// DomainTakenError says a domain already belongs to another organisation.
type DomainTakenError struct {
	Domain string
	OrgID  string // the organisation that holds it
}

func (e *DomainTakenError) Error() string {
	return fmt.Sprintf("domain %s belongs to another organization", e.Domain)
}

// Organisation document fields changed by administration.
const (
	fieldDisplayName = "displayName"
	fieldDomains     = "domains"
	fieldPackageID   = "packageId"
	fieldProductIDs  = "productIds"
	fieldSuspended   = "suspended"
	fieldSuspendTime = "suspendTime"
)

func (s *Store) domainRef(domain string) *firestore.DocumentRef {
	return s.fs.Collection(DomainsCollection).Doc(domain)
}

// Package reads support package id inside the transaction, uncached
// (ErrNotFound if missing). One read.
func (t *OrgTx) Package(id string) (*Package, error) {
	snap, err := t.tx.Get(t.s.fs.Collection(PackagesCollection).Doc(id))
	if err != nil {
		return nil, wrapGet(err, "package", id)
	}
	return decodePackage(snap)
}

// Products reads the given products inside the transaction in one round
// trip; missing ones are absent from the map. One read per id.
func (t *OrgTx) Products(ids []string) (map[string]*Product, error) {
	out := map[string]*Product{}
	if len(ids) == 0 {
		return out, nil
	}
	refs := make([]*firestore.DocumentRef, len(ids))
	for i, id := range ids {
		refs[i] = t.s.fs.Collection(ProductsCollection).Doc(id)
	}
	snaps, err := t.tx.GetAll(refs)
	if err != nil {
		return nil, fmt.Errorf("get products: %w", err)
	}
	for _, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		p, err := decodeProduct(snap)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, nil
}

// NewOrg is an organisation to create together with its first members.
type NewOrg struct {
	Org Org // ID set; create and update times are set to now
	// Members are the first members, each with its membership.added event
	// (PendingMembership): provisioned like anyone an admin adds.
	Members []*MembershipDoc
	Events  []events.MembershipEvent
	// Audit are the entries to write (the creation, each member added);
	// organisation and time are filled in.
	Audit []AuditEntry
	// Check runs first inside the transaction and may refuse (e.g. an
	// unknown package or reseller); it reads through t. Nil: nothing to
	// check.
	Check func(t *OrgTx) error
}

// CreateOrg creates organisation in.Org with its domain claims, first
// members, audit entries and the members' events (in the outbox) in one
// transaction, and returns the committed messages for outbox.Send.
// ErrAlreadyExists when the id is taken; *DomainTakenError when a domain
// belongs to another organisation (a claim the organisation already holds
// is kept).
//
// Reads: 1 (the id) + 1 per domain + Check's. Writes: 1 (organisation) +
// 1 per new domain claim + 1 per member + 1 per audit entry + 1 per event
// (and its delete after publishing, by the caller's outbox).
func (s *Store) CreateOrg(ctx context.Context, in NewOrg, now time.Time) ([]events.Message, error) {
	o := in.Org
	o.CreateTime, o.UpdateTime = now, now
	var msgs []events.Message
	for _, ev := range in.Events {
		m, err := ev.Message()
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		if in.Check != nil {
			if err := in.Check(&OrgTx{s: s, tx: tx}); err != nil {
				return err
			}
		}
		snap, err := tx.Get(s.orgRef(o.ID))
		if err != nil && !IsNotFound(err) {
			return err
		}
		if snap != nil && snap.Exists() {
			return fmt.Errorf("organization %s: %w", o.ID, ErrAlreadyExists)
		}
		claims, err := s.txDomainsToClaim(tx, o.ID, o.Domains)
		if err != nil {
			return err
		}
		if err := tx.Create(s.orgRef(o.ID), o); err != nil {
			return err
		}
		if err := s.txClaim(tx, o.ID, claims, now); err != nil {
			return err
		}
		for _, m := range in.Members {
			if err := tx.Create(s.membershipRef(m.ID), m); err != nil {
				return err
			}
		}
		for _, e := range in.Audit {
			e.OrgID, e.Time = o.ID, now
			if err := s.txAddAudit(tx, e); err != nil {
				return err
			}
		}
		return s.putOutbox(txSet(tx), msgs)
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

// txDomainClaims reads the claims of domains: the holder's organisation id
// per domain, "" where nobody holds it. One read per domain.
func (s *Store) txDomainClaims(tx *firestore.Transaction, domains []string) ([]string, error) {
	if len(domains) == 0 {
		return nil, nil
	}
	refs := make([]*firestore.DocumentRef, len(domains))
	for i, d := range domains {
		refs[i] = s.domainRef(d)
	}
	snaps, err := tx.GetAll(refs)
	if err != nil {
		return nil, fmt.Errorf("get domain claims: %w", err)
	}
	holders := make([]string, len(domains))
	for i, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		c, err := decode[DomainClaim](snap, "domain claim")
		if err != nil {
			return nil, err
		}
		holders[i] = c.OrgID
	}
	return holders, nil
}

// txDomainsToClaim returns the domains orgID does not hold yet; a domain
// held by another organisation is a *DomainTakenError. One read per domain.
func (s *Store) txDomainsToClaim(tx *firestore.Transaction, orgID string, domains []string) ([]string, error) {
	holders, err := s.txDomainClaims(tx, domains)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, h := range holders {
		switch h {
		case "":
			out = append(out, domains[i])
		case orgID:
		default:
			return nil, &DomainTakenError{Domain: domains[i], OrgID: h}
		}
	}
	return out, nil
}

func (s *Store) txClaim(tx *firestore.Transaction, orgID string, domains []string, now time.Time) error {
	for _, d := range domains {
		if err := tx.Create(s.domainRef(d), DomainClaim{OrgID: orgID, CreateTime: now}); err != nil {
			return err
		}
	}
	return nil
}

// ChangeOrg applies change to organisation id in one transaction and
// writes back what administration changes — display name, domains
// (claiming added ones, releasing removed ones), package, products,
// suspension — with the audit entry change returns. It returns the
// organisation as written (or as read, when change made none).
// ErrNotFound if id does not exist; *DomainTakenError when an added domain
// belongs to another organisation; errors from change pass through.
//
// Reads: 1 (the organisation) + change's + 1 per added or removed domain.
// Writes: 2 (organisation, audit entry) + 1 per added or removed domain,
// or 0 when nothing changed.
func (s *Store) ChangeOrg(ctx context.Context, id string, now time.Time, change OrgChange) (*Org, error) {
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
		before := slices.Clone(o.Domains)
		entry, err := change(&OrgTx{s: s, tx: tx}, o)
		if err != nil || entry == nil {
			out = o
			return err
		}
		var added, removed []string
		for _, d := range o.Domains {
			if !slices.Contains(before, d) {
				added = append(added, d)
			}
		}
		for _, d := range before {
			if !slices.Contains(o.Domains, d) {
				removed = append(removed, d)
			}
		}
		claims, err := s.txDomainsToClaim(tx, id, added)
		if err != nil {
			return err
		}
		release, err := s.txHeldClaims(tx, id, removed)
		if err != nil {
			return err
		}
		o.UpdateTime = now
		if err := tx.Update(ref, []firestore.Update{
			{Path: fieldDisplayName, Value: o.DisplayName},
			{Path: fieldDomains, Value: o.Domains},
			{Path: fieldPackageID, Value: orDelete(o.PackageID, o.PackageID == "")},
			{Path: fieldProductIDs, Value: orDelete(o.ProductIDs, len(o.ProductIDs) == 0)},
			{Path: fieldSuspended, Value: orDelete(o.Suspended, !o.Suspended)},
			{Path: fieldSuspendTime, Value: orDelete(o.SuspendTime, o.SuspendTime.IsZero())},
			{Path: fieldUpdateTime, Value: now},
		}); err != nil {
			return err
		}
		if err := s.txClaim(tx, id, claims, now); err != nil {
			return err
		}
		for _, d := range release {
			if err := tx.Delete(s.domainRef(d)); err != nil {
				return err
			}
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

// txHeldClaims returns the domains among domains whose claim orgID holds
// (a missing claim, or one held by another organisation, is left alone).
// One read per domain.
func (s *Store) txHeldClaims(tx *firestore.Transaction, orgID string, domains []string) ([]string, error) {
	holders, err := s.txDomainClaims(tx, domains)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, h := range holders {
		if h == orgID {
			out = append(out, domains[i])
		}
	}
	return out, nil
}

// IsDomainTaken reports whether err says a domain belongs to another
// organisation, and which domain.
func IsDomainTaken(err error) (string, bool) {
	var de *DomainTakenError
	if errors.As(err, &de) {
		return de.Domain, true
	}
	return "", false
}
