//go:build integration

package resources_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestUnverifiedCallerGetsNothing: an address the identity provider has
// not verified proves nothing, so the admin of an entitled customer whose
// address is unverified gets 403 ACCESS_REQUIRED (EMAIL_NOT_VERIFIED) on
// every route — no resource, no download, and no feedback (its
// acknowledgement would go to an address nobody proved).
func TestUnverifiedCallerGetsNothing(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "PLATINUM", "clouddb")
	email := tn.Email("unverified")
	env.AddUser(t, tn.OrgID, email, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	u, err := env.Writer.Auth.GetUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Writer.Auth.UpdateUser(context.Background(), u.UID, (&fbauth.UserToUpdate{}).EmailVerified(false).Password(seed.DemoPassword)); err != nil {
		t.Fatal(err)
	}
	tok := env.FreshToken(t, email)
	now := time.Now().UTC()
	res := &store.Resource{ID: store.NewResourceID(now), Title: "Unverified", Kind: store.ResourceKindDownload, Version: "1",
		ProductIDs: []string{"clouddb"}, PackageIDs: []string{"PLATINUM"}, Filename: "x.bin", SizeBytes: 1,
		SHA256: strings.Repeat("0", 64), State: store.ResourceReady, Generation: 1, CreatorEmail: lead, CreateTime: now, UpdateTime: now}
	res.Object = store.ResourceObject(res.ID)
	if err := store.New(env.FS()).CreateResource(context.Background(), res); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/v2/resources", nil},
		{"GET", "/v2/resources/" + res.ID, nil},
		{"GET", "/v2/resources/" + res.ID + ":download", nil},
		{"GET", "/v2/resources/" + res.ID + "/downloads", nil},
		{"POST", "/v2/resources", map[string]any{"title": "x"}},
		{"POST", "/v2/feedback", map[string]any{"kind": "IDEA", "message": "hello"}},
		{"GET", "/v2/feedback", nil},
	} {
		r := env.Do(t, c.method, c.path, tok, c.body)
		if r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" || !strings.Contains(string(r.Body), "EMAIL_NOT_VERIFIED") {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
}
