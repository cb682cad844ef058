// Package store is the Firestore data layer: the document types of Support
// Center and small, measured reads and writes over them. Browsers never reach
// Firestore (security rules deny all); functions read through this package and
// decide access with package access.
//
// Collections:
//
//	organizations/{orgId}       Org
//	packages/{packageId}        Package (SILVER, GOLD, PLATINUM)
//	products/{productId}        Product with its classifications
//	memberships/{orgId}_{hash}  Membership (hash = MembershipKey of the e-mail)
//	auditLog/{auto}             AuditEntry
//	accessRequests/{auto}       AccessRequest
//	domains/{domain}            DomainClaim (which organisation a domain belongs to)
//	meta/catalog                the catalogue version (see CatalogVersion)
//	resources/{id}              Resource (resources.go)
//	resourceDownloads/{auto}    ResourceDownload
//	feedback/{auto}             Feedback (feedback.go)
package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Collection names.
const (
	OrgsCollection           = "organizations"
	PackagesCollection       = "packages"
	ProductsCollection       = "products"
	MembershipsCollection    = "memberships"
	AuditCollection          = "auditLog"
	AccessRequestsCollection = "accessRequests"
)

// Organisation kinds.
const (
	KindCustomer = "CUSTOMER"
	KindReseller = "RESELLER"
	KindVendor   = "VENDOR"
)

// Org is an organisation: a customer that bought products with a support
// package, a reseller that serves customers, or the vendor (support team).
type Org struct {
	ID          string   `firestore:"-"`
	DisplayName string   `firestore:"displayName"`
	Kind        string   `firestore:"kind"`
	Domains     []string `firestore:"domains"` // verified e-mail domains, lower case
	PackageID   string   `firestore:"packageId,omitempty"`
	ProductIDs  []string `firestore:"productIds,omitempty"`
	// Current reseller, when a reseller manages this customer.
	ResellerID    string    `firestore:"resellerId,omitempty"`
	ResellerSince time.Time `firestore:"resellerSince,omitempty"`
	// The customer's consent for its reseller to see and act on its cases.
	ResellerAccess  ResellerAccess `firestore:"resellerAccess"`
	ResellerHistory []ResellerTerm `firestore:"resellerHistory,omitempty"`
	// Suspended organisations keep everything, but their people have no
	// access (ACCESS_REQUIRED, cause SUSPENDED) until support resumes them.
	Suspended   bool      `firestore:"suspended,omitempty"`
	SuspendTime time.Time `firestore:"suspendTime,omitempty"`
	CreateTime  time.Time `firestore:"createTime"`
	UpdateTime  time.Time `firestore:"updateTime"`

	// SSO is the customer's identity provider and policy (nil: none).
	SSO *SSOConfig `firestore:"sso,omitempty"`
}

// ResellerAccess is the customer's grant to its current reseller.
type ResellerAccess struct {
	Granted    bool      `firestore:"granted"`
	GrantTime  time.Time `firestore:"grantTime,omitempty"`
	RevokeTime time.Time `firestore:"revokeTime,omitempty"`
}

// ResellerTerm is one period during which a reseller (or the vendor, when
// ResellerID is empty) managed a customer.
type ResellerTerm struct {
	ResellerID string    `firestore:"resellerId"`
	Start      time.Time `firestore:"start"`
	End        time.Time `firestore:"end,omitempty"`
}

// Package is a support package and its entitlements.
type Package struct {
	ID                  string `firestore:"-"`
	DisplayName         string `firestore:"displayName"`
	SupportCenterAccess bool   `firestore:"supportCenterAccess"`
	PhoneSupport        bool   `firestore:"phoneSupport"`
	Escalation          bool   `firestore:"escalation"`
	SupportHours        string `firestore:"supportHours"` // e.g. "24x7", "Mon-Fri 09:00-18:00 local"
	// Service-level targets per priority (casestate.Priorities).
	Targets               map[string]Target `firestore:"targets"`
	MaxAttachmentBytes    int64             `firestore:"maxAttachmentBytes"`
	MaxAttachmentsPerCase int               `firestore:"maxAttachmentsPerCase"`
	// AutoClose are the package's waiting-on-customer windows; the zero
	// value means the defaults (reminder after 3 days, close after 7).
	AutoClose AutoClose `firestore:"autoClose"`
	// RateLimits overrides the default rate limits per action
	// (shared/ratelimit action names: caseCreate, commentCreate, upload,
	// userAdd, accessRequest, feedback).
	RateLimits map[string]RateLimit `firestore:"rateLimits,omitempty"`
	// Inactive packages are no longer sold: no organisation is given one
	// anew; those that have it keep it (cases point to it).
	Inactive bool `firestore:"inactive,omitempty"`
}

// AutoClose configures reminders and automatic closing of cases that wait
// on the customer.
type AutoClose struct {
	Off          bool `firestore:"off"`
	ReminderDays int  `firestore:"reminderDays,omitempty"`
	CloseDays    int  `firestore:"closeDays,omitempty"`
}

// Target is a service-level target for one priority.
type Target struct {
	FirstResponseMinutes int `firestore:"firstResponseMinutes"`
	NextResponseMinutes  int `firestore:"nextResponseMinutes"`
}

// Product is something the vendor sells, with its case classifications.
type Product struct {
	ID              string           `firestore:"-"`
	DisplayName     string           `firestore:"displayName"`
	Classifications []Classification `firestore:"classifications"`
	// Phone numbers by region label, e.g. {"KR": "+82 2 …", "US": "+1 …"}.
	PhoneNumbers map[string]string `firestore:"phoneNumbers"`
	SupportHours string            `firestore:"supportHours"`
	// Inactive products are no longer sold: no organisation is given one
	// anew; those that have it keep it (cases point to it).
	Inactive bool `firestore:"inactive,omitempty"`
}

// Classification is a case classification; ids stay valid after deactivation.
type Classification struct {
	ID          string `firestore:"id"`
	DisplayName string `firestore:"displayName"` // "Product > Component"
	Active      bool   `firestore:"active"`
}

// Membership statuses.
const (
	StatusPending  = "PENDING"
	StatusActive   = "ACTIVE"
	StatusDisabled = "DISABLED"
)

// Roles. Customer and reseller organisations use the first four; the vendor
// organisation uses the support roles.
const (
	RoleOrgAdmin     = "ORG_ADMIN"
	RoleProductAdmin = "PRODUCT_ADMIN" // needs ProductIDs
	RoleMember       = "MEMBER"        // org-wide, or limited to ProductIDs
	RoleViewer       = "VIEWER"        // org-wide, or limited to ProductIDs
	RoleSupportAgent = "SUPPORT_AGENT"
	RoleSupportAdmin = "SUPPORT_ADMIN"
)

// Role is one role grant, org-wide when ProductIDs is empty.
type Role struct {
	Role       string   `firestore:"role" json:"role"`
	ProductIDs []string `firestore:"productIds,omitempty" json:"productIds,omitempty"`
}

// Membership gives a person (by sign-in e-mail) access to one organisation.
type Membership struct {
	ID           string    `firestore:"-"`
	OrgID        string    `firestore:"orgId"`
	Email        string    `firestore:"email"` // lower case
	UID          string    `firestore:"uid,omitempty"`
	DisplayName  string    `firestore:"displayName,omitempty"`
	Language     string    `firestore:"language,omitempty"` // "en" or "ko"
	Status       string    `firestore:"status"`
	ActivateTime time.Time `firestore:"activateTime,omitempty"` // expected (PENDING) or actual (ACTIVE)
	Roles        []Role    `firestore:"roles"`
	AddedBy      string    `firestore:"addedBy,omitempty"`
	CreateTime   time.Time `firestore:"createTime"`
	UpdateTime   time.Time `firestore:"updateTime"`
}

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// MembershipKey is the stable document-id part for an e-mail address
// (addresses may hold characters Firestore ids do not allow).
func MembershipKey(email string) string {
	sum := sha256.Sum256([]byte(NormalizeEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// MembershipID is the document id of email's membership in orgID.
func MembershipID(orgID, email string) string { return orgID + "_" + MembershipKey(email) }

// AuditEntry records one access change (grant, revocation, role change,
// transfer). Customers' admins read their organisation's entries.
type AuditEntry struct {
	ID      string            `firestore:"-"`
	OrgID   string            `firestore:"orgId"`
	Actor   string            `firestore:"actor"` // e-mail of who did it
	Action  string            `firestore:"action"`
	Target  string            `firestore:"target,omitempty"`
	Details map[string]string `firestore:"details,omitempty"`
	Time    time.Time         `firestore:"time"`
}

// AccessRequest is a "no access" form submission for the support team.
type AccessRequest struct {
	ID         string    `firestore:"-"`
	Email      string    `firestore:"email"`
	UID        string    `firestore:"uid"`
	OrgID      string    `firestore:"orgId,omitempty"` // the organisation asked about, if any
	Cause      string    `firestore:"cause"`           // NOT_A_MEMBER | PENDING | PACKAGE_NOT_ELIGIBLE
	Message    string    `firestore:"message"`
	State      string    `firestore:"state"` // OPEN | APPROVED | REJECTED (RESOLVED: closed without an answer)
	CreateTime time.Time `firestore:"createTime"`
	// Answer is the support team's approval or rejection, once given.
	Answer *AccessRequestAnswer `firestore:"answer,omitempty"`
}
