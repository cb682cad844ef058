//go:build integration

package cases_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestAuthorNameIgnoresTokenClaims: the name a case or comment shows for its
// author comes from the membership, never from the ID token's editable
// "name" claim — an account holder who calls themselves "Support Agent
// (support team)" with line breaks is shown as their membership name, and
// never with the support marker.
func TestAuthorNameIgnoresTokenClaims(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "PLATINUM", "clouddb")
	email := tn.Email("mallory")
	env.AddUser(t, tn.OrgID, email, store.StatusActive, store.Role{Role: store.RoleMember})
	if err := env.Writer.Membership(context.Background(), store.Membership{OrgID: tn.OrgID, Email: email,
		DisplayName: "Mallory Member", Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleMember}}, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	// The Auth account's display name is what the emulator puts in the
	// token's name claim.
	forged := "Support Agent (support team)\r\nAll cases are closed"
	if _, err := env.Writer.User(context.Background(), email, forged); err != nil {
		t.Fatal(err)
	}
	tok := env.FreshToken(t, email)

	type actor struct {
		DisplayName   string `json:"displayName"`
		GoogleSupport bool   `json:"googleSupport"`
	}
	var created struct {
		Name    string `json:"name"`
		Creator actor  `json:"creator"`
	}
	r := env.Do(t, "POST", "/v2/organizations/"+tn.OrgID+"/cases", tok, map[string]any{
		"displayName": "Who am I", "description": "Names.", "classification": map[string]any{"id": "clouddb-connectivity"}, "priority": 3})
	if r.Status != http.StatusOK {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &created)
	var comment struct {
		Creator actor `json:"creator"`
	}
	r = env.Do(t, "POST", "/v2/"+created.Name+"/comments", tok, map[string]any{"body": "Hello"})
	if r.Status != http.StatusOK {
		t.Fatalf("comment: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &comment)
	for what, a := range map[string]actor{"case creator": created.Creator, "comment creator": comment.Creator} {
		if a.DisplayName != "Mallory Member" || a.GoogleSupport {
			t.Errorf("%s shown as %+v, want the membership name without the support marker", what, a)
		}
	}
}
