// Package closestalecases is the "close-stale-cases" scheduled function
// (Cloud Scheduler → topic schedule-close-stale-cases → CloudEvent, hourly;
// locally `make job NAME=close-stale-cases`).
//
// Each run reads only cases whose stored dueTime has come (a range query on
// dueTime, earliest first, in pages, within a time budget; the next tick
// continues) and, for each, re-reads the case (store.MutateCase: read,
// then a commit guarded by its update time) and asks package caseclock
// what is due:
//   - a reminder: a system comment, in the case creator's language, saying
//     when the case will close and that any reply keeps it open; its
//     case.reminded event makes notify e-mail the creator and subscribers,
//     each in their own language;
//   - a close: a system comment giving the reason, the case CLOSED (the
//     usual 30-day reopen window applies); its case.closed event (reason
//     AUTO_CLOSE) brings the closing e-mail with the survey link;
//   - an SLA breach: a response clock past its due time is alerted once per
//     run of the clock (clocks.slaAlertedClock records the clock's start):
//     a case.slaBreached event, which notify e-mails to the support team's
//     address (SLA_ALERT_EMAIL).
//
// Every effect writes its event to the transactional outbox in the same
// commit as the change, and that commit is guarded by the case's update
// time, so it re-checks everything: a customer comment or attachment that
// committed first stopped the clock and the case is left alone; a comment
// racing the close makes one of the two commits fail its guard, retry and
// see the other. Two runs (Cloud Scheduler
// retries, two instances) are serialised the same way, so each reminder,
// close and breach alert happens once.
//
// With time left in its budget a run also backfills: open cases whose
// clock fields are missing or older than caseclocks.Version get them, a
// page at a time, resuming where the last run stopped (see backfill.go).
package closestalecases

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/publish"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

func init() { functions.CloudEvent("close-stale-cases", Entry) }

// Entry is the function's entry point; each schedule tick runs the sweep once.
var Entry = runtime.Scheduled("close-stale-cases", Build)

// Config is what the function reads from its environment besides runtime.Config.
type Config struct {
	// Page is how many due cases one query reads.
	Page int `env:"CLOSE_STALE_PAGE" default:"100"`
	// Budget bounds one run; what is left waits for the next tick.
	Budget time.Duration `env:"CLOSE_STALE_BUDGET" default:"90s"`
}

// Handler runs the sweep.
type Handler struct {
	Store *store.Store
	// Outbox publishes the events each change wrote to the outbox in its
	// transaction; what it cannot publish the relay-events function sends.
	Outbox *outbox.Outbox
	Clock  clock.Clock
	Logger *slog.Logger
	Page   int           // 0 = 100
	Budget time.Duration // 0 = 90 s
	// OrgID restricts a run to one organisation ("" = all, as scheduled;
	// a tick naming an organisation sets it, see RunTick). Tests use it so
	// a fake clock far ahead touches only their own cases.
	OrgID string
}

// Build returns the production Handler over the runtime's dependencies.
func Build(ctx context.Context, d *runtime.Deps, cfg Config) (*Handler, error) {
	pub, err := publish.New(ctx, d.Config.ProjectID)
	if err != nil {
		return nil, err
	}
	return &Handler{Store: d.Store, Outbox: outbox.New(d.Store, pub, d.Logger), Clock: d.Clock, Logger: d.Logger, Page: cfg.Page, Budget: cfg.Budget}, nil
}

// Result counts what one run did.
type Result struct {
	Read     int // due cases read by the query
	Reminded int
	Closed   int
	Breached int // SLA breaches recorded
	Left     bool
	// Backfill: open cases read by this run's backfill, and how many of
	// them got their clocks (backfill.go).
	BackfillRead, Backfilled int
}

// Run sweeps once for a schedule tick (runtime.Job).
func (h *Handler) Run(ctx context.Context) error {
	res, err := h.Sweep(ctx)
	h.Logger.InfoContext(ctx, "close-stale-cases: run", "read", res.Read, "reminded", res.Reminded,
		"closed", res.Closed, "breached", res.Breached, "left", res.Left, "backfillRead", res.BackfillRead, "backfilled", res.Backfilled)
	return err
}

// RunTick sweeps once for a schedule tick, narrowed to the tick's
// organisation when it names one (runtime.TickJob).
func (h *Handler) RunTick(ctx context.Context, t runtime.Tick) error {
	if t.OrgID == "" {
		return h.Run(ctx)
	}
	scoped := *h
	scoped.OrgID = t.OrgID
	return scoped.Run(ctx)
}

// Sweep handles every due case, page by page, until none is left or the
// budget is spent.
func (h *Handler) Sweep(ctx context.Context) (Result, error) {
	var res Result
	page, budget := h.Page, h.Budget
	if page <= 0 {
		page = 100
	}
	if budget <= 0 {
		budget = 90 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	now := h.Clock.Now()
	pkgs := map[string]*store.Package{} // by organisation, for this run
	langs := map[string]string{}        // creators' languages, for this run
	var after *store.DueCursor
	var errs []error
	for {
		due, err := h.Store.DueCases(ctx, h.OrgID, now, after, page)
		if err != nil {
			if ctx.Err() != nil {
				res.Left = true
				return res, errors.Join(errs...)
			}
			return res, errors.Join(append(errs, err)...)
		}
		res.Read += len(due)
		for _, c := range due {
			if ctx.Err() != nil {
				res.Left = true
				return res, errors.Join(errs...)
			}
			pkg, err := h.packageOf(ctx, pkgs, c.OrgID)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			lang := ""
			if caseclocks.Plan(c, pkg).Due(now) != caseclock.None {
				if lang, err = h.languageOf(ctx, langs, c); err != nil {
					errs = append(errs, fmt.Errorf("case %s: creator's language: %w", c.ID, err))
					continue
				}
			}
			if err := h.handle(ctx, c.ID, pkg, lang, now, &res); err != nil {
				errs = append(errs, fmt.Errorf("case %s: %w", c.ID, err))
			}
		}
		if len(due) < page {
			break
		}
		last := due[len(due)-1]
		after = &store.DueCursor{DueTime: last.DueTime, ID: last.ID}
	}
	// Due work first; what is left of the budget backfills.
	if err := h.backfill(ctx, pkgs, page, now, &res); err != nil {
		if ctx.Err() == nil {
			errs = append(errs, err)
		}
		res.Left = true
	}
	return res, errors.Join(errs...)
}

// packageOf returns the organisation's support package (nil when it has
// none), reading each organisation once per run.
func (h *Handler) packageOf(ctx context.Context, cache map[string]*store.Package, orgID string) (*store.Package, error) {
	if p, ok := cache[orgID]; ok {
		return p, nil
	}
	o, err := h.Store.Org(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("organisation %s: %w", orgID, err)
	}
	var p *store.Package
	if o.PackageID != "" {
		if p, err = h.Store.Package(ctx, o.PackageID); err != nil && !store.IsNotFound(err) {
			return nil, err
		}
	}
	cache[orgID] = p
	return p, nil
}

// languageOf returns the language of c's system comments: its creator's
// profile language, else the case's languageCode, else English. Profiles
// are read once per creator and run (cache), and only for cases that get a
// comment.
func (h *Handler) languageOf(ctx context.Context, cache map[string]string, c *store.Case) (string, error) {
	email := store.NormalizeEmail(c.CreatorEmail)
	if l, ok := cache[email]; ok {
		return l, nil
	}
	lang := c.LanguageCode
	if email != "" {
		p, err := h.Store.Profile(ctx, email)
		if err != nil {
			return "", err
		}
		if p != nil && p.Language != "" {
			lang = p.Language
		}
		cache[email] = lang
	}
	return lang, nil
}

// handle re-reads one case (store.MutateCase: a commit guarded by its
// update time) and does what is due: the reminder or the close (with its
// system comment in lang) and the alert of an SLA breach not yet alerted.
// Each writes its event to the outbox in the same commit, so it happens
// once whatever the ticks do.
func (h *Handler) handle(ctx context.Context, id string, pkg *store.Package, lang string, now time.Time, res *Result) error {
	var action caseclock.Action
	var breached bool
	var oldState string
	c, msgs, err := h.Store.MutateCase(ctx, id, func(t *store.CaseTx, c *store.Case) (bool, error) {
		action, breached, oldState = caseclock.None, false, c.State
		if !c.Open || c.DueTime.IsZero() || c.DueTime.After(now) {
			return false, nil // someone acted first (a customer comment, another run)
		}
		plan := caseclocks.Plan(c, pkg)
		action = plan.Due(now)
		var cm *store.Comment
		switch action {
		case caseclock.Remind:
			cm = systemComment(reminderText(lang, plan.CloseDue, c.TimeZone), now)
			c.Clocks.ReminderTime = now
		case caseclock.Close:
			days := int(now.Sub(c.Clocks.WaitingSince).Round(24*time.Hour) / (24 * time.Hour))
			cm = systemComment(closeText(lang, days), now)
			c.State, c.Open = casestate.Closed, casestate.IsOpen(casestate.Closed)
			c.CloseTime = now
			c.CloseCount++
		}
		if cm != nil {
			if err := t.AddComment(cm); err != nil {
				return false, err
			}
			c.CommentCount++
			c.UpdateTime = now
		}
		if s := caseclocks.SLA(c, pkg, now); c.Open && caseclock.BreachToAlert(s, c.Clocks.SLAAlertedClock) {
			c.Clocks.SLAAlertedClock, breached = s.Start, true
			e := events.New(events.CaseSLABreached, now, c.OrgID, c.ID)
			e.DueTime = s.DueTime
			if err := t.Publish(e); err != nil {
				return false, err
			}
		}
		caseclocks.Update(c, pkg, nil, false)
		switch action {
		case caseclock.Remind:
			// notify e-mails the creator and subscribers, each in their
			// language, about the reminder.
			e := events.New(events.CaseReminded, now, c.OrgID, c.ID)
			e.ActorIsSupport, e.CommentID = true, cm.ID
			return true, t.Publish(e)
		case caseclock.Close:
			// One event for the close and its comment: notify sends the
			// closing e-mail with the survey link.
			e := events.New(events.CaseClosed, now, c.OrgID, c.ID)
			e.ActorIsSupport, e.OldState, e.NewState, e.CommentID, e.Reason = true, oldState, c.State, cm.ID, events.ReasonAutoClose
			return true, t.Publish(e)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	switch action {
	case caseclock.Remind:
		res.Reminded++
	case caseclock.Close:
		res.Closed++
	}
	if breached {
		res.Breached++
		h.Logger.WarnContext(ctx, "close-stale-cases: SLA breached", "caseId", c.ID, "orgId", c.OrgID,
			"priority", c.Priority, "clockStart", wire.Timestamp(c.Clocks.SLAAlertedClock))
	}
	h.Outbox.Send(ctx, msgs...)
	return nil
}

// systemComment is a comment no person wrote; it shows as the support team.
func systemComment(body string, now time.Time) *store.Comment {
	return &store.Comment{Body: body, CreateTime: now, CreatorIsSupport: true, CreatorCapacity: "SYSTEM"}
}
