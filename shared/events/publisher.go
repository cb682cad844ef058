package events

import (
	"context"
	"sync"
)

// Publisher sends events. Publish returns once every event is accepted by
// the topic (or the first failure).
type Publisher interface {
	Publish(ctx context.Context, evs ...Event) error
}

// Recorder keeps published events in memory (tests, and local tools that
// want to see what would be sent). Err, when set, fails every Publish.
type Recorder struct {
	mu     sync.Mutex
	events []Event
	Err    error
}

// Publish records evs.
func (r *Recorder) Publish(_ context.Context, evs ...Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Err != nil {
		return r.Err
	}
	for _, e := range evs {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	r.events = append(r.events, evs...)
	return nil
}

// Events returns a copy of what was published.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// ForCase returns the types published for caseID, in publish order.
func (r *Recorder) ForCase(caseID string) []string {
	var out []string
	for _, e := range r.Events() {
		if e.CaseID == caseID {
			out = append(out, e.Type)
		}
	}
	return out
}
