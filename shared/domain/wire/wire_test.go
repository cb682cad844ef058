package wire

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{OrgName("acme"), "organizations/acme"},
		{CaseName("acme", "123456789"), "organizations/acme/cases/123456789"},
		{CommentName("acme", "123456789", "c1"), "organizations/acme/cases/123456789/comments/c1"},
		{AttachmentName("acme", "123456789", "a1"), "organizations/acme/cases/123456789/attachments/a1"},
		{SurveyName("acme", "123456789"), "organizations/acme/cases/123456789/survey"},
		{UserName("acme", "k"), "organizations/acme/users/k"},
		{AuditEntryName("acme", "e"), "organizations/acme/auditLog/e"},
		{ProductSupportName("acme"), "organizations/acme/productSupport"},
		{KnownIssueName("ki-1"), "knownIssues/ki-1"},
		{AccessRequestName("r"), "accessRequests/r"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParseCaseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, org, cs string
		ok            bool
	}{
		{"organizations/acme/cases/123456789", "acme", "123456789", true},
		{"organizations/acme/cases/012345678", "", "", false},
		{"organizations/acme/cases/12", "", "", false},
		{"organizations/Acme/cases/123456789", "", "", false},
		{"organizations/acme/cases/123456789/comments", "", "", false},
		{"projects/p/cases/123456789", "", "", false},
		{"organizations//cases/123456789", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		org, cs, ok := ParseCaseName(tc.name)
		if org != tc.org || cs != tc.cs || ok != tc.ok {
			t.Errorf("ParseCaseName(%q) = %q, %q, %v", tc.name, org, cs, ok)
		}
		if ok && CaseName(org, cs) != tc.name {
			t.Errorf("CaseName does not round-trip %q", tc.name)
		}
	}
}

func TestParseOrgAndKnownIssueNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		parse func(string) (string, bool)
		in    string
		want  string
		ok    bool
	}{
		{ParseOrgName, "organizations/acme", "acme", true},
		{ParseOrgName, "acme", "", false},
		{ParseOrgName, "organizations/a/b", "", false},
		{ParseKnownIssueName, "knownIssues/ki-1", "ki-1", true},
		{ParseKnownIssueName, "knownIssues/", "", false},
		{ParseKnownIssueName, "ki-1", "", false},
	}
	for _, tc := range tests {
		got, ok := tc.parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parse %q = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIDShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		valid func(string) bool
		id    string
		want  bool
	}{
		// Every organisation id in the demo data and the tests' ids.
		{ValidOrgID, "acme", true},
		{ValidOrgID, "resellco", true},
		{ValidOrgID, "cust-0a1b2c3d4e", true},
		{ValidOrgID, "x", true},
		{ValidOrgID, "1st", true},
		{ValidOrgID, strings.Repeat("a", 63), true},
		{ValidOrgID, strings.Repeat("a", 64), false},
		{ValidOrgID, "", false},
		{ValidOrgID, "Acme", false},
		{ValidOrgID, "a.b", false},
		{ValidOrgID, "a_b", false},
		{ValidOrgID, "-a", false},
		{ValidOrgID, "__x__", false},
		{ValidOrgID, "a/b", false},
		{ValidOrgID, "a b", false},
		{ValidOrgID, "ac\u00e9me", false},
		{ValidOrgID, "../x", false},
		{ValidCaseID, "123456789", true},
		{ValidCaseID, "100000", true},
		{ValidCaseID, "999999999999", true},
		{ValidCaseID, "12345", false},
		{ValidCaseID, "0123456789", false},
		{ValidCaseID, "12345678a", false},
		{ValidCaseID, "1234567890123", false},
		{ValidCaseID, "../1234567", false},
		{ValidAttachmentID, "0123456789abcdef01234567", true},
		{ValidAttachmentID, "0123456789ABCDEF01234567", false},
		{ValidAttachmentID, "0123456789abcdef0123456", false},
		{ValidAttachmentID, "report.pdf", false},
	}
	for _, tc := range tests {
		if got := tc.valid(tc.id); got != tc.want {
			t.Errorf("valid(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	seoul := time.FixedZone("KST", 9*3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 1, 2, 12, 4, 5, 0, seoul), "2026-01-02T03:04:05Z"},
		{time.Date(2026, 1, 2, 3, 4, 5, 120_000_000, time.UTC), "2026-01-02T03:04:05.12Z"},
		{time.Date(2026, 1, 2, 3, 4, 5, 1_000, time.UTC), "2026-01-02T03:04:05.000001Z"},
	}
	for _, tc := range tests {
		got := Timestamp(tc.in)
		if got != tc.want {
			t.Errorf("Timestamp(%v) = %q, want %q", tc.in, got, tc.want)
		}
		if got == "" {
			continue
		}
		back, err := ParseTimestamp(got)
		if err != nil || !back.Equal(tc.in) || back.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v", got, back, err)
		}
	}
	// Cut to Firestore's precision: the same time read back from a stored
	// document renders identically.
	at := time.Date(2026, 12, 1, 1, 49, 49, 583309158, time.UTC)
	if got, stored := Timestamp(at), Timestamp(at.Truncate(time.Microsecond)); got != stored || got != "2026-12-01T01:49:49.583309Z" {
		t.Errorf("Timestamp(%v) = %q, from storage %q", at, got, stored)
	}
	if got, err := ParseTimestamp("2020-01-01T00:00:00-05:00"); err != nil || got != time.Date(2020, 1, 1, 5, 0, 0, 0, time.UTC) {
		t.Errorf("offset: %v, %v", got, err)
	}
	for _, bad := range []string{"", "2020-01-01", "yesterday", "2020-01-01T00:00:00"} {
		if _, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) accepted", bad)
		}
	}
}

func TestNewActor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, email string
		support     bool
		want        Actor
	}{
		{"Kim", "kim@acme.example", false, Actor{DisplayName: "Kim", Email: "kim@acme.example", Username: "kim@acme.example"}},
		{"", "kim@acme.example", false, Actor{DisplayName: "kim@acme.example", Email: "kim@acme.example", Username: "kim@acme.example"}},
		{"Agent", "agent@support.example", true, Actor{DisplayName: "Agent", Email: "agent@support.example", Username: "agent@support.example", GoogleSupport: true}},
	}
	for _, tc := range tests {
		if got := NewActor(tc.name, tc.email, tc.support); *got != tc.want {
			t.Errorf("NewActor(%q, %q, %v) = %+v", tc.name, tc.email, tc.support, *got)
		}
	}
}

func TestInt64(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ N Int64 }{42})
	if err != nil || string(b) != `{"N":"42"}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
	tests := []struct {
		in   string
		want Int64
		ok   bool
	}{
		{`"123"`, 123, true},
		{`123`, 123, true},
		{`null`, 0, true},
		{`"-9223372036854775808"`, -9223372036854775808, true},
		{`"9223372036854775808"`, 0, false},
		{`"12x"`, 0, false},
		{`1.5`, 0, false},
		{`true`, 0, false},
	}
	for _, tc := range tests {
		var n Int64
		err := json.Unmarshal([]byte(tc.in), &n)
		if (err == nil) != tc.ok || n != tc.want {
			t.Errorf("Unmarshal(%s) = %d, %v", tc.in, n, err)
		}
		var ae *apierror.Error
		if err != nil && (!errors.As(err, &ae) || ae.Status != "INVALID_ARGUMENT") {
			t.Errorf("Unmarshal(%s): error %v is not INVALID_ARGUMENT", tc.in, err)
		}
	}
}

func TestEnums(t *testing.T) {
	t.Parallel()
	if got := StateNames(); !slices.Equal(got, []string{"NEW", "IN_PROGRESS_GOOGLE_SUPPORT", "ACTION_REQUIRED", "SOLUTION_PROVIDED", "CLOSED"}) {
		t.Errorf("StateNames = %q", got)
	}
	if got := PriorityNames(); !slices.Equal(got, []string{"P0", "P1", "P2", "P3", "P4"}) {
		t.Errorf("PriorityNames = %q", got)
	}
	if got := ReasonNames(); !slices.Equal(got, []string{"RESOLUTION_TIME", "TECHNICAL_EXPERTISE", "BUSINESS_IMPACT"}) {
		t.Errorf("ReasonNames = %q", got)
	}
	tests := []struct {
		in   string
		dst  interface{ UnmarshalJSON([]byte) error }
		want string
		ok   bool
	}{
		{`2`, new(Priority), "P1", true},
		{`"P4"`, new(Priority), "P4", true},
		{`0`, new(Priority), "", true},
		{`"PRIORITY_UNSPECIFIED"`, new(Priority), "", true},
		{`null`, new(Priority), "", true},
		{`6`, new(Priority), "", false},
		{`-1`, new(Priority), "", false},
		{`"P5"`, new(Priority), "", false},
		{`"p1"`, new(Priority), "", false},
		{`5`, new(State), "CLOSED", true},
		{`"ACTION_REQUIRED"`, new(State), "ACTION_REQUIRED", true},
		{`"OPEN"`, new(State), "", false},
		{`3`, new(Reason), "BUSINESS_IMPACT", true},
		{`"RESOLUTION_TIME"`, new(Reason), "RESOLUTION_TIME", true},
		{`4`, new(Reason), "", false},
		{`{}`, new(Reason), "", false},
	}
	for _, tc := range tests {
		err := tc.dst.UnmarshalJSON([]byte(tc.in))
		var got string
		switch v := tc.dst.(type) {
		case *Priority:
			got = string(*v)
		case *State:
			got = string(*v)
		case *Reason:
			got = string(*v)
		}
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("%T from %s = %q, %v", tc.dst, tc.in, got, err)
		}
	}
}
