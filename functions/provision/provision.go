// Package provision is the "provision" event function: it sets up a person
// an organisation admin added (membership events, Pub/Sub topic
// membership-events, pushed as CloudEvents).
//
// For a membership.added event it re-reads the membership (the message
// carries ids only), makes sure a Firebase Auth account exists for the
// address (created without a password, e-mail not yet verified), stores its
// uid on the membership, sends one welcome e-mail in the membership's
// language with a set-password link when the account needs one, and
// activates the membership at once when its activation time has already
// passed (ACTIVATION_DELAY=0).
//
// An existing account is trusted as is only when its address is verified
// (only the owner of the mailbox, or a provider that proved it, can do
// that). Anyone can sign up with a future member's address before an admin
// adds it ("pre-hijacking"); such an unverified account is taken back before
// the membership points at it: its password, names and foreign providers
// are removed and its sessions revoked (authadmin.Reset), and the real
// person gets a set-password link — never a verify-address link, which
// would verify the squatter's password.
//
// The same topic carries accessRequest.answered events: the requester of
// an access request the support team approved or rejected gets the answer
// by e-mail, in their profile's language (answer.go); and feedback.received
// events: the sender of "Send feedback" gets one acknowledgement
// (feedback.go).
//
// Delivery is at least once. A dedupe record per event makes duplicate and
// concurrent deliveries one effect, and a second one per event and recipient
// guards the e-mail (SendGrid has no idempotency key). Transient failures
// return an error so Pub/Sub redelivers; permanent ones are recorded on the
// membership (provision.state FAILED, provision.error) and acknowledged.
// The activate-users sweep re-publishes events whose provisioning never
// completed. Links, addresses and e-mail bodies are never logged.
package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("provision", Entry) }

// Entry is the function's entry point; the handler is built on the first event.
var Entry = runtime.Event("provision", Build)

// Config is what the function reads from its environment besides
// runtime.Config (whose PortalURL is where the welcome e-mail sends people,
// and where the set-password page continues to).
type Config struct {
	Mail mail.Config
}

// Accounts is the part of the Auth account API provisioning uses
// (shared/authadmin).
type Accounts interface {
	AccountByEmail(ctx context.Context, email string) (*authadmin.Account, error)
	CreateAccount(ctx context.Context, email, displayName string) (*authadmin.Account, error)
	Reset(ctx context.Context, uid string, providers []string, now time.Time) error
	PasswordResetLink(ctx context.Context, email, continueURL string) (string, error)
}

// Sender sends e-mail (shared/mail.Sender).
type Sender interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// Handler provisions memberships.
type Handler struct {
	Store     *store.Store
	Accounts  Accounts
	Mail      Sender
	Dedupe    *dedupe.Deduper
	Clock     clock.Clock
	Logger    *slog.Logger
	PortalURL string
}

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	sender, err := mail.New(cfg.Mail)
	if err != nil {
		return nil, err
	}
	accounts, err := authadmin.NewFromEnv(ctx, d.Config.ProjectID)
	if err != nil {
		return nil, fmt.Errorf("firebase auth: %w", err)
	}
	return &Handler{
		Store:     d.Store,
		Accounts:  accounts,
		Mail:      sender,
		Dedupe:    &dedupe.Deduper{Store: d.Store, Clock: d.Clock},
		Clock:     d.Clock,
		Logger:    d.Logger,
		PortalURL: d.Config.PortalURL,
	}, nil
}

// Dedupe scopes.
const (
	scopeEvent   = "provision"
	scopeWelcome = "welcome-email"
)

// permanent is a failure that will not go away by retrying: a typed
// FAILED_PRECONDITION, which apierror.Retryable calls permanent.
func permanent(format string, args ...any) error {
	return apierror.FailedPrecondition(format, args...)
}

// Handle processes one pushed membership event. It returns nil when the
// message should be acknowledged, an error when it should be redelivered.
func (h *Handler) Handle(ctx context.Context, e event.Event) error {
	if ae, ok, err := events.DecodeAccessRequestPush(e.Data()); ok {
		return h.handleAnswer(ctx, e, ae, err)
	}
	if fe, ok, err := events.DecodeFeedbackPush(e.Data()); ok {
		return h.handleFeedback(ctx, e, fe, err)
	}
	ev, err := events.DecodeMembershipPush(e.Data())
	if err != nil {
		// Never processable: acknowledge, and say why.
		h.Logger.WarnContext(ctx, "provision: dropping undecodable message", "cloudEvent", e.ID(), "error", err.Error())
		return nil
	}
	log := h.Logger.With("event", ev.ID, "membership", ev.MembershipID)
	claim, err := h.Dedupe.Claim(ctx, dedupe.Key{Scope: scopeEvent, ID: ev.ID})
	switch {
	case errors.Is(err, dedupe.ErrDone):
		log.InfoContext(ctx, "provision: duplicate delivery ignored")
		return nil
	case errors.Is(err, dedupe.ErrBusy):
		return fmt.Errorf("provision: event %s is being handled by another delivery", ev.ID)
	case err != nil:
		return err
	}
	err = h.provision(ctx, ev, log)
	if err != nil && !apierror.Retryable(err) {
		reason := apierror.From(err).Message
		log.WarnContext(ctx, "provision: permanent failure recorded", "reason", reason)
		err = h.recordFailure(ctx, ev, reason)
	}
	if err != nil {
		if rerr := claim.Release(ctx); rerr != nil {
			log.WarnContext(ctx, "provision: release claim", "error", rerr.Error())
		}
		log.WarnContext(ctx, "provision: will retry", "error", err.Error())
		return err
	}
	if err := claim.Done(ctx); err != nil {
		// The work is done and recorded on the membership; a redelivery
		// would find it so and do nothing.
		log.WarnContext(ctx, "provision: mark done", "error", err.Error())
	}
	return nil
}

func (h *Handler) provision(ctx context.Context, ev events.MembershipEvent, log *slog.Logger) error {
	m, err := h.Store.MembershipDocByID(ctx, ev.MembershipID)
	if store.IsNotFound(err) {
		log.InfoContext(ctx, "provision: membership removed before provisioning")
		return nil
	}
	if err != nil {
		return err
	}
	if m.OrgID != ev.OrgID || m.Provision == nil || m.Provision.EventID != ev.ID {
		log.InfoContext(ctx, "provision: stale event (the membership was re-added since)")
		return nil
	}
	if !provisioning.Awaits(m.Provision.State, m.Provision.EventID, ev.ID) {
		return h.activate(ctx, m, log)
	}
	if m.Status == store.StatusDisabled {
		return h.setState(ctx, ev, provisioning.Cancelled, "disabled before provisioning")
	}
	org, err := h.Store.Org(ctx, m.OrgID)
	if store.IsNotFound(err) {
		return permanent("the organization no longer exists")
	}
	if err != nil {
		return err
	}
	user, err := h.ensureAccount(ctx, m)
	if err != nil {
		return err
	}
	if err := h.sendWelcome(ctx, ev, m, org, user); err != nil {
		return err
	}
	if err := h.complete(ctx, ev, user.UID); err != nil {
		return err
	}
	log.InfoContext(ctx, "provision: done")
	return h.activate(ctx, m, log)
}

// ensureAccount returns the Auth account for the address, creating it
// (no password, e-mail not verified) when there is none, and taking back
// one whose address is not verified.
func (h *Handler) ensureAccount(ctx context.Context, m *store.MembershipDoc) (*authadmin.Account, error) {
	u, err := h.Accounts.AccountByEmail(ctx, m.Email)
	if err == nil {
		return h.takeBack(ctx, u)
	}
	if !errors.Is(err, authadmin.ErrNotFound) {
		return nil, classifyAuth(err, "look up the account")
	}
	u, err = h.Accounts.CreateAccount(ctx, m.Email, m.DisplayName)
	if errors.Is(err, authadmin.ErrEmailExists) {
		// Created concurrently (another delivery, or someone signed up).
		u, err = h.Accounts.AccountByEmail(ctx, m.Email)
		if err == nil {
			return h.takeBack(ctx, u)
		}
	}
	if err != nil {
		return nil, classifyAuth(err, "create the account")
	}
	return u, nil
}

// takeBack returns u as is when its address is verified. Otherwise anyone
// may have created it (with a password, a provider or a name of their
// choosing): it is reset to what provisioning creates — no password, no
// providers, not verified, every earlier session revoked — so that only
// the owner of the address, through the set-password link, can sign in.
// Our own unverified accounts have none of that; resetting them again
// (a redelivery) changes nothing but validSince.
func (h *Handler) takeBack(ctx context.Context, u *authadmin.Account) (*authadmin.Account, error) {
	if u.EmailVerified {
		return u, nil
	}
	if err := h.Accounts.Reset(ctx, u.UID, u.Providers, h.Clock.Now()); err != nil {
		return nil, classifyAuth(err, "reset the unverified account")
	}
	if len(u.Providers) > 0 {
		h.Logger.WarnContext(ctx, "provision: an unverified account with sign-in methods we did not give was reset",
			"uid", u.UID, "providers", u.Providers)
	}
	reset := *u
	reset.Providers = nil
	return &reset, nil
}

// classifyAuth makes Auth refusals of the address permanent; everything
// else (unavailable, quota, network) is retried.
func classifyAuth(err error, what string) error {
	if errors.Is(err, authadmin.ErrInvalidArgument) {
		return permanent("the identity system refused to %s for this address", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Link kinds in the welcome e-mail.
const (
	linkNone     = ""
	linkPassword = "password" // an account without a password: set one
)

// accountLink returns the one-time link the person needs to sign in, if
// any: a set-password link for an account without a password or whose
// address is not verified (setting the password through the link proves
// the mailbox and verifies the address). There is no verify-address link:
// it would make whatever password the account has a verified sign-in.
func (h *Handler) accountLink(ctx context.Context, u *authadmin.Account) (kind, link string, err error) {
	if u.EmailVerified && len(u.Providers) > 0 {
		return linkNone, "", nil
	}
	link, err = h.Accounts.PasswordResetLink(ctx, u.Email, h.PortalURL)
	if err != nil {
		return "", "", classifyAuth(err, "create a sign-in link")
	}
	return linkPassword, link, nil
}

// sendWelcome sends the welcome e-mail once per event and recipient.
func (h *Handler) sendWelcome(ctx context.Context, ev events.MembershipEvent, m *store.MembershipDoc, org *store.Org, u *authadmin.Account) error {
	claim, err := h.Dedupe.Claim(ctx, dedupe.Key{Scope: scopeWelcome, ID: ev.ID, Recipient: m.Email})
	switch {
	case errors.Is(err, dedupe.ErrDone):
		return nil // sent by an earlier delivery
	case err != nil:
		return err
	}
	msg, err := h.welcomeMessage(ctx, m, org, u)
	if err == nil {
		err = h.send(ctx, msg, "the welcome e-mail")
	}
	if err != nil {
		if rerr := claim.Release(ctx); rerr != nil {
			h.Logger.WarnContext(ctx, "provision: release e-mail claim", "error", rerr.Error())
		}
		return err
	}
	if err := claim.Done(ctx); err != nil {
		h.Logger.WarnContext(ctx, "provision: mark e-mail sent", "error", err.Error())
	}
	return nil
}

func (h *Handler) welcomeMessage(ctx context.Context, m *store.MembershipDoc, org *store.Org, u *authadmin.Account) (mail.Message, error) {
	kind, link, err := h.accountLink(ctx, u)
	if err != nil {
		return mail.Message{}, err
	}
	name := m.DisplayName
	if name == "" {
		name = m.Email
	}
	now := h.Clock.Now()
	data := welcomeData{Name: name, OrgName: org.DisplayName, PortalURL: h.PortalURL, LinkKind: kind, Link: link,
		Pending:      m.Status == store.StatusPending && m.ActivateTime.After(now),
		ActivateTime: m.ActivateTime.UTC().Format("2006-01-02 15:04 UTC")}
	r, err := welcome.Render(m.Language, data)
	if err != nil {
		return mail.Message{}, permanent("the welcome e-mail could not be rendered")
	}
	msg := r.Message(mail.Address{Email: m.Email, Name: m.DisplayName})
	msg.Categories = []string{"welcome"}
	return msg, nil
}

// complete records the account and the finished provisioning, unless the
// membership changed hands meanwhile.
func (h *Handler) complete(ctx context.Context, ev events.MembershipEvent, uid string) error {
	now := h.Clock.Now()
	return h.updateProvision(ctx, ev, func(m *store.MembershipDoc) {
		m.UID = uid
		m.Provision.State, m.Provision.CompleteTime, m.Provision.Error = provisioning.Done, now, ""
	})
}

func (h *Handler) setState(ctx context.Context, ev events.MembershipEvent, state, reason string) error {
	return h.updateProvision(ctx, ev, func(m *store.MembershipDoc) {
		m.Provision.State, m.Provision.Error = state, reason
	})
}

func (h *Handler) recordFailure(ctx context.Context, ev events.MembershipEvent, reason string) error {
	return h.setState(ctx, ev, provisioning.Failed, reason)
}

// updateProvision applies edit in a transaction if the membership still
// waits for this event's provisioning.
func (h *Handler) updateProvision(ctx context.Context, ev events.MembershipEvent, edit func(m *store.MembershipDoc)) error {
	_, err := h.Store.ChangeProvisioning(ctx, ev.MembershipID, h.Clock.Now(), func(m *store.MembershipDoc) (bool, *events.MembershipEvent, error) {
		if m.Provision == nil || !provisioning.Awaits(m.Provision.State, m.Provision.EventID, ev.ID) {
			return false, nil, nil
		}
		edit(m)
		return true, nil, nil
	})
	if store.IsNotFound(err) {
		return nil
	}
	return err
}

// activate makes the membership active now if its time has come (delay 0).
func (h *Handler) activate(ctx context.Context, m *store.MembershipDoc, log *slog.Logger) error {
	now := h.Clock.Now()
	if m.Status != store.StatusPending || m.ActivateTime.After(now) {
		return nil
	}
	ok, err := h.Store.ActivateIfDue(ctx, m.ID, now, store.SystemActor)
	if err != nil {
		return err
	}
	if ok {
		log.InfoContext(ctx, "provision: activated")
	}
	return nil
}

// welcomeData is what the welcome templates see.
type welcomeData struct {
	Name, OrgName, PortalURL string
	Pending                  bool
	ActivateTime             string
	LinkKind, Link           string
}
