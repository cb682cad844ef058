//go:build integration

package matrix

import (
	"net/http"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/store"
)

// TestFreeTextRefusesControlAndBidi: every free-text field of the API goes
// through the one validator — NUL, C0/C1 controls and bidi overrides or
// isolates are refused with 400 INVALID_ARGUMENT naming the field, on
// create and on change alike.
func TestFreeTextRefusesControlAndBidi(t *testing.T) {
	w := getWorld(t)
	org := w.Customer.OrgID
	admin, member := w.Tokens[OrgAdmin], w.Tokens[Member]
	caseBody := func(title, description string) map[string]any {
		return map[string]any{"displayName": title, "description": description,
			"classification": map[string]any{"id": "clouddb-connectivity"}, "priority": 3}
	}
	resourceBody := func(title, description string) map[string]any {
		return map[string]any{"title": title, "description": description, "kind": "DOCUMENT", "version": "1",
			"productIds": []string{ProductA}, "packageIds": []string{"GOLD"}, "filename": "guide.pdf", "sizeBytes": "10",
			"sha256": "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"}
	}
	// A case to change, comment on, close and survey.
	r := w.Env.Do(t, "POST", "/v2/organizations/"+org+"/cases", member, caseBody("Plain title", "Plain text."))
	if r.Status != http.StatusOK {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var c struct {
		Name string `json:"name"`
	}
	r.JSON(t, &c)
	closed := w.Env.Do(t, "POST", "/v2/organizations/"+org+"/cases", member, caseBody("To close", "Closing."))
	var cc struct {
		Name string `json:"name"`
	}
	closed.JSON(t, &cc)
	if r := w.Env.Do(t, "POST", "/v2/"+cc.Name+":close", member, map[string]any{}); r.Status != http.StatusOK {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}

	tests := []struct {
		name, method, path, token, field string
		body                             any
	}{
		{"case title (create)", "POST", "/v2/organizations/" + org + "/cases", member, "displayName", caseBody("Pay \u202eexe.pdf", "ok")},
		{"case description (create)", "POST", "/v2/organizations/" + org + "/cases", member, "description", caseBody("ok", "nul \x00 byte")},
		{"case title (patch)", "PATCH", "/v2/" + c.Name + "?updateMask=displayName", member, "displayName", map[string]any{"displayName": "isolate \u2066x\u2069"}},
		{"comment body", "POST", "/v2/" + c.Name + "/comments", member, "body", map[string]any{"body": "escape \x1b[31mred"}},
		{"survey text", "POST", "/v2/" + cc.Name + "/survey", member, "text", map[string]any{"rating": 4, "text": "c1 \u0085 control"}},
		{"profile display name", "PATCH", "/v2/me", member, "displayName", map[string]any{"displayName": "me\u202ey"}},
		{"user display name", "POST", "/v2/organizations/" + org + "/users", admin, "displayName",
			map[string]any{"email": w.Customer.Email("newcomer"), "displayName": "new\u202dcomer", "roles": []store.Role{{Role: store.RoleMember}}}},
		{"access request message", "POST", "/v2/accessRequests", w.Tokens[NonMember], "message", map[string]any{"message": "let me in \u202e"}},
		{"resource title", "POST", "/v2/resources", w.Tokens[SupportAdminActor], "title", resourceBody("Installer \u202egpj.exe", "ok")},
		{"resource description", "POST", "/v2/resources", w.Tokens[SupportAdminActor], "description", resourceBody("ok", "bell \x07")},
		{"feedback message", "POST", "/v2/feedback", w.Tokens[Pending], "message", map[string]any{"kind": "PROBLEM", "message": "broken \u2067x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.Env.Do(t, tc.method, tc.path, tc.token, tc.body)
			if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "INVALID_ARGUMENT") ||
				!strings.Contains(string(r.Body), tc.field) || !strings.Contains(string(r.Body), "U+") {
				t.Fatalf("%s %s: %d %s, want 400 INVALID_ARGUMENT naming %s and the character", tc.method, tc.path, r.Status, r.Body, tc.field)
			}
		})
	}
}
