package orgs

import (
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Organization is an organisation as the caller may see it.
type Organization struct {
	Name        string `json:"name"` // organizations/{id}
	DisplayName string `json:"displayName"`
	Kind        string `json:"kind"` // CUSTOMER | RESELLER | VENDOR
	// Capacity is how the caller acts for it: CUSTOMER (a member of it),
	// RESELLER (a member of its current reseller) or SUPPORT.
	Capacity       string          `json:"capacity"`
	Domains        []string        `json:"domains,omitempty"`
	SupportPackage *SupportPackage `json:"supportPackage,omitempty"`
	Products       []Product       `json:"products,omitempty"`
	Reseller       *Reseller       `json:"reseller,omitempty"`
	// ResellerHistory is every term a reseller (or the vendor, with no
	// reseller) managed the customer, oldest first.
	ResellerHistory []ResellerTerm `json:"resellerHistory,omitempty"`
	// Suspended is set while the vendor has suspended the organisation.
	Suspended   bool   `json:"suspended,omitempty"`
	SuspendTime string `json:"suspendTime,omitempty"`
	CreateTime  string `json:"createTime,omitempty"`
	UpdateTime  string `json:"updateTime,omitempty"`
}

// SupportPackage summarises a support package's entitlements.
type SupportPackage struct {
	ID                  string `json:"id"` // SILVER | GOLD | PLATINUM
	DisplayName         string `json:"displayName"`
	SupportCenterAccess bool   `json:"supportCenterAccess"`
	PhoneSupport        bool   `json:"phoneSupport"`
	Escalation          bool   `json:"escalation"`
	SupportHours        string `json:"supportHours,omitempty"`
}

// Product is a product the organisation bought.
type Product struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Reseller is a customer's current reseller and the customer's grant.
type Reseller struct {
	Organization string `json:"organization"` // organizations/{id}
	// DisplayName is filled on single-organisation responses only.
	DisplayName   string `json:"displayName,omitempty"`
	Since         string `json:"since,omitempty"`
	AccessGranted bool   `json:"accessGranted"`
	GrantTime     string `json:"grantTime,omitempty"`
	RevokeTime    string `json:"revokeTime,omitempty"`
}

// ResellerTerm is one period of a customer's management.
type ResellerTerm struct {
	Reseller  string `json:"reseller,omitempty"` // organizations/{id}; empty = the vendor
	StartTime string `json:"startTime,omitempty"`
	EndTime   string `json:"endTime,omitempty"` // empty = current
}

// ListOrganizationsResponse is the response of organizations.list.
type ListOrganizationsResponse struct {
	Organizations []Organization `json:"organizations"`
	NextPageToken string         `json:"nextPageToken,omitempty"`
}

// ProductSupport is an organisation's product support information.
type ProductSupport struct {
	Name           string                `json:"name"` // organizations/{id}/productSupport
	SupportPackage *SupportPackage       `json:"supportPackage,omitempty"`
	Products       []ProductSupportEntry `json:"products"`
}

// ProductSupportEntry is how one bought product is supported.
type ProductSupportEntry struct {
	ID              string           `json:"id"`
	DisplayName     string           `json:"displayName"`
	Classifications []Classification `json:"classifications"` // active ones
	SupportHours    string           `json:"supportHours,omitempty"`
	ServiceLevels   []ServiceLevel   `json:"serviceLevels"` // P0…P4
	// Phone is set only when the package includes phone support.
	Phone *PhoneSupport `json:"phone,omitempty"`
}

// Classification is a case classification.
type Classification struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// ServiceLevel is the package's target for one priority.
type ServiceLevel struct {
	Priority             string `json:"priority"`
	FirstResponseMinutes int    `json:"firstResponseMinutes"`
	NextResponseMinutes  int    `json:"nextResponseMinutes"`
}

// PhoneSupport is a product's phone lines.
type PhoneSupport struct {
	Numbers []PhoneNumber `json:"numbers"`
	Hours   string        `json:"hours,omitempty"`
}

// PhoneNumber is one regional phone line.
type PhoneNumber struct {
	Region string `json:"region"`
	Number string `json:"number"`
}

// AuditEntry is one entry of an organisation's audit trail.
type AuditEntry struct {
	Name    string            `json:"name"` // organizations/{org}/auditLog/{id}
	Actor   string            `json:"actor"`
	Action  string            `json:"action"`
	Target  string            `json:"target,omitempty"`
	Details map[string]string `json:"details,omitempty"`
	Time    string            `json:"time"`
}

// ListAuditLogResponse is the response of auditLog.list.
type ListAuditLogResponse struct {
	AuditEntries  []AuditEntry `json:"auditEntries"`
	NextPageToken string       `json:"nextPageToken,omitempty"`
}

// TransferRequest is the body of :transfer.
type TransferRequest struct {
	// ResellerID is the new reseller's id; "" returns the customer to the
	// vendor. Required, so an empty body never moves a customer.
	ResellerID *string `json:"resellerId"`
}

// CreateAccessRequest is the body of POST /v2/accessRequests.
type CreateAccessRequest struct {
	OrgID   string `json:"orgId,omitempty"` // the organisation asked about, if any
	Message string `json:"message"`
}

// AccessRequest is a filed access request.
type AccessRequest struct {
	Name  string `json:"name"` // accessRequests/{id}
	Email string `json:"email"`
	UID   string `json:"uid"`
	OrgID string `json:"orgId,omitempty"`
	// Cause is why the person has no access (NOT_A_MEMBER | PENDING |
	// PACKAGE_NOT_ELIGIBLE), to the organisation asked about when given;
	// empty when they already have access (they ask for something else).
	Cause      string `json:"cause,omitempty"`
	Message    string `json:"message"`
	State      string `json:"state"` // OPEN | APPROVED | REJECTED | RESOLVED
	CreateTime string `json:"createTime"`
	// Answer is the support team's approval or rejection, once given.
	Answer *AccessRequestAnswer `json:"answer,omitempty"`
}

// ListAccessRequestsResponse is the response of accessRequests.list.
type ListAccessRequestsResponse struct {
	AccessRequests []AccessRequest `json:"accessRequests"`
	NextPageToken  string          `json:"nextPageToken,omitempty"`
}

// orgView is what an actor in capacity c sees of o. A reseller sees what
// it needs to act for the customer (package, products, its own term and the
// grant), not the customer's domains, earlier resellers or timestamps.
func orgView(o *store.Org, c access.Capacity, pkg *store.Package, catalog map[string]*store.Product) Organization {
	out := Organization{Name: wire.OrgName(o.ID), DisplayName: o.DisplayName, Kind: o.Kind, Capacity: string(c),
		SupportPackage: packageView(pkg)}
	for _, id := range o.ProductIDs {
		p := Product{ID: id, DisplayName: id}
		if cp := catalog[id]; cp != nil {
			p.DisplayName = cp.DisplayName
		}
		out.Products = append(out.Products, p)
	}
	if o.Kind == store.KindCustomer && o.ResellerID != "" {
		ra := o.ResellerAccess
		out.Reseller = &Reseller{Organization: wire.OrgName(o.ResellerID), Since: wire.Timestamp(o.ResellerSince),
			AccessGranted: ra.Granted, GrantTime: wire.Timestamp(ra.GrantTime), RevokeTime: wire.Timestamp(ra.RevokeTime)}
	}
	if c == access.Reseller {
		return out
	}
	out.Domains = o.Domains
	for _, t := range o.ResellerHistory {
		term := ResellerTerm{StartTime: wire.Timestamp(t.Start), EndTime: wire.Timestamp(t.End)}
		if t.ResellerID != "" {
			term.Reseller = wire.OrgName(t.ResellerID)
		}
		out.ResellerHistory = append(out.ResellerHistory, term)
	}
	out.Suspended, out.SuspendTime = o.Suspended, wire.Timestamp(o.SuspendTime)
	out.CreateTime, out.UpdateTime = wire.Timestamp(o.CreateTime), wire.Timestamp(o.UpdateTime)
	return out
}

func packageView(p *store.Package) *SupportPackage {
	if p == nil {
		return nil
	}
	return &SupportPackage{ID: p.ID, DisplayName: p.DisplayName, SupportCenterAccess: p.SupportCenterAccess,
		PhoneSupport: p.PhoneSupport, Escalation: p.Escalation, SupportHours: p.SupportHours}
}

// productSupportView is o's product support information: for each bought
// product in the catalogue, its active classifications, the package's
// hours and service-level targets, and its phone lines only when the
// package includes phone support.
func productSupportView(o *store.Org, pkg *store.Package, catalog map[string]*store.Product) ProductSupport {
	out := ProductSupport{Name: wire.ProductSupportName(o.ID), SupportPackage: packageView(pkg),
		Products: []ProductSupportEntry{}}
	for _, id := range o.ProductIDs {
		p := catalog[id]
		if p == nil {
			continue // no longer sold: nothing to say about it
		}
		e := ProductSupportEntry{ID: p.ID, DisplayName: p.DisplayName, Classifications: []Classification{},
			ServiceLevels: []ServiceLevel{}}
		for _, c := range p.Classifications {
			if c.Active {
				e.Classifications = append(e.Classifications, Classification{ID: c.ID, DisplayName: c.DisplayName})
			}
		}
		if pkg != nil {
			e.SupportHours = pkg.SupportHours
			for _, pr := range casestate.Priorities {
				if t, ok := pkg.Targets[pr]; ok {
					e.ServiceLevels = append(e.ServiceLevels, ServiceLevel{Priority: pr,
						FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes})
				}
			}
			if pkg.PhoneSupport {
				e.Phone = phoneView(p)
			}
		}
		out.Products = append(out.Products, e)
	}
	return out
}

func phoneView(p *store.Product) *PhoneSupport {
	ph := &PhoneSupport{Numbers: []PhoneNumber{}, Hours: p.SupportHours}
	for region, number := range p.PhoneNumbers {
		ph.Numbers = append(ph.Numbers, PhoneNumber{Region: region, Number: number})
	}
	slices.SortFunc(ph.Numbers, func(a, b PhoneNumber) int { return strings.Compare(a.Region, b.Region) })
	return ph
}

func auditView(e *store.AuditEntry) AuditEntry {
	return AuditEntry{Name: wire.AuditEntryName(e.OrgID, e.ID), Actor: e.Actor, Action: e.Action,
		Target: e.Target, Details: e.Details, Time: wire.Timestamp(e.Time)}
}

func accessRequestView(r *store.AccessRequest) AccessRequest {
	return AccessRequest{Name: wire.AccessRequestName(r.ID), Email: r.Email, UID: r.UID, OrgID: r.OrgID, Cause: r.Cause,
		Message: r.Message, State: r.State, CreateTime: wire.Timestamp(r.CreateTime), Answer: answerView(r.Answer)}
}
