package filter

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

type parser struct {
	toks  []token
	i     int
	opts  Options
	terms int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

func errAt(t token, format string, args ...any) *Error {
	return &Error{Pos: t.pos, Token: t.text, Msg: fmt.Sprintf(format, args...)}
}

func isKeyword(t token, kw string) bool { return t.kind == tkWord && t.val == kw }

// query := [ clause { AND clause } ] EOF ; in free-text mode AND is optional.
func (p *parser) query() (Query, error) {
	var q Query
	if p.peek().kind == tkEOF {
		return q, nil
	}
	for {
		c, err := p.clause()
		if err != nil {
			return Query{}, err
		}
		q.Clauses = append(q.Clauses, c)
		t := p.peek()
		switch {
		case t.kind == tkEOF:
			return q, nil
		case isKeyword(t, "AND"):
			p.next()
			if p.peek().kind == tkEOF {
				return Query{}, errAt(t, "AND must be followed by a condition")
			}
		case isKeyword(t, "OR"):
			return Query{}, errAt(t, "OR is only allowed inside parentheses, e.g. (priority=P0 OR priority=P1)")
		case t.kind == tkRParen:
			return Query{}, errAt(t, "unbalanced closing parenthesis")
		case p.opts.FreeText:
			// Juxtaposition is AND in a search box.
		default:
			return Query{}, errAt(t, "expected AND between conditions")
		}
	}
}

// clause := term | '(' term { OR term } ')'
func (p *parser) clause() (Clause, error) {
	open := p.peek()
	if open.kind != tkLParen {
		t, err := p.term()
		if err != nil {
			return Clause{}, err
		}
		return Clause{Terms: []Term{t}}, nil
	}
	p.next()
	var c Clause
	for {
		if t := p.peek(); t.kind == tkLParen {
			return Clause{}, errAt(t, "nested parentheses are not supported")
		}
		t, err := p.term()
		if err != nil {
			return Clause{}, err
		}
		c.Terms = append(c.Terms, t)
		tk := p.next()
		switch {
		case tk.kind == tkRParen:
			return c, nil
		case isKeyword(tk, "OR"):
			continue
		case isKeyword(tk, "AND"):
			return Clause{}, errAt(tk, "AND is not allowed inside parentheses; parentheses group OR alternatives")
		case tk.kind == tkEOF:
			return Clause{}, errAt(open, "unclosed parenthesis")
		default:
			return Clause{}, errAt(tk, "expected OR or a closing parenthesis")
		}
	}
}

// term := WORD op value | WORD | STRING
func (p *parser) term() (Term, error) {
	t := p.next()
	p.terms++
	if p.terms > MaxTerms {
		return Term{}, errAt(t, "the query has more than %d conditions", MaxTerms)
	}
	switch t.kind {
	case tkEOF:
		return Term{}, &Error{Msg: "the query ends where a condition was expected"}
	case tkRParen:
		return Term{}, errAt(t, "empty parentheses or a missing condition")
	case tkOp:
		return Term{}, errAt(t, "a condition must start with a field name")
	case tkString:
		return p.freeText(t)
	}
	switch t.val {
	case "AND", "OR":
		return Term{}, errAt(t, "%s must stand between two conditions", t.val)
	case "NOT":
		return Term{}, errAt(t, "NOT is not supported")
	}
	if p.peek().kind != tkOp {
		if _, isField := aliases[t.val]; isField {
			return Term{}, errAt(p.peek(), "expected an operator after %s", t.val)
		}
		return p.freeText(t)
	}
	field, ok := aliases[t.val]
	if !ok {
		if p.opts.FreeText {
			return Term{}, errAt(t, "unknown field; filterable fields are %s (quote search text that contains = < > ! or :)", p.fieldList())
		}
		return Term{}, errAt(t, "unknown field; filterable fields are %s", p.fieldList())
	}
	if !slices.Contains(p.opts.Fields, field) {
		return Term{}, errAt(t, "%s cannot be used in this filter; filterable fields are %s", field, p.fieldList())
	}
	op := p.next()
	val := p.next()
	if val.kind != tkWord && val.kind != tkString || isKeyword(val, "AND") || isKeyword(val, "OR") {
		return Term{}, errAt(val, "expected a value after %s%s", t.val, op.val)
	}
	if allowed, ok := p.opts.Values[field]; ok {
		return enumTerm(field, op, val, allowed)
	}
	return typed(field, op, val)
}

func (p *parser) freeText(t token) (Term, error) {
	if !p.opts.FreeText {
		if t.kind == tkString {
			return Term{}, errAt(t, "free text is only allowed in search; expected field=value")
		}
		return Term{}, errAt(t, "unknown field or free text; expected field=value with a field among %s", p.fieldList())
	}
	if strings.TrimSpace(t.val) == "" {
		return Term{}, errAt(t, "empty search text")
	}
	return Term{Text: t.val}, nil
}

func (p *parser) fieldList() string {
	names := make([]string, len(p.opts.Fields))
	for i, f := range p.opts.Fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// typed checks the operator and value for field and normalises the value.
func typed(field Field, op, val token) (Term, error) {
	want := "="
	if field == FieldUpdateTime {
		want = ">"
	}
	if op.val != want {
		return Term{}, errAt(op, "%s supports only the %s operator", field, want)
	}
	term := Term{Field: field, Op: want}
	v := strings.TrimSpace(val.val)
	switch field {
	case FieldState:
		term.Value = strings.ToUpper(v)
		if !slices.Contains(states, term.Value) {
			return Term{}, errAt(val, "unknown state; use OPEN, CLOSED or a case state such as ACTION_REQUIRED")
		}
	case FieldPriority:
		term.Value = strings.ToUpper(v)
		if !slices.Contains(priorities, term.Value) {
			return Term{}, errAt(val, "unknown priority; use P0, P1, P2, P3 or P4")
		}
	case FieldCreatorEmail:
		term.Value = strings.ToLower(v)
		if term.Value == "" || !strings.Contains(term.Value, "@") {
			return Term{}, errAt(val, "creator.email needs an e-mail address")
		}
	case FieldSLAState:
		term.Value = strings.ToUpper(v)
		if !slices.Contains(SLAStates, term.Value) {
			return Term{}, errAt(val, "unknown SLA state; use ON_TRACK, DUE_SOON, BREACHED or MET")
		}
	case FieldEscalated:
		term.Value = strings.ToLower(v)
		if term.Value != "true" && term.Value != "false" {
			return Term{}, errAt(val, "escalated must be true or false")
		}
	case FieldProductID:
		term.Value = strings.ToLower(v)
		if term.Value == "" {
			return Term{}, errAt(val, "productId needs a product id")
		}
	case FieldKind:
		term.Value = strings.ToUpper(v)
	case FieldUpdateTime:
		ts, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return Term{}, errAt(val, `update_time needs an RFC 3339 time such as "2024-01-31T09:00:00Z"`)
		}
		term.Value, term.Time = v, ts
	}
	return term, nil
}

// enumTerm checks field=value where the caller's Options.Values name the
// allowed values (compared upper case).
func enumTerm(field Field, op, val token, allowed []string) (Term, error) {
	if op.val != "=" {
		return Term{}, errAt(op, "%s supports only the = operator", field)
	}
	v := strings.ToUpper(strings.TrimSpace(val.val))
	if !slices.Contains(allowed, v) {
		return Term{}, errAt(val, "unknown %s; use %s", field, strings.Join(allowed, ", "))
	}
	return Term{Field: field, Op: "=", Value: v}, nil
}
