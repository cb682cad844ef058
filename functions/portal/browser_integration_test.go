//go:build integration

package portal

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/firestore"

	fbauth "firebase.google.com/go/v4/auth"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestBrowser runs the portal's browser tests (web/tests/run.mjs: Debian's
// Chromium driven by playwright-core, one test per flow, axe-core on every
// page) against the stack `make test` started, as the demo users and as
// users of a tenant seeded here (so changing its reseller access or users
// disturbs no other test). Screenshots of failures are kept in
// web/test-results/. The measured first-load size and time to the case
// list are logged, not asserted. PORTAL_TESTS (test names separated by ";",
// as run.mjs prints them) runs only those flows, for a targeted run.
func TestBrowser(t *testing.T) {
	env := testenv.Get(t)
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("the browser tests need Chromium (apt-get install chromium; `make deps` installs it): %v", err)
	}
	if _, err := os.Stat("web/node_modules/playwright-core"); err != nil {
		t.Fatalf("the browser tests need the portal's npm packages (`make deps` runs npm ci in functions/portal/web): %v", err)
	}

	// A Platinum customer served by the demo reseller, which has not granted
	// it access, with its own admin; a person with no membership; a person
	// whose membership is still pending.
	id := testenv.UniqueID("portal")
	tn := env.PutOrg(t, id, store.Org{DisplayName: "Portal " + id, Kind: store.KindCustomer, Domains: []string{id + ".example"},
		PackageID: "PLATINUM", ProductIDs: []string{"clouddb", "analytics"}, ResellerID: "resellco",
		ResellerSince: env.Writer.Now, ResellerHistory: []store.ResellerTerm{{ResellerID: "resellco", Start: env.Writer.Now}}})
	admin := tn.Email("admin")
	env.AddUser(t, tn.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	pending := tn.Email("pending")
	env.AddUser(t, tn.OrgID, pending, store.StatusPending, store.Role{Role: store.RoleMember})
	nonMember := "nobody-" + id + "@elsewhere.example"
	if _, err := env.Writer.User(t.Context(), nonMember, "Nobody"); err != nil {
		t.Fatal(err)
	}
	// A member whose e-mail address is not verified.
	unverified := tn.Email("unverified")
	env.AddUser(t, tn.OrgID, unverified, store.StatusActive, store.Role{Role: store.RoleMember})
	u, err := env.Writer.Auth.GetUserByEmail(t.Context(), unverified)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Writer.Auth.UpdateUser(t.Context(), u.UID, (&fbauth.UserToUpdate{}).EmailVerified(false)); err != nil {
		t.Fatal(err)
	}
	// A member of an organisation whose package has no Support Center access.
	if err := env.Writer.Package(t.Context(), "BASIC-"+id, store.Package{DisplayName: "Basic", SupportCenterAccess: false}); err != nil {
		t.Fatal(err)
	}
	basic := env.PutOrg(t, id+"-basic", store.Org{DisplayName: "Basic " + id, Kind: store.KindCustomer,
		Domains: []string{id + "-basic.example"}, PackageID: "BASIC-" + id, ProductIDs: []string{"clouddb"}})
	notEligible := basic.Email("member")
	env.AddUser(t, basic.OrgID, notEligible, store.StatusActive, store.Role{Role: store.RoleMember})

	// A customer that requires single sign-on through its identity provider,
	// with a member who has a password too.
	sso := env.PutOrg(t, id+"-sso", store.Org{DisplayName: "SSO " + id, Kind: store.KindCustomer,
		Domains: []string{id + "-sso.example"}, PackageID: "PLATINUM", ProductIDs: []string{"clouddb"}})
	ssoMember := sso.Email("member")
	env.AddUser(t, sso.OrgID, ssoMember, store.StatusActive, store.Role{Role: store.RoleMember})
	if r := env.Do(t, "PATCH", "/v2/organizations/"+sso.OrgID+"/ssoConfig", env.Token(t, "lead@support.example"), map[string]any{
		"displayName": "Portal IdP", "ssoRequired": true,
		"oidc": map[string]any{"issuer": "https://login.idp.example", "clientId": "support-center"}}); r.Status != 200 {
		t.Fatalf("configure SSO: %d %s", r.Status, r.Body)
	}

	// A person at the tenant's domain with an account and no membership: asks
	// for access and is approved into the tenant.
	joiner := tn.Email("joiner")
	if _, err := env.Writer.User(t.Context(), joiner, "Joiner"); err != nil {
		t.Fatal(err)
	}

	// A case of the tenant closed 31 days ago: past the reopen window.
	oldCase := closedLongAgo(t, env, tn.OrgID, admin)

	// An active known issue on one of the tenant's products, with one update,
	// published by the demo support admin.
	knownIssue, kiTitle := publishKnownIssue(t, env, id)
	// A private resource for the tenant's analytics product and package.
	resTitle, resFile := publishResource(t, env, id)

	fx := map[string]string{"org": tn.OrgID, "domain": tn.Domain, "admin": admin, "pending": pending,
		"nonMember": nonMember, "unverified": unverified, "notEligible": notEligible, "oldCase": oldCase,
		"ssoMember": ssoMember, "knownIssue": knownIssue, "kiTitle": kiTitle, "joiner": joiner,
		"resTitle": resTitle, "resFile": resFile}
	maps.Copy(fx, ssoFixtures(t, env, id))
	fixtures, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}

	shots, err := filepath.Abs("web/test-results")
	if err != nil {
		t.Fatal(err)
	}
	metrics := filepath.Join(t.TempDir(), "metrics.json")
	cmd := exec.CommandContext(t.Context(), "node", "tests/run.mjs")
	cmd.Dir = "web"
	cmd.Env = append(os.Environ(), "GATEWAY_URL="+env.GatewayURL, "PORTAL_FIXTURES="+string(fixtures),
		"SCREENSHOT_DIR="+shots, "METRICS_FILE="+metrics, "CHROMIUM="+chromium)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		t.Log(line)
	}
	if runErr != nil {
		t.Fatalf("browser tests failed (%v); screenshots in %s", runErr, shots)
	}
	if !strings.Contains(out.String(), "ok   ") {
		t.Fatal("the browser tests ran no test")
	}
	if b, err := os.ReadFile(metrics); err == nil {
		t.Logf("measured (reported, not asserted): %s", b)
	}
}

// closedLongAgo files a case through the API, closes it, and moves its close
// time 31 days back (the one change no API makes); it returns the case name.
func closedLongAgo(t *testing.T, env *testenv.Env, orgID, email string) string {
	t.Helper()
	tok := env.Token(t, email)
	r := env.Do(t, "POST", "/v2/organizations/"+orgID+"/cases", tok, map[string]any{
		"displayName": "Closed long ago", "description": "An old problem.",
		"classification": map[string]string{"id": "clouddb-connectivity"}, "priority": "P3"})
	var c struct{ Name string }
	if err := json.Unmarshal(r.Body, &c); err != nil || r.Status != 200 || c.Name == "" {
		t.Fatalf("create case: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", "/v2/"+c.Name+":close", tok, map[string]string{"name": c.Name}); r.Status != 200 {
		t.Fatalf("close case: %d %s", r.Status, r.Body)
	}
	id := c.Name[strings.LastIndex(c.Name, "/")+1:]
	if _, err := env.FS().Collection(store.CasesCollection).Doc(id).Update(t.Context(),
		[]firestore.Update{{Path: "closeTime", Value: time.Now().Add(-31 * 24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	return c.Name
}

// publishKnownIssue publishes a known issue on the analytics product as the
// demo support admin and posts one update; it returns the issue's name and
// title.
func publishKnownIssue(t *testing.T, env *testenv.Env, id string) (name, title string) {
	t.Helper()
	tok := env.Token(t, "lead@support.example")
	title = "Dashboards load slowly " + id
	r := env.Do(t, "POST", "/v2/knownIssues", tok, map[string]any{"title": title,
		"summary": "Some dashboards take minutes to load.", "details": "Dashboards with more than 50 charts time out.",
		"productIds": []string{"analytics"}})
	var ki struct{ Name string }
	if err := json.Unmarshal(r.Body, &ki); err != nil || r.Status != 200 || ki.Name == "" {
		t.Fatalf("publish known issue: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", "/v2/"+ki.Name+"/updates", tok, map[string]string{"body": "We are rolling out a fix."}); r.Status != 200 {
		t.Fatalf("post known-issue update: %d %s", r.Status, r.Body)
	}
	return ki.Name, title
}
