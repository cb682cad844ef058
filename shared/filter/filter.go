// Package filter parses the case filter and search grammar of the Cloud
// Support API v2:
//
//	state=OPEN AND (priority=P0 OR priority=P1) AND creator.email="a@b.example"
//
// A query is a conjunction of clauses joined by AND; a clause is one term or
// a parenthesised disjunction of terms joined by OR (OR only inside
// parentheses, no nesting). A term is field=value, update_time>"RFC 3339"
// or, where Options.FreeText allows it, a free-text word or quoted phrase; in
// free-text mode adjacent clauses without AND are joined by AND, as a search
// box user expects.
//
// The parser is hand-written and small so its errors can name the offending
// token; it knows nothing about Firestore. The result is in conjunctive
// normal form, which is what a caller needs to push one clause into a query
// and check the rest in memory.
package filter

import (
	"fmt"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
)

// Field is a filterable field.
type Field string

// Fields. The names are the wire names clients write in filters.
const (
	FieldState        Field = "state"
	FieldPriority     Field = "priority"
	FieldCreatorEmail Field = "creator.email"
	FieldUpdateTime   Field = "update_time"
	FieldEscalated    Field = "escalated"
	// FieldSLAState is the case's SLA state (sla.state: ON_TRACK, DUE_SOON,
	// BREACHED, MET); the support queue's filter only.
	FieldSLAState Field = "sla.state"
	// Private resources and feedback.
	FieldProductID Field = "productId"
	FieldKind      Field = "kind"
)

// SLAStates are the values accepted after "sla.state=".
var SLAStates = []string{"ON_TRACK", "DUE_SOON", "BREACHED", "MET"}

// aliases maps accepted spellings to fields.
var aliases = map[string]Field{
	"state":         FieldState,
	"priority":      FieldPriority,
	"creator.email": FieldCreatorEmail,
	"update_time":   FieldUpdateTime,
	"updateTime":    FieldUpdateTime,
	"escalated":     FieldEscalated,
	"sla.state":     FieldSLAState,
	"productId":     FieldProductID,
	"product_id":    FieldProductID,
	"kind":          FieldKind,
}

// States accepted after "state=": OPEN and CLOSED (the Cloud Support words)
// plus, as an extension, every concrete case state.
var states = append([]string{"OPEN"}, casestate.States...)

// Priorities accepted after "priority=".
var priorities = casestate.Priorities

// Options say which parts of the grammar a caller accepts.
type Options struct {
	Fields   []Field
	FreeText bool
	// Values, for a field, are the only values it takes (upper case), in
	// place of the field's case-list meaning (e.g. a feedback state).
	Values map[Field][]string
}

// The grammars of the three callers.
var (
	// List is cases.list's filter.
	List = Options{Fields: []Field{FieldState, FieldPriority, FieldCreatorEmail}}
	// Search is cases.search's query: List plus free text and update_time>.
	Search = Options{Fields: []Field{FieldState, FieldPriority, FieldCreatorEmail, FieldUpdateTime}, FreeText: true}
	// Queue is the support queue's filter: List plus escalated= and sla.state=.
	Queue = Options{Fields: []Field{FieldState, FieldPriority, FieldCreatorEmail, FieldEscalated, FieldSLAState}}
)

// Bounds keep a query's evaluation cheap.
const (
	MaxLength = 1000 // bytes
	MaxTerms  = 20
)

// Query is a parsed filter: every clause must match.
type Query struct {
	Clauses []Clause
}

// Clause matches when any of its terms matches.
type Clause struct {
	Terms []Term
}

// Term is one condition. Field is empty for free text.
type Term struct {
	Field Field
	Op    string // "=" or ">"
	// Value is normalised: states and priorities upper case, e-mail lower
	// case, escalated "true"/"false", update_time as given.
	Value string
	Time  time.Time // update_time only
	Text  string    // free text (a word or a quoted phrase, unquoted)
}

// Empty reports whether the query has no conditions.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// String renders the query canonically (equal queries render equally, so
// the rendering can key page tokens).
func (q Query) String() string {
	parts := make([]string, len(q.Clauses))
	for i, c := range q.Clauses {
		terms := make([]string, len(c.Terms))
		for j, t := range c.Terms {
			terms[j] = t.String()
		}
		if len(terms) == 1 {
			parts[i] = terms[0]
		} else {
			parts[i] = "(" + strings.Join(terms, " OR ") + ")"
		}
	}
	return strings.Join(parts, " AND ")
}

// String renders one term.
func (t Term) String() string {
	if t.Field == "" {
		return quote(t.Text)
	}
	return string(t.Field) + t.Op + quote(t.Value)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// Error is a malformed query; Token is the offending token as written and
// Pos its 1-based byte offset (0 at the end of input).
type Error struct {
	Pos   int
	Token string
	Msg   string
}

func (e *Error) Error() string {
	if e.Token == "" {
		return e.Msg + " (at the end of the query)"
	}
	return fmt.Sprintf("%s (at %q, position %d)", e.Msg, e.Token, e.Pos)
}

// Parse parses s under opts. An empty or blank s is the empty query.
func Parse(s string, opts Options) (Query, error) {
	if len(s) > MaxLength {
		return Query{}, &Error{Pos: MaxLength + 1, Token: "…", Msg: fmt.Sprintf("the query is longer than %d bytes", MaxLength)}
	}
	toks, err := lex(s)
	if err != nil {
		return Query{}, err
	}
	p := &parser{toks: toks, opts: opts}
	return p.query()
}
