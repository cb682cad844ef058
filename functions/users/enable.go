package users

import (
	"context"
	"errors"
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Accounts is the part of the Auth account API re-enabling reads
// (shared/authadmin.Client).
type Accounts interface {
	AccountByEmail(ctx context.Context, email string) (*authadmin.Account, error)
}

// WithAccounts sets the Auth account client re-enabling asks; Build sets
// the production one.
func (h *Handler) WithAccounts(a Accounts) *Handler {
	h.accounts = a
	return h
}

// enable serves POST …/users/{user}:enable: a DISABLED membership becomes
// ACTIVE again (PENDING when its activation time is still ahead), for the
// same people who may disable it (org admins; support admins in the vendor
// organisation). Access is read from the membership on every request, so
// it applies to the person's next request. Enabling a user who is not
// disabled changes nothing.
//
// The person's Firebase Auth account is looked up (authadmin): an account
// disabled in Firebase Auth itself is a block over every organisation, which
// an organisation's admin does not lift (FAILED_PRECONDITION); an account
// that no longer exists, or a provisioning that never completed (the user
// was disabled before it ran), starts provisioning again — an account, the
// welcome e-mail — with a new membership event.
//
// Reads: resolve (4) + 1 (transaction); one Auth look-up. Writes: 2 (3 +
// the event's outbox document, and its delete, when provisioning restarts),
// 0 when the user is not disabled.
func (h *Handler) enable(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersManage)
	if err != nil {
		return err
	}
	if err := requireOrgAdmin(a, "enable users"); err != nil {
		return err
	}
	id, err := membershipID(r, a)
	if err != nil {
		return err
	}
	if h.accounts == nil {
		return apierror.Unavailable(errors.New("users: no Auth account client"))
	}
	ctx := r.Context()
	now := h.deps.Clock.Now()
	m, msgs, err := h.deps.Store.EnableMembership(ctx, id, now, func(m *store.MembershipDoc) (*store.AuditEntry, *events.MembershipEvent, error) {
		if m.Status != store.StatusDisabled {
			return nil, nil, nil
		}
		acc, err := h.accounts.AccountByEmail(ctx, m.Email)
		gone := errors.Is(err, authadmin.ErrNotFound)
		switch {
		case gone:
		case err != nil:
			return nil, nil, apierror.Unavailable(err)
		case acc.Disabled:
			return nil, nil, apierror.FailedPrecondition("the sign-in account of %s is disabled in the identity system, for every organization; enabling the user here would not let them sign in", m.Email)
		}
		m.Status = store.StatusActive
		if m.ActivateTime.After(now) {
			m.Status = store.StatusPending
		}
		audit := &store.AuditEntry{Actor: a.Email(), Action: store.AuditUserEnable, Details: map[string]string{"status": m.Status}}
		if !gone && (m.Provision == nil || m.Provision.State == provisioning.Done) {
			return audit, nil, nil
		}
		var ev events.MembershipEvent
		m.Provision, ev = store.StartProvisioning(m.OrgID, m.ID, now)
		audit.Details["provisioning"] = provisioning.Pending
		return audit, &ev, nil
	})
	if err != nil {
		return apierror.Describe(err, "user")
	}
	// The change is stored; if this publish fails the relay sends the
	// event (and the sweep re-drives provisioning at its retry time).
	h.outbox.Send(ctx, msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toUser(m))
}
