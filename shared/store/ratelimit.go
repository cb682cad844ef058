package store

import (
	"context"
	"time"

	"cloud.google.com/go/firestore"
)

// RateLimitsCollection holds fixed-window rate-limit counters, one document
// per organisation, action and window ({org}_{action}_{windowStart}):
// {total, people: {personKey: n}, expireTime}. Documents expire by TTL on
// expireTime once their window is over.
const RateLimitsCollection = "rateLimits"

// RateLimit is a package's setting for one limited action (a field of the
// package document's rateLimits map, keyed by the action's name). Zero
// fields keep the default (shared/ratelimit).
type RateLimit struct {
	PerPerson     int `firestore:"perPerson,omitempty"`
	PerOrg        int `firestore:"perOrg,omitempty"`
	WindowSeconds int `firestore:"windowSeconds,omitempty"`
}

type rateCounter struct {
	Total      int            `firestore:"total"`
	People     map[string]int `firestore:"people"`
	ExpireTime time.Time      `firestore:"expireTime"`
}

// TakeRate counts one write of person in the counter document id, unless
// person has made perPerson writes in it already or everyone together
// perOrg; it reports whether the write was counted (allowed). The per-person
// and per-organisation counts share the document, so the limiter costs one
// read and one write per allowed request, and one read per refused one.
// The write is guarded by the counter's update time (or its absence), so
// concurrent requests never count past a limit (see readThenCommit). The
// counter expires (TTL) at expire.
func (s *Store) TakeRate(ctx context.Context, id, person string, perPerson, perOrg int, expire time.Time) (bool, error) {
	ref := s.fs.Collection(RateLimitsCollection).Doc(id)
	var allowed bool
	err := s.readThenCommit(ctx, ref, func(g *guarded) error {
		allowed = false
		if !g.snap.Exists() {
			allowed = perPerson > 0 && perOrg > 0
			if !allowed {
				return nil
			}
			return g.create(rateCounter{Total: 1, People: map[string]int{person: 1}, ExpireTime: expire})
		}
		var c rateCounter
		if err := g.snap.DataTo(&c); err != nil {
			return err
		}
		if c.Total >= perOrg || c.People[person] >= perPerson {
			return nil
		}
		allowed = true
		g.update([]firestore.Update{
			{Path: "total", Value: firestore.Increment(1)},
			{FieldPath: firestore.FieldPath{"people", person}, Value: firestore.Increment(1)},
		})
		return nil
	})
	if err != nil {
		return false, err
	}
	return allowed, nil
}
