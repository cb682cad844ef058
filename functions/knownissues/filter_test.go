package knownissues

import (
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want issueFilter
		ok   bool
	}{
		{"", issueFilter{}, true},
		{"state=ACTIVE", issueFilter{State: "ACTIVE"}, true},
		{"state=resolved", issueFilter{State: "RESOLVED"}, true},
		{"productId=clouddb", issueFilter{ProductID: "clouddb"}, true},
		{`state = ACTIVE AND productId = "clouddb"`, issueFilter{State: "ACTIVE", ProductID: "clouddb"}, true},
		{"state=OPEN", issueFilter{}, false},
		{"state=ACTIVE AND state=RESOLVED", issueFilter{}, false},
		{"productId=Cloud DB", issueFilter{}, false},
		{"priority=P1", issueFilter{}, false},
		{"state", issueFilter{}, false},
		{"state=ACTIVE OR productId=x", issueFilter{}, false},
		{strings.Repeat("a", 600), issueFilter{}, false},
	}
	for _, tc := range tests {
		got, err := parseFilter(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("parseFilter(%q) = %+v, %v; want %+v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"state=ACTIVE", "productId=clouddb AND state=RESOLVED", `productId="x"`, "a=b AND", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseFilter(s)
		if err != nil {
			return
		}
		if got.State != "" && got.State != "ACTIVE" && got.State != "RESOLVED" {
			t.Fatalf("state %q accepted", got.State)
		}
		if got.ProductID != "" && !validProductID(got.ProductID) {
			t.Fatalf("product id %q accepted", got.ProductID)
		}
	})
}
