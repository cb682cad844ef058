package closestalecases

import (
	"context"
	"fmt"
	"time"

	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/store"
)

// The backfill. Cases filed before the clocks existed (or derived by older
// rules than caseclocks.Version) have no dueTime, so the sweep's query
// never finds them. Each run, after its due work and within what is left
// of its budget, walks the open cases in document order, a page at a time,
// and derives the clocks of every case whose clocks.version is older
// (caseclocks.Backfill, in a transaction that re-checks the version, so a
// case changed meanwhile, or a concurrent run, is not derived twice). The
// position is stored after every page (jobState/case-clocks-backfill), so
// the next run continues; once the pass reaches the last open case it is
// done and a run costs one read for it. Raising caseclocks.Version starts
// a new pass. Idempotent: a repeated page finds the cases at the current
// version and leaves them alone.
//
// Costs: one read per open case walked (once per pass), plus per case
// derived its newest comments (up to backfillComments reads, only when it
// has comments) and a transaction of one read and one write.

// backfillComments is how many of a case's newest comments the backfill
// reads to find what awaits support.
const backfillComments = 20

// backfill walks open cases after the stored position and derives the
// clocks of those that lack them, until the pass is done or ctx ends.
func (h *Handler) backfill(ctx context.Context, pkgs map[string]*store.Package, page int, now time.Time, res *Result) error {
	st, err := h.Store.ClockBackfill(ctx, h.OrgID)
	if err != nil {
		return err
	}
	if st.Version > caseclocks.Version || st.Version == caseclocks.Version && st.Done {
		return nil
	}
	if st.Version < caseclocks.Version {
		st = store.BackfillState{Version: caseclocks.Version}
	}
	for {
		cs, err := h.Store.OpenCasesAfter(ctx, h.OrgID, st.After, page)
		if err != nil {
			return err
		}
		res.BackfillRead += len(cs)
		var stop error
		for _, c := range cs {
			if stop = ctx.Err(); stop != nil {
				break
			}
			if c.Clocks.Version < caseclocks.Version {
				if stop = h.derive(ctx, pkgs, c, now); stop != nil {
					stop = fmt.Errorf("backfill case %s: %w", c.ID, stop)
					break
				}
				res.Backfilled++
			}
			st.After = c.ID
		}
		st.Done = stop == nil && len(cs) < page
		st.UpdateTime = now
		// Saved even when the budget ran out: the next run continues here.
		if err := h.Store.SaveClockBackfill(context.WithoutCancel(ctx), h.OrgID, st); err != nil {
			return err
		}
		if stop != nil || st.Done {
			return stop
		}
	}
}

// derive gives one case its clocks.
func (h *Handler) derive(ctx context.Context, pkgs map[string]*store.Package, c *store.Case, now time.Time) error {
	pkg, err := h.packageOf(ctx, pkgs, c.OrgID)
	if err != nil {
		return err
	}
	var newest []*store.Comment
	if c.CommentCount > 0 {
		if newest, err = h.Store.Comments(ctx, c.ID, nil, backfillComments); err != nil {
			return err
		}
	}
	_, _, err = h.Store.MutateCase(ctx, c.ID, func(_ *store.CaseTx, c *store.Case) (bool, error) {
		if !c.Open || c.Clocks.Version >= caseclocks.Version {
			return false, nil
		}
		caseclocks.Backfill(c, pkg, newest, now)
		return true, nil
	})
	return err
}
