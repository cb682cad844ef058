package knownissues

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/casefile"
	"github.com/supportcenter/supportcenter/shared/casewire"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// linkedCasePriority is the priority of a case "me too" opens: the issue
// is known and being worked on; the customer raises it if it hurts more.
const linkedCasePriority = "P3"

// meToo serves POST /v2/knownIssues/{id}:meToo {"parent":"organizations/{org}"}:
// subscribes the caller and returns the organisation's linked case, filing
// it when the organisation has none yet (see the package comment).
func (h *Handler) meToo(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	issueID, err := pathIssue(r, "meToo")
	if err != nil {
		return err
	}
	var in MeTooRequest
	if err := httpapi.DecodeJSON(r, &in); err != nil {
		return err
	}
	orgID, ok := wire.ParseOrgName(in.Parent)
	if !ok {
		return apierror.InvalidArgument("parent must name an organization (organizations/{org})").
			WithFieldViolation("parent", "not an organization name")
	}
	var (
		ki      *store.KnownIssue
		readErr error
		wg      sync.WaitGroup
	)
	wg.Go(func() { ki, readErr = h.deps.Store.KnownIssue(r.Context(), issueID) })
	a, err := h.deps.Resolver.Resolve(r.Context(), id, orgID)
	wg.Wait()
	if err != nil {
		return err
	}
	if readErr != nil {
		return apierror.Describe(readErr, "known issue")
	}
	if err := a.CheckKnownIssue(access.KnownIssueMeToo, ki.ProductIDs); err != nil {
		return err
	}
	if ki.State != store.KnownIssueActive {
		return apierror.FailedPrecondition("the known issue is resolved; open a case if the problem persists")
	}
	product, cl, err := h.caseProduct(r, a, ki)
	if err != nil {
		return err
	}
	lang := a.Membership.Language
	if p, err := h.deps.Store.Profile(r.Context(), a.Email()); err == nil && p != nil && p.Language != "" {
		lang = p.Language
	}
	added, attempts, err := h.deps.Store.Subscribe(r.Context(), ki.ID, store.Subscriber{
		Email: a.Email(), OrgID: a.Org.ID, ViaOrgID: a.Membership.OrgID, Capacity: string(a.Capacity),
		Lang: mail.Lang(lang), Time: h.deps.Clock.Now(),
	})
	if attempts > 1 {
		h.retries.Add(int64(attempts - 1))
	}
	if err != nil {
		return apierror.Describe(err, "subscription")
	}
	h.deps.Logger.DebugContext(r.Context(), "me too", "knownIssueId", ki.ID, "new", added, "attempts", attempts)
	c, err := h.linkedCase(r, a, ki, product, cl)
	if err != nil {
		return err
	}
	out := MeTooResponse{Subscribed: true}
	if a.CheckCase(access.CaseRead, access.RefOf(c)) == nil {
		cw := casewire.FromStore(c, a.Package, h.deps.Clock.Now())
		out.Case = &cw
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// caseProduct picks the product the linked case is filed for: the first
// of the issue's products the organisation bought and the caller may file
// cases for, with its first active classification.
func (h *Handler) caseProduct(r *http.Request, a *access.Actor, ki *store.KnownIssue) (*store.Product, store.Classification, error) {
	catalog, err := h.deps.Store.Catalog(r.Context())
	if err != nil {
		return nil, store.Classification{}, apierror.From(err)
	}
	var refusal error
	for _, pid := range ki.ProductIDs {
		p := catalog[pid]
		if p == nil || !slices.Contains(a.Org.ProductIDs, pid) {
			continue
		}
		if err := a.CheckCreate(pid); err != nil {
			refusal = err
			continue
		}
		for _, cl := range p.Classifications {
			if cl.Active {
				return p, cl, nil
			}
		}
	}
	if refusal != nil {
		return nil, store.Classification{}, refusal
	}
	return nil, store.Classification{}, apierror.FailedPrecondition("none of the issue's products can take cases for %s", a.Org.DisplayName)
}

// linkedCase returns the organisation's case for the issue, filing it
// (through the idempotent case-creation path, keyed by issue and
// organisation) when there is none.
func (h *Handler) linkedCase(r *http.Request, a *access.Actor, ki *store.KnownIssue, product *store.Product, cl store.Classification) (*store.Case, error) {
	ctx := r.Context()
	key := store.KnownIssueCaseKey(ki.ID, a.Org.ID)
	c, err := h.deps.Store.CaseByRequest(ctx, key)
	if err != nil {
		return nil, apierror.Describe(err, "case")
	}
	if c != nil {
		return c, nil
	}
	// No rate limit here: an organisation gets at most one case per
	// issue, and only support publishes issues. (The limiter's counter is
	// one document per organisation, which a burst of colleagues' clicks
	// would contend on for nothing.)
	now := h.deps.Clock.Now()
	c = &store.Case{
		DisplayName:              truncate("Known issue: "+ki.Title, maxTitle),
		Description:              fmt.Sprintf("We are affected by the known issue %q (%s).\n\n%s\n\nOpened with \"me too\"; updates to the known issue are e-mailed to its subscribers.", ki.Title, wire.KnownIssueName(ki.ID), ki.Summary),
		Priority:                 linkedCasePriority,
		LanguageCode:             "en",
		SubscriberEmailAddresses: []string{},
		KnownIssueID:             ki.ID,
	}
	casefile.Complete(c, a, product, cl, now)
	// Colleagues clicking at once all race for the one link record; a
	// loser's transaction is aborted and, run again, finds the winner's case.
	var first *store.Case
	var msgs []events.Message
	err = store.RetryContention(ctx, func() error {
		var err error
		first, msgs, err = h.deps.Store.CreateCaseOnceUntil(ctx, c, key, now.Add(store.KnownIssueCaseTTL), func(c *store.Case) []events.Event {
			e := events.New(events.CaseCreated, now, c.OrgID, c.ID)
			e.SetActor(a.Identity.UID, store.ProfileID(a.Email()), false)
			return []events.Event{e}
		})
		return err
	})
	if err != nil {
		return nil, apierror.Describe(err, "case")
	}
	if first != nil {
		return first, nil // a colleague's concurrent click filed it
	}
	h.outbox.Send(ctx, msgs...)
	h.deps.Logger.InfoContext(ctx, "known issue case filed", "knownIssueId", ki.ID, "orgId", c.OrgID, "caseId", c.ID)
	return c, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// unsubscribe serves POST /v2/knownIssues/{id}:unsubscribe: the signed-in
// caller stops getting the issue's e-mails; their organisation's linked
// case stays.
func (h *Handler) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	ki, err := h.visibleIssue(r, "unsubscribe")
	if err != nil {
		return err
	}
	if err := decodeOptionalJSON(r); err != nil {
		return err
	}
	id, _ := h.deps.Identity(r)
	if _, err := h.deps.Store.Unsubscribe(r.Context(), ki.ID, store.SubscriberKey(id.Email)); err != nil {
		return apierror.Describe(err, "subscription")
	}
	return httpapi.WriteJSON(w, http.StatusOK, UnsubscribeResponse{Subscribed: false})
}

// decodeOptionalJSON accepts an empty body or an empty JSON object (Google
// clients send "{}" with custom methods).
func decodeOptionalJSON(r *http.Request) error {
	if r.Body == nil || r.ContentLength == 0 {
		return nil
	}
	var empty struct{}
	return httpapi.DecodeJSON(r, &empty)
}
