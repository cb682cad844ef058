// Package ratelimit is the rule for rate limits on writes that send mail or
// cost money (cases, comments, uploads, user adds, access requests, feedback): a
// fixed-window count per person and per organisation, with defaults a
// support package can override. The counts live in Firestore (shared/store
// TakeRate), so a limit holds across every instance of every function.
package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Action is a limited kind of write.
type Action string

// The limited actions.
const (
	CaseCreate    Action = "caseCreate"
	CommentCreate Action = "commentCreate"
	Upload        Action = "upload" // uploads and upload sessions
	UserAdd       Action = "userAdd"
	AccessRequest Action = "accessRequest"
	// SignInOptions is the public GET /v2/signInOptions, counted per
	// client address (ClientKey), not per person or organisation.
	SignInOptions Action = "signInOptions"
	Feedback      Action = "feedback" // "Send feedback" (sends an acknowledgement e-mail)
)

// Actions lists every limited action.
var Actions = []Action{CaseCreate, CommentCreate, Upload, UserAdd, AccessRequest, SignInOptions, Feedback}

// Limit is how many writes of one action a person, and an organisation as
// a whole, may make in one window.
type Limit struct {
	PerPerson int
	PerOrg    int
	Window    time.Duration
}

// Defaults apply where a package sets nothing.
var Defaults = map[Action]Limit{
	CaseCreate:    {PerPerson: 30, PerOrg: 200, Window: time.Hour},
	CommentCreate: {PerPerson: 120, PerOrg: 1000, Window: time.Hour},
	Upload:        {PerPerson: 120, PerOrg: 1000, Window: time.Hour},
	UserAdd:       {PerPerson: 100, PerOrg: 300, Window: time.Hour},
	// Access requests come from people without a membership, naming an
	// organisation that is never looked up: they are counted per person
	// under NoOrg, and the shared total is only a global backstop (a
	// per-organisation limit would let anyone block requests to it).
	AccessRequest: {PerPerson: 5, PerOrg: MaxCount, Window: time.Hour},
	// Anyone may ask which sign-in a domain uses; the limit is per client
	// address and its counter is that address's own document (no shared
	// document every caller writes to). A sign-in page asks once per
	// attempt; 100 an hour stops walking through many domains.
	SignInOptions: {PerPerson: 100, PerOrg: 100, Window: time.Hour},
	// Feedback may come from anyone signed in, with or without an
	// organisation: counted per person under NoOrg like access requests.
	Feedback: {PerPerson: 10, PerOrg: MaxCount, Window: time.Hour},
}

// NoOrg is the organisation key of writes that belong to no organisation.
const NoOrg = "-"

// Bounds of a configured limit.
const (
	MinWindow = time.Minute
	MaxWindow = 24 * time.Hour
	MaxCount  = 100000
)

// Resolve returns action's limit with a package's settings applied: a zero
// (unset) field keeps the default, a count is at least 1 and at most
// MaxCount, a window at least MinWindow and at most MaxWindow.
func Resolve(action Action, perPerson, perOrg, windowSeconds int) Limit {
	l, ok := Defaults[action]
	if !ok {
		l = Limit{PerPerson: 1, PerOrg: 1, Window: time.Hour}
	}
	if perPerson != 0 {
		l.PerPerson = clamp(perPerson, 1, MaxCount)
	}
	if perOrg != 0 {
		l.PerOrg = clamp(perOrg, 1, MaxCount)
	}
	if windowSeconds != 0 {
		l.Window = time.Duration(clamp(windowSeconds, int(MinWindow/time.Second), int(MaxWindow/time.Second))) * time.Second
	}
	return l
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// Window is one organisation's fixed window for one action.
type Window struct {
	// CounterID names the counter document: organisation, action and the
	// window's start.
	CounterID string
	// End is when the window closes: retry then, and the counter may be
	// deleted (TTL) after it.
	End time.Time
}

// WindowAt is the window of orgID's action that now falls in.
func (l Limit) WindowAt(orgID string, action Action, now time.Time) Window {
	start := now.Truncate(l.Window)
	return Window{
		CounterID: orgID + "_" + string(action) + "_" + strconv.FormatInt(start.Unix(), 10),
		End:       start.Add(l.Window),
	}
}

// RetryDelay is how long a refused caller waits for the next window.
func (w Window) RetryDelay(now time.Time) time.Duration {
	return max(w.End.Sub(now), 0)
}

// PersonKey is the key a person is counted under: a hash of the uid, so
// the counter documents hold no identifier in the clear and every key is a
// valid Firestore field name.
func PersonKey(uid string) string {
	sum := sha256.Sum256([]byte(uid))
	return "p" + hex.EncodeToString(sum[:12])
}
