package filter

import (
	"errors"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		opts     Options
		want     string // canonical rendering
	}{
		{"empty", "", List, ""},
		{"blank", "   ", List, ""},
		{"state", "state=OPEN", List, `state="OPEN"`},
		{"lower case values", "state=closed AND priority=p1", List, `state="CLOSED" AND priority="P1"`},
		{"spaces around operator", "state = OPEN", List, `state="OPEN"`},
		{"doc example", "state=OPEN AND (priority=P0 OR priority=P1)", List, `state="OPEN" AND (priority="P0" OR priority="P1")`},
		{"creator", `creator.email="Dev@Acme.example"`, List, `creator.email="dev@acme.example"`},
		{"single term in parens", "(priority=P2)", List, `priority="P2"`},
		{"concrete state", "state=ACTION_REQUIRED", List, `state="ACTION_REQUIRED"`},
		{"update_time", `update_time>"2020-01-01T00:00:00-05:00"`, Search, `update_time>"2020-01-01T00:00:00-05:00"`},
		{"updateTime alias", `updateTime>"2020-01-01T00:00:00Z"`, Search, `update_time>"2020-01-01T00:00:00Z"`},
		{"free text", "connection timeout", Search, `"connection" AND "timeout"`},
		{"phrase", `"connection refused" AND state=OPEN`, Search, `"connection refused" AND state="OPEN"`},
		{"free text or", "(timeout OR latency) priority=P1", Search, `("timeout" OR "latency") AND priority="P1"`},
		{"escaped quote", `"say \"hi\""`, Search, `"say \"hi\""`},
		{"korean text", "연결 오류", Search, `"연결" AND "오류"`},
		{"escalated", "escalated=true AND state=NEW", Queue, `escalated="true" AND state="NEW"`},
		{"sla state", "sla.state=breached AND (sla.state=DUE_SOON OR priority=P0)", Queue, `sla.state="BREACHED" AND (sla.state="DUE_SOON" OR priority="P0")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(tc.in, tc.opts)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := q.String(); got != tc.want {
				t.Fatalf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
			// The canonical form parses back to itself.
			again, err := Parse(q.String(), tc.opts)
			if err != nil || again.String() != q.String() {
				t.Fatalf("round trip of %s: %v %s", q, err, again)
			}
		})
	}
}

func TestParseErrorsNameTheToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		opts     Options
		token    string
		msg      string
	}{
		{"unknown field", "colour=red", List, "colour", "unknown field"},
		{"bad state", "state=DONE", List, "DONE", "unknown state"},
		{"bad priority", "priority=P9", List, "P9", "unknown priority"},
		{"top-level OR", "priority=P0 OR priority=P1", List, "OR", "only allowed inside parentheses"},
		{"missing AND", "state=OPEN priority=P1", List, "priority", "expected AND"},
		{"AND in parens", "(state=OPEN AND priority=P1)", List, "AND", "not allowed inside parentheses"},
		{"nested parens", "((state=OPEN))", List, "(", "nested"},
		{"unclosed", "(state=OPEN OR state=CLOSED", List, "(", "unclosed"},
		{"stray close", "state=OPEN)", List, ")", "unbalanced"},
		{"empty parens", "()", List, ")", "empty parentheses"},
		{"trailing AND", "state=OPEN AND", List, "AND", "followed by a condition"},
		{"leading AND", "AND state=OPEN", List, "AND", "between two conditions"},
		{"wrong operator", "priority>P1", List, ">", "only the = operator"},
		{"unsupported operator", "priority!=P1", List, "!=", "only the = operator"},
		{"update_time =", `update_time="2020-01-01T00:00:00Z"`, Search, "=", "only the > operator"},
		{"update_time in list", `update_time>"2020-01-01T00:00:00Z"`, List, "update_time", "cannot be used"},
		{"bad time", `update_time>"yesterday"`, Search, `"yesterday"`, "RFC 3339"},
		{"free text in list", "timeout", List, "timeout", "free text"},
		{"missing value", "state=", List, "", "expected a value"},
		{"missing value before AND", "state= AND priority=P1", List, "AND", "expected a value"},
		{"unterminated", `creator.email="x@y`, List, `"x@y`, "unterminated"},
		{"bad escape", `"a\n"`, Search, `\n`, "escapes"},
		{"NOT", "NOT state=OPEN", List, "NOT", "not supported"},
		{"escalated in list", "escalated=true", List, "escalated", "cannot be used"},
		{"escalated value", "escalated=maybe", Queue, "maybe", "true or false"},
		{"sla state in list", "sla.state=BREACHED", List, "sla.state", "cannot be used"},
		{"sla state value", "sla.state=LATE", Queue, "LATE", "ON_TRACK, DUE_SOON, BREACHED or MET"},
		{"field without op", "state OPEN", Search, "OPEN", "expected an operator"},
		{"colon in search", "error: timeout", Search, "error", "quote search text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.in, tc.opts)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q) error = %v, want *Error", tc.in, err)
			}
			if fe.Token != tc.token || !strings.Contains(fe.Msg, tc.msg) {
				t.Fatalf("Parse(%q) = token %q msg %q; want token %q msg containing %q", tc.in, fe.Token, fe.Msg, tc.token, tc.msg)
			}
		})
	}
}

func TestParseBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxLength+1)
	if _, err := Parse(long, Search); err == nil {
		t.Fatal("overlong query accepted")
	}
	many := strings.TrimSuffix(strings.Repeat("priority=P1 AND ", MaxTerms+1), " AND ")
	if _, err := Parse(many, List); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("too many terms: %v", err)
	}
	if _, err := Parse("\xff", Search); err == nil {
		t.Fatal("invalid UTF-8 accepted")
	}
}

// FuzzParse checks the parser never panics, errors always carry a message,
// and accepted queries render to a canonical form that parses to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"state=OPEN AND (priority=P0 OR priority=P1)", `creator.email="a@b.c"`, `update_time>"2020-01-01T00:00:00Z"`,
		`"quoted \" text" free words`, "(a OR b) c", "((", "state=", `"\`, "priority!=P1", "연결 오류",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, opts := range []Options{List, Search, Queue} {
			q, err := Parse(s, opts)
			if err != nil {
				var fe *Error
				if !errors.As(err, &fe) || fe.Msg == "" {
					t.Fatalf("Parse(%q): unexpected error %v", s, err)
				}
				continue
			}
			again, err := Parse(q.String(), opts)
			if err != nil {
				t.Fatalf("canonical form %q of %q does not parse: %v", q.String(), s, err)
			}
			if again.String() != q.String() {
				t.Fatalf("canonical form not stable: %q -> %q", q.String(), again.String())
			}
		}
	})
}
