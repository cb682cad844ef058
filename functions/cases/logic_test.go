package cases

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/filter"
	"github.com/supportcenter/supportcenter/shared/store"
)

func status(err error) string {
	var e *apierror.Error
	if errors.As(err, &e) {
		return e.Status
	}
	if err != nil {
		return "OTHER"
	}
	return "OK"
}

func validCreate() *Case {
	pct := 12.5
	return &Case{DisplayName: "DB down", Description: "It is down.", Classification: &Classification{ID: "clouddb-connectivity"},
		Priority: "P1", TimeZone: "Asia/Seoul", SubscriberEmailAddresses: []string{"Ops@Acme.example", "ops@acme.example"},
		IssueStartTime: "2025-05-31T10:00:00Z", IssueEndTime: "2025-05-31T20:00:00+09:00", UsersAffectedPercent: &pct,
		StackTrace: "  at main()\n", KnownIssueName: "knownIssues/ki-1"}
}

func TestNewCaseValidation(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	c, err := newCase(validCreate(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.SubscriberEmailAddresses) != 1 || c.SubscriberEmailAddresses[0] != "ops@acme.example" {
		t.Errorf("subscribers not normalised: %v", c.SubscriberEmailAddresses)
	}
	if c.Intake.StackTrace != "  at main()\n" || *c.Intake.UsersAffectedPercent != 12.5 || c.LanguageCode != "en" || c.KnownIssueID != "ki-1" {
		t.Errorf("intake %+v", c)
	}
	tests := []struct {
		name  string
		edit  func(*Case)
		field string
	}{
		{"no title", func(c *Case) { c.DisplayName = "  " }, "displayName"},
		{"long title", func(c *Case) { c.DisplayName = strings.Repeat("x", maxDisplayName+1) }, "displayName"},
		{"no description", func(c *Case) { c.Description = "" }, "description"},
		{"no classification", func(c *Case) { c.Classification = nil }, "classification.id"},
		{"no priority", func(c *Case) { c.Priority = "" }, "priority"},
		{"bad zone", func(c *Case) { c.TimeZone = "Mars/Olympus" }, "timeZone"},
		{"bad language", func(c *Case) { c.LanguageCode = "english!" }, "languageCode"},
		{"bad subscriber", func(c *Case) { c.SubscriberEmailAddresses = []string{"not-an-address"} }, "subscriberEmailAddresses[0]"},
		{"display-name subscriber", func(c *Case) { c.SubscriberEmailAddresses = []string{"Bob <bob@x.example>"} }, "subscriberEmailAddresses[0]"},
		{"too many subscribers", func(c *Case) {
			c.SubscriberEmailAddresses = strings.Split(strings.Repeat("a@b.example,", maxSubscribers+1), ",")[:maxSubscribers+1]
		}, "subscriberEmailAddresses"},
		{"times reversed", func(c *Case) { c.IssueEndTime = "2025-05-30T00:00:00Z" }, "issueEndTime"},
		{"end without start", func(c *Case) { c.IssueStartTime = "" }, "issueStartTime"},
		{"start in future", func(c *Case) { c.IssueStartTime, c.IssueEndTime = "2025-07-01T00:00:00Z", "" }, "issueStartTime"},
		{"bad time", func(c *Case) { c.IssueStartTime = "yesterday" }, "issueStartTime"},
		{"percent over", func(c *Case) { p := 100.5; c.UsersAffectedPercent = &p }, "usersAffectedPercent"},
		{"percent under", func(c *Case) { p := -1.0; c.UsersAffectedPercent = &p }, "usersAffectedPercent"},
		{"huge stack", func(c *Case) { c.StackTrace = strings.Repeat("x", maxStackTrace+1) }, "stackTrace"},
		{"bad known issue", func(c *Case) { c.KnownIssueName = "issues/1" }, "knownIssueName"},
		{"bad contact", func(c *Case) { c.ContactEmail = "x" }, "contactEmail"},
		{"line break in title", func(c *Case) { c.DisplayName = "DB down\r\nSupport Agent (support team)" }, "displayName"},
		{"bidi override in title", func(c *Case) { c.DisplayName = "invoice \u202efdp.exe" }, "displayName"},
		{"NUL in description", func(c *Case) { c.Description = "It is\x00 down." }, "description"},
		{"escape in stack trace", func(c *Case) { c.StackTrace = "\x1b[2J at main()" }, "stackTrace"},
		{"C1 control in steps", func(c *Case) { c.ReproductionSteps = "1. \u0085" }, "reproductionSteps"},
		{"isolate in impact", func(c *Case) { c.UserImpact = "\u2066x\u2069" }, "userImpact"},
		{"line break in version", func(c *Case) { c.ProductVersion = "1.2\n3" }, "productVersion"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := validCreate()
			tc.edit(in)
			_, err := newCase(in, now)
			var e *apierror.Error
			if !errors.As(err, &e) || e.Status != "INVALID_ARGUMENT" {
				t.Fatalf("err = %v", err)
			}
			b, _ := json.Marshal(e.Details)
			if !strings.Contains(string(b), `"field":"`+tc.field+`"`) {
				t.Fatalf("no violation for %s: %s", tc.field, b)
			}
		})
	}
	// Every problem is reported at once.
	_, err = newCase(&Case{}, now)
	if !strings.Contains(err.Error(), "displayName") || !strings.Contains(err.Error(), "priority") || !strings.Contains(err.Error(), "classification") {
		t.Fatalf("not all violations reported: %v", err)
	}
}

func TestEnumsDecodeNumbersAndNames(t *testing.T) {
	t.Parallel()
	var c Case
	if err := json.Unmarshal([]byte(`{"priority":2,"state":"ACTION_REQUIRED"}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Priority != "P1" || c.State != casestate.ActionRequired {
		t.Fatalf("%+v", c)
	}
	if err := json.Unmarshal([]byte(`{"priority":0}`), &c); err != nil || c.Priority != "" {
		t.Fatalf("unspecified: %v %q", err, c.Priority)
	}
	for _, bad := range []string{`{"priority":9}`, `{"priority":"P9"}`, `{"priority":-1}`, `{"priority":1.5}`, `{"state":true}`} {
		if err := json.Unmarshal([]byte(bad), &c); status(err) != "INVALID_ARGUMENT" {
			t.Errorf("%s: %v", bad, err)
		}
	}
	var e EscalateRequest
	if err := json.Unmarshal([]byte(`{"name":"x","escalation":{"reason":3,"justification":"j"}}`), &e); err != nil || e.Escalation.Reason != "BUSINESS_IMPACT" {
		t.Fatalf("%v %+v", err, e.Escalation)
	}
	// Output uses names.
	b, _ := json.Marshal(Case{Priority: "P0", State: casestate.New})
	if !strings.Contains(string(b), `"priority":"P0"`) || !strings.Contains(string(b), `"state":"NEW"`) {
		t.Fatalf("%s", b)
	}
}

// Free text everywhere else refuses control and bidi characters too,
// naming the field; line breaks and tabs stay allowed in multi-line text.
func TestFreeTextRefusesControls(t *testing.T) {
	t.Parallel()
	field := func(err error) string {
		var e *apierror.Error
		if !errors.As(err, &e) || e.Status != "INVALID_ARGUMENT" {
			return "no INVALID_ARGUMENT: " + fmt.Sprint(err)
		}
		b, _ := json.Marshal(e.Details)
		return string(b)
	}
	tests := []struct {
		name  string
		err   func() error
		field string
	}{
		{"comment NUL", func() error { _, err := commentBody(&Comment{Body: "a\x00b"}); return err }, "body"},
		{"comment bidi", func() error { _, err := commentBody(&Comment{Body: "a\u202eb"}); return err }, "body"},
		{"deprecated body", func() error { _, err := commentBody(&Comment{PlainTextBody: "a\u0007b"}); return err }, "body"},
		{"survey text", func() error { _, _, err := survey(&Survey{Rating: 5, Text: "\u2067x"}); return err }, "text"},
		{"justification", func() error {
			_, _, err := escalation(&EscalateRequest{Escalation: &Escalation{Reason: "BUSINESS_IMPACT", Justification: "x\x1by"}})
			return err
		}, "escalation.justification"},
		{"patched title", func() error {
			_, _, _, _, err := patchValues(&Case{DisplayName: "a\nb"}, []string{pathDisplayName})
			return err
		}, "displayName"},
	}
	for _, tc := range tests {
		if got := field(tc.err()); !strings.Contains(got, `"field":"`+tc.field+`"`) {
			t.Errorf("%s: %s", tc.name, got)
		}
	}
	if _, err := commentBody(&Comment{Body: "line 1\r\n\tline 2\n"}); err != nil {
		t.Errorf("multi-line comment refused: %v", err)
	}
}

func TestParseMask(t *testing.T) {
	t.Parallel()
	got, err := parseMask("")
	if err != nil || strings.Join(got, ",") != "displayName,priority,subscriberEmailAddresses" {
		t.Fatalf("empty mask: %v %v", got, err)
	}
	got, err = parseMask("display_name, priority,state")
	if err != nil || strings.Join(got, ",") != "displayName,priority,state" {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := parseMask("description"); status(err) != "INVALID_ARGUMENT" || !strings.Contains(err.Error(), "description") {
		t.Fatalf("read-only field: %v", err)
	}
}

func TestPageTokens(t *testing.T) {
	t.Parallel()
	c := &store.Cursor{Time: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC), ID: "123456789"}
	tok := encodeCursorToken(c, "list|acme|")
	got, err := decodeCursorToken(tok, "list|acme|")
	if err != nil || !got.Time.Equal(c.Time) || got.ID != c.ID {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := decodeCursorToken(tok, `list|acme|state="OPEN"`); status(err) != "INVALID_ARGUMENT" {
		t.Fatalf("token reused with another filter: %v", err)
	}
	for _, bad := range []string{"!!", "e30", strings.Repeat("A", 2000)} {
		if _, err := decodeCursorToken(bad, "k"); status(err) != "INVALID_ARGUMENT" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if got, err := decodeCursorToken("", "k"); got != nil || err != nil {
		t.Fatal("empty token")
	}
}

func FuzzDecodeCursorToken(f *testing.F) {
	f.Add(encodeCursorToken(&store.Cursor{Time: time.Now(), ID: "123456789"}, "k"))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursorToken(s, "k")
		if err == nil && s != "" && (c == nil || c.ID == "") {
			t.Fatalf("accepted %q as %+v", s, c)
		}
	})
}

func TestPlanAndMatch(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	c := &store.Case{ID: "100000001", OrgID: "acme", ProductID: "clouddb", State: casestate.ActionRequired, Priority: "P1",
		CreatorEmail: "dev@acme.example", CreateTime: now, UpdateTime: now, ResellerID: "rs",
		Tokens: searchtokens.Add(nil, "Connection timeout on primary", "연결 오류")}
	tests := []struct {
		name   string
		base   store.CaseQuery
		filter string
		pushed string // what the planner pushed into Firestore
		match  bool
	}{
		{"empty", store.CaseQuery{OrgID: "acme"}, "", "", true},
		{"open", store.CaseQuery{OrgID: "acme"}, "state=OPEN", "open", true},
		{"closed", store.CaseQuery{OrgID: "acme"}, "state=CLOSED", "open", false},
		{"creator wins", store.CaseQuery{OrgID: "acme"}, `state=OPEN AND creator.email="dev@acme.example"`, "creatorEmail", true},
		{"priority or", store.CaseQuery{OrgID: "acme"}, "state=OPEN AND (priority=P0 OR priority=P1)", "in:priority", true},
		{"or not with products", store.CaseQuery{OrgID: "acme", ProductIDs: []string{"clouddb"}}, "(priority=P0 OR priority=P1)", "", true},
		{"priority miss", store.CaseQuery{OrgID: "acme"}, "(priority=P0 OR priority=P2)", "in:priority", false},
		{"free text", store.CaseQuery{OrgID: "acme"}, "connection timeout", "tokens:connection", true},
		{"korean", store.CaseQuery{OrgID: "acme"}, "오류", "tokens:오류", true},
		{"free text miss", store.CaseQuery{OrgID: "acme"}, "connection refused", "tokens:connection", false},
		{"update_time", store.CaseQuery{OrgID: "acme"}, `update_time>"2025-05-31T00:00:00Z"`, "", true},
		{"update_time miss", store.CaseQuery{OrgID: "acme"}, `update_time>"2025-06-01T00:00:00Z"`, "", false},
		{"product scope", store.CaseQuery{OrgID: "acme", ProductIDs: []string{"analytics"}}, "", "", false},
		{"reseller scope", store.CaseQuery{OrgID: "acme", ResellerID: "rs", Since: now.Add(time.Hour)}, "", "", false},
		{"other org", store.CaseQuery{OrgID: "globex"}, "", "", false},
		{"queue hides tests", store.CaseQuery{ExcludeTests: true}, "escalated=false", "escalated", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := filter.Parse(tc.filter, filter.Options{Fields: []filter.Field{filter.FieldState, filter.FieldPriority,
				filter.FieldCreatorEmail, filter.FieldUpdateTime, filter.FieldEscalated}, FreeText: true})
			if err != nil {
				t.Fatal(err)
			}
			cq, match := plan(tc.base, q, time.Unix(1, 0))
			pushed := ""
			switch {
			case cq.Equal.Field != "":
				pushed = cq.Equal.Field
			case cq.In.Field != "":
				pushed = "in:" + cq.In.Field
			case cq.Contains != "":
				pushed = "tokens:" + cq.Contains
			}
			if pushed != tc.pushed {
				t.Errorf("pushed %q, want %q", pushed, tc.pushed)
			}
			if got := match(c); got != tc.match {
				t.Errorf("match = %v, want %v", got, tc.match)
			}
		})
	}
	test := *c
	test.TestCase = true
	_, match := plan(store.CaseQuery{ExcludeTests: true}, filter.Query{}, time.Unix(1, 0))
	if match(&test) {
		t.Fatal("queue matched a test case")
	}
}
