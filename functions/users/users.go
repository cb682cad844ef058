// Package users is the "users" HTTP function: an organisation's users, their
// roles and delayed activation.
//
//	GET    /v2/organizations/{org}/users                 list (status, roles, activateTime), cursor paginated
//	POST   /v2/organizations/{org}/users                 add (org admins): PENDING until activateTime
//	GET    /v2/organizations/{org}/users/{user}          one user
//	PATCH  /v2/organizations/{org}/users/{user}          change roles (org admins; product admins on their products)
//	POST   /v2/organizations/{org}/users/{user}:disable  disable (org admins)
//	POST   /v2/organizations/{org}/users/{user}:enable   re-enable a disabled user (org admins)
//	DELETE /v2/organizations/{org}/users/{user}          remove (org admins)
//
// The vendor organisation's users are the support staff: there only its
// support admins add, change, disable, enable and remove users, and the
// roles are SUPPORT_AGENT and SUPPORT_ADMIN (organisation-wide); no other
// organisation grants them (access.NormalizeRoles). The vendor keeps its
// last active support admin as a customer keeps its last org admin.
//
// Costs (Firestore reads R / writes W; "resolve" is 4 reads, the catalogue
// version included): list resolve
// + users (≥ 1); get resolve + 1; add resolve + 1 (rate limit) R, 3 + 1
// (event delete) + 1 (rate limit) W; patch/disable/delete resolve + 1 R
// (+ 3 when the last admin is checked), 2 W; enable resolve + 1 R and one
// Auth look-up, 2 W (+ 2 when provisioning restarts), 0 when not disabled.
//
// {user} is store.MembershipKey of the address. Every change is one
// Firestore transaction that writes the audit entry with it; the last
// active org admin can be neither demoted, disabled nor removed. Access is
// read from memberships on every request (access.Resolver), so a change
// applies to the person's next request, without waiting for a token refresh.
//
// Adding writes a membership event to the outbox in the same commit and
// publishes it right after (package outbox); the provision function creates the
// Auth account and sends the welcome e-mail, and the activate-users sweep
// activates the membership when its time comes (and re-drives provisioning
// that never completed).
package users

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/domain/address"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/pagination"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/ratelimit"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.HTTP("users", Entry) }

// Entry is the function's entry point.
var Entry = runtime.HTTP("users", Build)

// Build returns the function's HTTP handler over the runtime's
// dependencies, publishing membership events to Pub/Sub.
func Build(ctx context.Context, deps *runtime.Deps, cfg Config) (http.Handler, error) {
	pub, err := publish.New(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	accounts, err := authadmin.NewFromEnv(ctx, deps.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return New(deps, cfg, pub).WithAccounts(accounts).Routes(), nil
}

// Config is the users function's own configuration.
type Config struct {
	// ActivationDelay is how long after being added a membership becomes
	// active (the vendor promises at most 24 hours; 0 = as soon as
	// provisioning has run).
	ActivationDelay time.Duration `env:"ACTIVATION_DELAY" default:"24h"`
}

// MaxActivationDelay is the promise made to customers.
const MaxActivationDelay = provisioning.MaxActivationDelay

// Validate checks the activation delay.
func (c Config) Validate() error { return provisioning.CheckActivationDelay(c.ActivationDelay) }

// Page sizes of the list.
const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// Handler serves the function's routes.
type Handler struct {
	deps     *runtime.Deps
	cfg      Config
	outbox   *outbox.Outbox
	accounts Accounts
}

// New returns a Handler over its dependencies, publishing membership
// events with pub.
func New(deps *runtime.Deps, cfg Config, pub events.Publisher) *Handler {
	return &Handler{deps: deps, cfg: cfg, outbox: outbox.New(deps.Store, pub, deps.Logger)}
}

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations/{org}/users", httpapi.Methods{
		"GET":  h.deps.Handle(h.list),
		"POST": h.deps.Handle(h.add),
	})
	user := httpapi.Methods{
		"GET":    h.deps.Handle(h.get),
		"PATCH":  h.deps.Handle(h.patch),
		"DELETE": h.deps.Handle(h.remove),
	}
	disable := httpapi.Methods{"POST": h.deps.Handle(h.disable)}
	enable := httpapi.Methods{"POST": h.deps.Handle(h.enable)}
	mux.HandleFunc("/v2/organizations/{org}/users/{user}", func(w http.ResponseWriter, r *http.Request) {
		_, verb := httpapi.SplitVerb(r.PathValue("user"))
		switch verb {
		case "":
			user.ServeHTTP(w, r)
		case "disable":
			disable.ServeHTTP(w, r)
		case "enable":
			enable.ServeHTTP(w, r)
		default:
			apierror.Write(r.Context(), w, nil, apierror.NotFound("no such method :%s", verb))
		}
	})
	mux.Handle("/", httpapi.NotFoundHandler())
	return h.deps.Wrap(mux, 0)
}

// User is a user of an organisation as the API shows it.
type User struct {
	Name        string       `json:"name"` // organizations/{org}/users/{user}
	Email       string       `json:"email"`
	DisplayName string       `json:"displayName,omitempty"`
	Language    string       `json:"language,omitempty"`
	Status      string       `json:"status"` // PENDING | ACTIVE | DISABLED
	Roles       []store.Role `json:"roles"`
	// ActivateTime is the expected activation while PENDING, the actual
	// one once ACTIVE.
	ActivateTime string        `json:"activateTime,omitempty"`
	Provisioning *Provisioning `json:"provisioning,omitempty"`
	AddedBy      string        `json:"addedBy,omitempty"`
	CreateTime   string        `json:"createTime,omitempty"`
	UpdateTime   string        `json:"updateTime,omitempty"`
}

// Provisioning is the state of the account set-up behind a new user.
type Provisioning struct {
	State string `json:"state"` // PENDING | DONE | FAILED | CANCELLED
	Error string `json:"error,omitempty"`
}

// ListResponse is the response of the list.
type ListResponse struct {
	Users         []User `json:"users"`
	NextPageToken string `json:"nextPageToken,omitempty"`
}

// AddRequest is the body of an add.
type AddRequest struct {
	Email       string       `json:"email"`
	DisplayName string       `json:"displayName"`
	Language    string       `json:"language"` // "en" (default) or "ko"
	Roles       []store.Role `json:"roles"`
}

// PatchRequest is the body of a role change: the complete new roles list.
type PatchRequest struct {
	Roles []store.Role `json:"roles"`
}

func toUser(m *store.MembershipDoc) User {
	key := strings.TrimPrefix(m.ID, m.OrgID+"_")
	u := User{Name: wire.UserName(m.OrgID, key), Email: m.Email, DisplayName: m.DisplayName,
		Language: m.Language, Status: m.Status, Roles: m.Roles, AddedBy: m.AddedBy,
		ActivateTime: wire.Timestamp(m.ActivateTime), CreateTime: wire.Timestamp(m.CreateTime), UpdateTime: wire.Timestamp(m.UpdateTime)}
	if u.Roles == nil {
		u.Roles = []store.Role{}
	}
	if m.Provision != nil {
		u.Provisioning = &Provisioning{State: m.Provision.State, Error: m.Provision.Error}
	}
	return u
}

var (
	userIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// actor resolves the caller for the path's organisation and checks action.
func (h *Handler) actor(r *http.Request, action access.Action) (*access.Actor, error) {
	org := r.PathValue("org")
	if !wire.ValidOrgID(org) {
		// Still authenticate first: anonymous callers get 401 everywhere.
		if _, err := h.deps.Identity(r); err != nil {
			return nil, err
		}
		return nil, apierror.NotFound("organization not found")
	}
	a, err := h.deps.Actor(r, org)
	if err != nil {
		return nil, err
	}
	if err := a.Check(action); err != nil {
		return nil, err
	}
	return a, nil
}

// requireOrgAdmin refuses everyone but the organisation's admins (the
// vendor organisation's: its support admins).
func requireOrgAdmin(a *access.Actor, what string) error {
	if !a.AdministersUsers() {
		return apierror.PermissionDenied("only organization admins can %s", what)
	}
	return nil
}

// membershipID returns the document id of the path's user in a's org.
func membershipID(r *http.Request, a *access.Actor) (string, error) {
	key, _ := httpapi.SplitVerb(r.PathValue("user"))
	if !userIDRe.MatchString(key) {
		return "", apierror.NotFound("user not found")
	}
	return a.Org.ID + "_" + key, nil
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersRead)
	if err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	after, err := decodePageToken(r.URL.Query().Get("pageToken"), a.Org.ID)
	if err != nil {
		return err
	}
	// One extra document tells whether another page follows.
	ms, err := h.deps.Store.OrgMemberships(r.Context(), a.Org.ID, after, size+1)
	if err != nil {
		return apierror.From(err)
	}
	out := ListResponse{Users: []User{}}
	for i, m := range ms {
		if i == size {
			out.NextPageToken = encodePageToken(a.Org.ID, ms[i-1].ID)
			break
		}
		out.Users = append(out.Users, toUser(m))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersRead)
	if err != nil {
		return err
	}
	id, err := membershipID(r, a)
	if err != nil {
		return err
	}
	m, err := h.deps.Store.MembershipDocByID(r.Context(), id)
	if store.IsNotFound(err) {
		return apierror.NotFound("user not found")
	}
	if err != nil {
		return apierror.From(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, toUser(m))
}

func (h *Handler) add(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersManage)
	if err != nil {
		return err
	}
	if err := requireOrgAdmin(a, "add users"); err != nil {
		return err
	}
	var req AddRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		return err
	}
	email, err := address.Check(req.Email, a.Org.Domains)
	if err != nil {
		return apierror.InvalidArgument("email: %v", err).WithFieldViolation("email", err.Error())
	}
	name, err := text.DisplayName("displayName", req.DisplayName)
	if err != nil {
		return err
	}
	lang := req.Language
	if lang == "" {
		lang = text.DefaultLanguage
	}
	if err := text.Language("language", lang); err != nil {
		return err
	}
	roles, err := normalizeRoles(req.Roles, a.Org)
	if err != nil {
		return apierror.InvalidArgument("roles: %v", err).WithFieldViolation("roles", err.Error())
	}
	if err := h.deps.Limit(r.Context(), a, ratelimit.UserAdd); err != nil {
		return err
	}

	now := h.deps.Clock.Now()
	m, ev := store.PendingMembership(store.NewMember{OrgID: a.Org.ID, Email: email, DisplayName: name, Language: lang,
		Roles: roles, AddedBy: a.Email(), ActivateTime: now.Add(h.cfg.ActivationDelay)}, now)
	msgs, err := h.deps.Store.AddMembership(r.Context(), m, store.AuditEntry{OrgID: a.Org.ID, Actor: a.Email(), Action: store.AuditUserAdd,
		Target: email, Details: map[string]string{"roles": describeRoles(roles), "activateTime": wire.Timestamp(m.ActivateTime)}, Time: now}, ev)
	if errors.Is(err, store.ErrAlreadyExists) {
		return apierror.AlreadyExists("%s is already a user of %s", email, a.Org.DisplayName)
	}
	if err != nil {
		return apierror.Describe(err, "user")
	}
	// The membership is stored; if this publish fails the relay sends the
	// event (and the sweep re-drives provisioning at provision.retryTime).
	h.outbox.Send(r.Context(), msgs...)
	return httpapi.WriteJSON(w, http.StatusOK, toUser(m))
}

func (h *Handler) patch(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersManage)
	if err != nil {
		return err
	}
	administered := a.AdministeredProducts() // nil = org admin
	id, err := membershipID(r, a)
	if err != nil {
		return err
	}
	var req PatchRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		return err
	}
	roles, err := normalizeRoles(req.Roles, a.Org)
	if err != nil {
		return apierror.InvalidArgument("roles: %v", err).WithFieldViolation("roles", err.Error())
	}
	return h.change(w, r, a, id, func(t *store.MembershipTx, m *store.MembershipDoc) (*store.AuditEntry, error) {
		if administered != nil {
			if m.Email == a.Email() {
				return nil, apierror.PermissionDenied("product admins cannot change their own roles")
			}
			if err := checkProductAdminChange(m.Roles, roles, administered); err != nil {
				return nil, apierror.PermissionDenied("%v", err)
			}
		}
		if describeRoles(m.Roles) == describeRoles(roles) {
			return nil, nil // nothing to change
		}
		if admin := access.AdminRole(a.Org); access.HoldsRole(m.Roles, admin) && !access.HoldsRole(roles, admin) {
			if err := keepAnAdmin(t, m, a.Org, "remove the "+admin+" role of"); err != nil {
				return nil, err
			}
		}
		m.Roles = roles
		return &store.AuditEntry{Actor: a.Email(), Action: store.AuditUserRoles, Details: map[string]string{"roles": describeRoles(roles)}}, nil
	})
}

func (h *Handler) disable(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersManage)
	if err != nil {
		return err
	}
	if err := requireOrgAdmin(a, "disable users"); err != nil {
		return err
	}
	id, err := membershipID(r, a)
	if err != nil {
		return err
	}
	return h.change(w, r, a, id, func(t *store.MembershipTx, m *store.MembershipDoc) (*store.AuditEntry, error) {
		if m.Status == store.StatusDisabled {
			return nil, nil
		}
		if err := keepAnAdmin(t, m, a.Org, "disable"); err != nil {
			return nil, err
		}
		old := m.Status
		m.Status = store.StatusDisabled
		return &store.AuditEntry{Actor: a.Email(), Action: store.AuditUserDisable, Details: map[string]string{"previousStatus": old}}, nil
	})
}

func (h *Handler) remove(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, access.UsersManage)
	if err != nil {
		return err
	}
	if err := requireOrgAdmin(a, "remove users"); err != nil {
		return err
	}
	id, err := membershipID(r, a)
	if err != nil {
		return err
	}
	err = h.deps.Store.RemoveMembership(r.Context(), id, h.deps.Clock.Now(), func(t *store.MembershipTx, m *store.MembershipDoc) (*store.AuditEntry, error) {
		if err := keepAnAdmin(t, m, a.Org, "remove"); err != nil {
			return nil, err
		}
		return &store.AuditEntry{Actor: a.Email(), Action: store.AuditUserRemove,
			Details: map[string]string{"roles": describeRoles(m.Roles), "status": m.Status}}, nil
	})
	if err != nil {
		return apierror.Describe(err, "user")
	}
	return httpapi.WriteJSON(w, http.StatusOK, struct{}{})
}

// change applies fn to the membership in one transaction (the store writes
// the audit entry with it) and answers with the resulting user.
func (h *Handler) change(w http.ResponseWriter, r *http.Request, a *access.Actor, id string, fn store.MembershipChange) error {
	m, err := h.deps.Store.UpdateMembership(r.Context(), id, h.deps.Clock.Now(), fn)
	if err != nil {
		return apierror.Describe(err, "user")
	}
	return httpapi.WriteJSON(w, http.StatusOK, toUser(m))
}

// keepAnAdmin refuses to take the org admin role (by demotion, disabling
// or removal) from the organisation's last active org admin (in the vendor
// organisation: its last support admin). The other
// admins are read inside the transaction, so two admins demoting each
// other at once conflict and the second is refused. (A concurrent change
// may make it refuse when a brand-new admin was just added: that errs on
// the safe side, and a retry succeeds.)
func keepAnAdmin(t *store.MembershipTx, m *store.MembershipDoc, org *store.Org, what string) error {
	admin := access.AdminRole(org)
	if m.Status != store.StatusActive || !access.HoldsRole(m.Roles, admin) {
		return nil
	}
	n, err := t.OtherActiveWithRole(m, admin, 3)
	if err != nil {
		return err
	}
	if n == 0 {
		return apierror.FailedPrecondition("cannot %s %s: the organization must keep at least one active %s; give someone else that role first", what, m.Email, admin)
	}
	return nil
}
