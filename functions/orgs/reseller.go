package orgs

import (
	"net/http"
	"strconv"
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// zeroTime is "no time" for AccessRequired causes without an ETA.
var zeroTime time.Time

// setResellerAccess serves POST /v2/organizations/{org}:grantResellerAccess
// and :revokeResellerAccess (body empty or {}): a customer's org admin
// grants or revokes its current reseller's access to its cases. Idempotent:
// granting a granted access changes nothing and writes nothing. Answers the
// Organization.
//
// Reads: resolve (4) + 1 in the transaction + 1 (the reseller's name).
// Writes: 2 (organisation, audit entry), or 0 when already so.
func (h *Handler) setResellerAccess(w http.ResponseWriter, r *http.Request, grant bool) error {
	verb := "revokeResellerAccess"
	if grant {
		verb = "grantResellerAccess"
	}
	a, err := h.actor(r, verb)
	if err != nil {
		return err
	}
	if err := a.Check(access.ResellerAccessManage); err != nil {
		return err
	}
	if err := decodeOptionalJSON(r, &struct{}{}); err != nil {
		return err
	}
	now := h.deps.Clock.Now()
	o, err := h.deps.Store.ChangeOrgReseller(r.Context(), a.Org.ID, now,
		func(_ *store.OrgTx, o *store.Org) (*store.AuditEntry, error) {
			return setGrant(o, grant, a.Email(), now)
		})
	if err != nil {
		return apierror.Describe(err, "organization")
	}
	return h.writeOrg(w, r, a, o)
}

// setGrant is the grant and revoke rule on o (read in the transaction): it
// edits o and returns the audit entry, or nil when o already is so.
func setGrant(o *store.Org, grant bool, actor string, now time.Time) (*store.AuditEntry, error) {
	if o.Kind != store.KindCustomer || o.ResellerID == "" {
		return nil, apierror.FailedPrecondition("%s has no reseller to grant access to", o.DisplayName)
	}
	if o.ResellerAccess.Granted == grant {
		return nil, nil
	}
	e := &store.AuditEntry{Actor: actor, Target: wire.OrgName(o.ResellerID)}
	o.ResellerAccess.Granted = grant
	if grant {
		o.ResellerAccess.GrantTime = now
		e.Action = store.AuditResellerGrant
	} else {
		o.ResellerAccess.RevokeTime = now
		e.Action = store.AuditResellerRevoke
	}
	return e, nil
}

// transfer serves POST /v2/organizations/{org}:transfer with
// {"resellerId": "<reseller id>" | ""}: a support admin moves a customer to
// another reseller, or back to the vendor with "". The current term ends
// and a new one starts now, and the grant is reset: the new reseller sees
// nothing until the customer grants access, and never the cases filed
// before (package access compares case filing time with ResellerSince).
// Transferring to the current reseller changes nothing. Answers the
// Organization.
//
// Reads: resolve (4) + 1 in the transaction (+1 for the new reseller) + 1
// (the reseller's name). Writes: 2 (organisation, audit entry), or 0.
func (h *Handler) transfer(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "transfer")
	if err != nil {
		return err
	}
	if err := a.Check(access.OrgsManage); err != nil {
		return err
	}
	var in TransferRequest
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	if in.ResellerID == nil {
		return apierror.InvalidArgument(`resellerId is required ("" returns the customer to the vendor)`).
			WithFieldViolation("resellerId", "required")
	}
	to := *in.ResellerID
	if to != "" && !wire.ValidOrgID(to) {
		return apierror.InvalidArgument("resellerId %q is not an organization id", to).
			WithFieldViolation("resellerId", "not an organization id")
	}
	now := h.deps.Clock.Now()
	st := h.deps.Store
	o, err := st.ChangeOrgReseller(r.Context(), a.Org.ID, now,
		func(t *store.OrgTx, o *store.Org) (*store.AuditEntry, error) {
			if o.Kind != store.KindCustomer {
				return nil, apierror.FailedPrecondition("only customers have resellers; %s is a %s", o.DisplayName, o.Kind)
			}
			if to == o.ResellerID {
				return nil, nil
			}
			if to != "" {
				r, err := t.Org(to)
				if err != nil && !store.IsNotFound(err) {
					return nil, err
				}
				if err != nil || r.Kind != store.KindReseller {
					return nil, apierror.InvalidArgument("%s is not a reseller organization", wire.OrgName(to)).
						WithFieldViolation("resellerId", "not a reseller")
				}
			}
			return moveTo(o, to, a.Email(), now), nil
		})
	if err != nil {
		return apierror.Describe(err, "organization")
	}
	return h.writeOrg(w, r, a, o)
}

// moveTo is the transfer rule on o (read in the transaction; to differs
// from its current reseller): it closes the current term, opens to's, and
// resets the grant. It returns the audit entry.
func moveTo(o *store.Org, to, actor string, now time.Time) *store.AuditEntry {
	from, wasGranted := o.ResellerID, o.ResellerAccess.Granted
	closed := false
	for i := range o.ResellerHistory {
		if o.ResellerHistory[i].End.IsZero() {
			o.ResellerHistory[i].End = now
			closed = true
		}
	}
	if !closed {
		// No open term recorded (written before history was kept): record
		// the term that ends now, so the history stays complete.
		start := o.ResellerSince
		if start.IsZero() {
			start = o.CreateTime
		}
		o.ResellerHistory = append(o.ResellerHistory, store.ResellerTerm{ResellerID: from, Start: start, End: now})
	}
	o.ResellerHistory = append(o.ResellerHistory, store.ResellerTerm{ResellerID: to, Start: now})
	o.ResellerID, o.ResellerSince = to, now
	o.ResellerAccess = store.ResellerAccess{} // a new term starts without consent
	e := &store.AuditEntry{Actor: actor, Action: store.AuditOrgTransfer, Details: map[string]string{}}
	if from != "" {
		e.Details["fromReseller"] = wire.OrgName(from)
		e.Details["fromResellerAccessGranted"] = strconv.FormatBool(wasGranted)
	}
	if to != "" {
		e.Target = wire.OrgName(to)
		e.Details["toReseller"] = wire.OrgName(to)
	}
	return e
}
