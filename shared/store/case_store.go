package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
)

// Case ids are random 9-digit numbers: non-sequential (they reveal nothing
// about volume) and created with a must-not-exist precondition, so there is
// no counter document to contend on. With a million cases a collision
// happens once in ~900 creates and costs one retry.
const (
	caseIDMin      = 100_000_000
	caseIDSpan     = 900_000_000
	caseIDAttempts = 5
)

// newCaseID returns a random case id.
func newCaseID() string {
	n, err := rand.Int(rand.Reader, big.NewInt(caseIDSpan))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return strconv.FormatInt(caseIDMin+n.Int64(), 10)
}

func (s *Store) caseRef(id string) *firestore.DocumentRef {
	return s.fs.Collection(CasesCollection).Doc(id)
}

// CreateCase writes c under a fresh random id (set on c) together with the
// events newEvents builds for it (in the outbox, same commit), retrying on
// the rare id collision, and returns the committed messages for
// outbox.Send. One commit without a transaction round trip; writes: 1 plus
// one per event, per attempt.
func (s *Store) CreateCase(ctx context.Context, c *Case, newEvents func(*Case) []events.Event) ([]events.Message, error) {
	for range caseIDAttempts {
		c.ID = newCaseID()
		var msgs []events.Message
		if newEvents != nil {
			var err error
			if msgs, err = messages(newEvents(c)); err != nil {
				return nil, err
			}
		}
		b := s.fs.Batch() //nolint:staticcheck // one atomic commit without a transaction round trip; nothing else does that
		b.Create(s.caseRef(c.ID), c)
		if err := s.putOutbox(batchSet(b), msgs); err != nil {
			return nil, err
		}
		_, err := b.Commit(ctx)
		if err == nil {
			return msgs, nil
		}
		if !IsAlreadyExists(err) {
			return nil, fmt.Errorf("create case: %w", err)
		}
	}
	return nil, fmt.Errorf("create case: %d id collisions in a row", caseIDAttempts)
}

// messages encodes case events for the outbox.
func messages(evs []events.Event) ([]events.Message, error) {
	out := make([]events.Message, len(evs))
	for i, e := range evs {
		m, err := e.Message()
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// Case reads one case (ErrNotFound if it does not exist).
func (s *Store) Case(ctx context.Context, id string) (*Case, error) {
	if !wire.ValidCaseID(id) {
		return nil, fmt.Errorf("case %q: %w", id, ErrNotFound)
	}
	snap, err := s.caseRef(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "case", id)
	}
	return decodeCase(snap)
}

// CaseTx is what a case mutation may do besides changing the case itself:
// its writes join the commit of the case.
type CaseTx struct {
	s    *Store
	g    *guarded
	id   string
	msgs []events.Message
}

// Publish adds e to the outbox in this commit (one write): it is
// published after the commit, or by the relay.
func (t *CaseTx) Publish(e events.Event) error {
	m, err := e.Message()
	if err != nil {
		return err
	}
	t.msgs = append(t.msgs, m)
	return nil
}

// AddComment creates a comment (its id is set on cm).
func (t *CaseTx) AddComment(cm *Comment) error {
	ref := t.s.caseRef(t.id).Collection(CommentsCollection).NewDoc()
	cm.ID = ref.ID
	return t.g.createOther(ref, cm)
}

// AddSurvey creates the survey of closure sv.CloseCount; a second survey
// for the same closure fails the commit with AlreadyExists.
func (t *CaseTx) AddSurvey(sv *Survey) error {
	ref := t.s.caseRef(t.id).Collection(SurveysCollection).Doc(strconv.Itoa(sv.CloseCount))
	return t.g.createOther(ref, sv)
}

// MutateCase reads case id, lets fn check and change it, and writes it
// back when fn reports a change, with the events fn published (t.Publish)
// in the outbox and fn's comment or survey, in one commit guarded by the
// case's update time (no transaction; see readThenCommit): if the case
// changed since it was read, the whole round runs again. It returns the
// case and the committed messages for outbox.Send. fn may run more than
// once, so it must only touch c and t. Costs one read, plus one write
// when changed, plus fn's own writes (one per comment, survey and event).
//
// A round in which fn adds a survey without changing the case commits the
// survey unguarded (a guard would cost a write to the case): the survey
// is keyed by the closure it rates and can only be created once, so a
// reopen racing it leaves the survey of the closure the customer rated.
func (s *Store) MutateCase(ctx context.Context, id string, fn func(t *CaseTx, c *Case) (changed bool, err error)) (*Case, []events.Message, error) {
	if !wire.ValidCaseID(id) {
		return nil, nil, fmt.Errorf("case %q: %w", id, ErrNotFound)
	}
	var out *Case
	var msgs []events.Message
	err := s.readThenCommit(ctx, s.caseRef(id), func(g *guarded) error {
		if !g.snap.Exists() {
			return fmt.Errorf("case %s: %w", id, ErrNotFound)
		}
		c, err := decodeCase(g.snap)
		if err != nil {
			return err
		}
		before := deepCopy(c) // what it was, to write only what fn changes
		t := &CaseTx{s: s, g: g, id: id}
		changed, err := fn(t, c)
		if err != nil {
			return err
		}
		if changed {
			if err := g.replace(c, before); err != nil {
				return err
			}
		}
		out, msgs = c, t.msgs
		return s.putOutbox(g.setOther, t.msgs)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, msgs, nil
}

// Survey reads the survey of one closure of a case.
func (s *Store) Survey(ctx context.Context, caseID string, closeCount int) (*Survey, error) {
	snap, err := s.caseRef(caseID).Collection(SurveysCollection).Doc(strconv.Itoa(closeCount)).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "survey", caseID)
	}
	return decode[Survey](snap, "survey")
}

// Cursor is a place in a list ordered newest first: the time and id of
// the last item returned, after which the next page starts. Each list says
// how it breaks ties on the id (cases and comments descending by their id
// field; audit entries and access requests ascending by document id, as
// the Firestore emulator refuses a descending order on the document id).
type Cursor struct {
	Time time.Time
	ID   string
}

// Comments lists a case's comments newest first (as Cloud Support does),
// starting after cursor (nil = from the newest), at most limit of them.
func (s *Store) Comments(ctx context.Context, caseID string, after *Cursor, limit int) ([]*Comment, error) {
	q := s.caseRef(caseID).Collection(CommentsCollection).
		OrderBy("createTime", firestore.Desc).OrderBy("id", firestore.Desc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.Time, after.ID)
	}
	return collect(q.Documents(ctx), "list comments", decodeComment)
}

// DueCursor is a position in the due-case list ordered by (dueTime, id).
type DueCursor struct {
	DueTime time.Time
	ID      string
}

// DueCases lists cases whose dueTime is at or before now, earliest first,
// after cursor (nil = from the start), at most limit of them, of one
// organisation when orgID is not "" (tests; an index). Cases with
// nothing due have no dueTime and are never read: the query runs on the
// automatic single-field index of dueTime. Costs one read per case
// returned (one when none is).
func (s *Store) DueCases(ctx context.Context, orgID string, now time.Time, after *DueCursor, limit int) ([]*Case, error) {
	q := s.fs.Collection(CasesCollection).Query
	if orgID != "" {
		q = q.Where(CaseFieldOrgID, "==", orgID)
	}
	q = q.Where(CaseFieldDueTime, "<=", now).
		OrderBy(CaseFieldDueTime, firestore.Asc).OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != nil {
		q = q.StartAfter(after.DueTime, s.caseRef(after.ID))
	}
	return collect(q.Documents(ctx), "list due cases", decodeCase)
}
