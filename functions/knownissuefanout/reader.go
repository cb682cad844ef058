package knownissuefanout

import (
	"context"
	"strconv"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/store"
)

// maxAuditEntries bounds one organisation's access-change query; past it
// every subscriber of that organisation is re-checked one by one.
const maxAuditEntries = 1000

// reader walks an issue's subscribers in position order, one bucket in
// memory at a time, and decides who may still get its e-mails.
type reader struct {
	h  *Handler
	ki *store.KnownIssue

	bucket  int // the bucket in entries (-1: none)
	entries []*store.Subscriber

	orgs     map[string]*store.Org      // customer organisations (nil: gone)
	changes  map[string]map[string]bool // membership organisation → addresses whose access changed
	overflow map[string]bool            // membership organisations with too many changes to list
	people   map[string]bool            // "org|email" → may read, for re-checked people
	excluded int
}

func newReader(h *Handler, ki *store.KnownIssue) *reader {
	return &reader{h: h, ki: ki, bucket: -1, orgs: map[string]*store.Org{}, changes: map[string]map[string]bool{},
		overflow: map[string]bool{}, people: map[string]bool{}}
}

// bucketOf is the bucket a position lies in ("" = before bucket 0).
func bucketOf(pos string) int {
	if len(pos) < 3 {
		return 0
	}
	n, err := strconv.Atoi(pos[:3])
	if err != nil {
		return 0
	}
	return n
}

// collect returns up to limit subscribers who may get the e-mail, at
// positions in (from, to], and the position of the last one looked at
// (to, or PositionEnd, when the range was exhausted).
func (rd *reader) collect(ctx context.Context, from, to string, limit int) ([]*store.Subscriber, string, error) {
	var out []*store.Subscriber
	for b := bucketOf(from); b < store.SubscriberBuckets; b++ {
		if b != rd.bucket {
			subs, err := rd.h.Store.SubscriberBucketEntries(ctx, rd.ki.ID, b)
			if err != nil {
				return nil, "", err
			}
			rd.bucket, rd.entries = b, subs
		}
		for _, s := range rd.entries {
			pos := store.SubscriberPosition(b, s.Key)
			if pos <= from {
				continue
			}
			if pos > to {
				return out, to, nil
			}
			ok, err := rd.eligible(ctx, s)
			if err != nil {
				return nil, "", err
			}
			if !ok {
				rd.excluded++
			} else {
				out = append(out, s)
			}
			if len(out) == limit {
				return out, pos, nil
			}
		}
	}
	return out, to, nil
}

// eligible decides whether s may still see the issue.
func (rd *reader) eligible(ctx context.Context, s *store.Subscriber) (bool, error) {
	org, err := rd.org(ctx, s.OrgID)
	if err != nil {
		return false, err
	}
	var pkg *store.Package
	if org != nil && org.PackageID != "" {
		if pkg, err = rd.h.Store.Package(ctx, org.PackageID); err != nil && !store.IsNotFound(err) {
			return false, err
		}
	}
	if !access.SubscriberMayRead(org, pkg, s.ViaOrgID, access.Capacity(s.Capacity), rd.ki.ProductIDs) {
		return false, nil
	}
	changed, err := rd.changed(ctx, s.ViaOrgID, s.Email)
	if err != nil || !changed {
		return err == nil, err
	}
	key := s.OrgID + "|" + s.Email
	if ok, seen := rd.people[key]; seen {
		return ok, nil
	}
	a, err := rd.h.Access.ResolveAddress(ctx, s.Email, s.OrgID)
	ok := false
	switch {
	case err == nil:
		ok = a.CheckKnownIssue(access.KnownIssueRead, rd.ki.ProductIDs) == nil
	case apierror.Retryable(err):
		return false, err
	}
	rd.people[key] = ok
	return ok, nil
}

func (rd *reader) org(ctx context.Context, id string) (*store.Org, error) {
	if o, ok := rd.orgs[id]; ok {
		return o, nil
	}
	o, err := rd.h.Store.Org(ctx, id)
	if err != nil && !store.IsNotFound(err) {
		return nil, err
	}
	rd.orgs[id] = o
	return o, nil
}

// changed reports whether email's membership in orgID was removed,
// disabled or changed since the issue was published.
func (rd *reader) changed(ctx context.Context, orgID, email string) (bool, error) {
	set, ok := rd.changes[orgID]
	if !ok {
		var full bool
		var err error
		set, full, err = rd.h.Store.AccessChangesSince(ctx, orgID, rd.ki.CreateTime.Add(-sinceSlack), maxAuditEntries)
		if err != nil {
			return false, err
		}
		rd.changes[orgID], rd.overflow[orgID] = set, full
	}
	return rd.overflow[orgID] || set[store.NormalizeEmail(email)], nil
}
