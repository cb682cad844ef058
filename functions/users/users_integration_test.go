//go:build integration

package users_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/activateusers"
	"github.com/supportcenter/supportcenter/functions/cases"
	"github.com/supportcenter/supportcenter/functions/users"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/provisioning"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/outbox"
	"github.com/supportcenter/supportcenter/shared/store"
)

func usersPath(org string) string { return "/v2/organizations/" + org + "/users" }

func userPath(org, email string) string { return usersPath(org) + "/" + store.MembershipKey(email) }

// admined returns a fresh customer with one active org admin and its token.
func admined(t *testing.T, env *testenv.Env) (*testenv.Tenant, string, string) {
	t.Helper()
	tn := env.NewCustomer(t, "GOLD", "clouddb", "analytics")
	admin := tn.Email("admin")
	env.AddUser(t, tn.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	return tn, admin, env.Token(t, admin)
}

// waitMail polls the mail capture server until at least n messages to
// address arrived (or 30 s passed) and returns them.
func waitMail(t *testing.T, env *testenv.Env, address string, n int) []mailcapture.Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs := mailTo(t, env, address)
		if len(msgs) >= n || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func mailTo(t *testing.T, env *testenv.Env, address string) []mailcapture.Message {
	t.Helper()
	resp, err := http.Get(env.MailURL + "/api/messages?to=" + url.QueryEscape(address))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Messages []mailcapture.Message `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Messages
}

var linkRe = regexp.MustCompile(`https?://\S*oobCode=\S+`)

// setPasswordFromMail follows the welcome e-mail's set-password link the
// way the Auth UI does (accounts:resetPassword with its oobCode), which also
// verifies the address, and sets the demo password.
func setPasswordFromMail(t *testing.T, env *testenv.Env, m mailcapture.Message) {
	t.Helper()
	link := linkRe.FindString(m.Part("text/plain"))
	if link == "" {
		t.Fatalf("no set-password link in the welcome e-mail")
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"oobCode": u.Query().Get("oobCode"), "newPassword": seed.DemoPassword})
	resp, err := http.Post(fmt.Sprintf("http://%s/identitytoolkit.googleapis.com/v1/accounts:resetPassword?key=fake-api-key", env.AuthHost),
		"application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("resetPassword: %s %s", resp.Status, b)
	}
}

func putCase(t *testing.T, env *testenv.Env, org, product, class string) string {
	t.Helper()
	now := time.Now().UTC()
	c := &store.Case{OrgID: org, ProductID: product, ClassificationID: class, ClassificationName: class,
		DisplayName: "Case about " + product, Description: "d", LanguageCode: "en", Priority: "P3",
		State: casestate.New, Open: true, SubscriberEmailAddresses: []string{},
		CreatorUID: "test", CreatorEmail: "creator@" + org + ".example", CreateTime: now, UpdateTime: now}
	if _, err := store.New(env.FS()).CreateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return "organizations/" + org + "/cases/" + c.ID
}

func errorMeta(t *testing.T, r testenv.Response) map[string]string {
	t.Helper()
	var body struct {
		Error struct {
			Details []struct {
				Metadata map[string]string `json:"metadata"`
			} `json:"details"`
		} `json:"error"`
	}
	r.JSON(t, &body)
	for _, d := range body.Error.Details {
		if d.Metadata != nil {
			return d.Metadata
		}
	}
	return nil
}

// TestAddUserThroughActivation is issue 6's walk-through: an admin adds a
// person, who is pending with an ETA and told so, gets one welcome e-mail
// with a set-password link, and after the sweep passes the ETA signs in and
// sees the cases their role allows.
func TestAddUserThroughActivation(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, _, adminTok := admined(t, env)
	dbCase := putCase(t, env, tn.OrgID, "clouddb", "clouddb-performance")
	putCase(t, env, tn.OrgID, "analytics", "analytics-dashboards")

	email := tn.Email("new")
	before := time.Now().UTC()
	r := env.Do(t, "POST", usersPath(tn.OrgID), adminTok, users.AddRequest{Email: "New@" + strings.ToUpper(tn.Domain),
		DisplayName: "New Person", Language: "ko", Roles: []store.Role{{Role: store.RoleMember, ProductIDs: []string{"clouddb"}}}})
	if r.Status != http.StatusOK {
		t.Fatalf("add: %d %s", r.Status, r.Body)
	}
	var added users.User
	r.JSON(t, &added)
	eta, err := time.Parse(time.RFC3339, added.ActivateTime)
	if err != nil {
		t.Fatalf("activateTime %q: %v", added.ActivateTime, err)
	}
	if added.Email != email || added.Status != store.StatusPending || added.Name != "organizations/"+tn.OrgID+"/users/"+store.MembershipKey(email) {
		t.Fatalf("added %+v", added)
	}
	if d := eta.Sub(before); d < 24*time.Hour-time.Minute || d > 24*time.Hour+time.Minute {
		t.Fatalf("ETA %s is %s after the add, want the default 24h", eta, d)
	}

	// Provisioning (Pub/Sub push to the provision function) sends exactly
	// one welcome e-mail, in Korean, with a set-password link.
	msgs := waitMail(t, env, email, 1)
	if len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails, want 1", len(msgs))
	}
	t.Logf("welcome e-mail arrived %s after the add (Pub/Sub push → provision)", msgs[0].ReceivedAt.Sub(before).Round(time.Millisecond))
	if !strings.Contains(msgs[0].Subject, "지원 센터") {
		t.Errorf("subject %q is not Korean", msgs[0].Subject)
	}
	setPasswordFromMail(t, env, msgs[0])
	tok := env.FreshToken(t, email)

	// Until the ETA: ACCESS_REQUIRED with the expected time, on every route.
	r = env.Do(t, "GET", "/v2/organizations/"+tn.OrgID+"/cases", tok, nil)
	if r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" {
		t.Fatalf("pending list cases: %d %s", r.Status, r.Body)
	}
	if meta := errorMeta(t, r); meta["cause"] != "PENDING" || meta["activateTime"] != added.ActivateTime {
		t.Fatalf("pending metadata %v, want PENDING at %s", meta, added.ActivateTime)
	}

	// The membership knows its Auth account and that provisioning is done
	// (provision records DONE just after the e-mail went out: wait for it).
	var m *store.MembershipDoc
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		m, err = store.New(env.FS()).MembershipDocByID(t.Context(), store.MembershipID(tn.OrgID, email))
		if err != nil {
			t.Fatal(err)
		}
		if (m.UID != "" && m.Provision != nil && m.Provision.State == provisioning.Done) || time.Now().After(deadline) {
			break
		}
	}
	if m.UID == "" || m.Provision == nil || m.Provision.State != provisioning.Done {
		t.Fatalf("membership after provisioning: uid %q provision %+v", m.UID, m.Provision)
	}

	// The sweep before the ETA does nothing; past it, it activates once.
	clk := clock.NewFake(eta.Add(-time.Minute))
	sweep := sweepWith(store.New(env.FS()), clk, tn.OrgID)
	if res, err := sweep.Sweep(t.Context()); err != nil || res.Activated != 0 {
		t.Fatalf("early sweep: %+v %v", res, err)
	}
	clk.Set(eta.Add(time.Second))
	if res, err := sweep.Sweep(t.Context()); err != nil || res.Activated != 1 {
		t.Fatalf("sweep: %+v %v", res, err)
	}
	if res, err := sweep.Sweep(t.Context()); err != nil || res.Activated != 0 {
		t.Fatalf("second sweep: %+v %v", res, err)
	}

	// Active: same token, next request. A member on clouddb sees the
	// clouddb case only, and may not manage users.
	r = env.Do(t, "GET", "/v2/organizations/"+tn.OrgID+"/cases", tok, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("active list cases: %d %s", r.Status, r.Body)
	}
	var list cases.ListCasesResponse
	r.JSON(t, &list)
	if len(list.Cases) != 1 || list.Cases[0].Name != dbCase {
		t.Fatalf("cases seen %+v, want only %s", list.Cases, dbCase)
	}
	if r := env.Do(t, "GET", usersPath(tn.OrgID), tok, nil); r.Status != http.StatusForbidden {
		t.Fatalf("member lists users: %d", r.Status)
	}
	var got users.User
	env.Do(t, "GET", userPath(tn.OrgID, email), adminTok, nil).JSON(t, &got)
	if got.Status != store.StatusActive || got.Provisioning == nil || got.Provisioning.State != provisioning.Done {
		t.Fatalf("after activation %+v", got)
	}

	// Still exactly one welcome e-mail, and the audit trail has both steps.
	if n := len(mailTo(t, env, email)); n != 1 {
		t.Errorf("%d e-mails after activation, want 1", n)
	}
	actions := auditActions(t, env, tn.OrgID)
	if actions[store.AuditUserAdd] != 1 || actions[store.AuditUserActivate] != 1 {
		t.Errorf("audit %v", actions)
	}
}

func auditActions(t *testing.T, env *testenv.Env, org string) map[string]int {
	t.Helper()
	docs, err := env.FS().Collection(store.AuditCollection).Where("orgId", "==", org).Documents(t.Context()).GetAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, d := range docs {
		a, _ := d.DataAt("action")
		out[fmt.Sprint(a)]++
	}
	return out
}

// recorder records published membership events.
type recorder struct{ events.Recorder }

func (r *recorder) last() events.MembershipEvent {
	evs := r.MembershipEvents()
	return evs[len(evs)-1]
}

// sweepWith is the activate-users sweep over st for org, publishing to a
// recorder.
func sweepWith(st *store.Store, clk clock.Clock, org string) *activateusers.Handler {
	logger := slog.New(slog.DiscardHandler)
	return &activateusers.Handler{Store: st, Outbox: outbox.New(st, &events.Recorder{}, logger), Clock: clk, Logger: logger, OrgID: org}
}

func TestAddRefusals(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin, adminTok := admined(t, env)
	padmin := tn.Email("padmin")
	env.AddUser(t, tn.OrgID, padmin, store.StatusActive, store.Role{Role: store.RoleProductAdmin, ProductIDs: []string{"clouddb"}})
	member := []store.Role{{Role: store.RoleMember}}

	for _, email := range []string{
		"x@globex.example", // another organisation's domain
		"x@" + tn.Domain + ".evil.test",
		"x@" + tn.Domain + ".",
		"x@sub." + tn.Domain,
		"x@" + strings.Replace(tn.Domain, "e", "\u0435", 1), // Cyrillic look-alike
		"X <x@" + tn.Domain + ">",
		`"x"@` + tn.Domain,
		"x@y@" + tn.Domain,
	} {
		r := env.Do(t, "POST", usersPath(tn.OrgID), adminTok, users.AddRequest{Email: email, Roles: member})
		if r.Status != http.StatusBadRequest || !bytes.Contains(r.Body, []byte(`"field":"email"`)) {
			t.Errorf("add %q: %d %s", email, r.Status, r.Body)
		}
	}
	for name, body := range map[string]any{
		"no roles":       users.AddRequest{Email: tn.Email("a")},
		"unknown role":   users.AddRequest{Email: tn.Email("a"), Roles: []store.Role{{Role: "OWNER"}}},
		"other product":  users.AddRequest{Email: tn.Email("a"), Roles: []store.Role{{Role: store.RoleMember, ProductIDs: []string{"billing"}}}},
		"bad language":   users.AddRequest{Email: tn.Email("a"), Language: "fr", Roles: member},
		"unknown field":  map[string]any{"email": tn.Email("a"), "roles": member, "status": "ACTIVE"},
		"support role":   users.AddRequest{Email: tn.Email("a"), Roles: []store.Role{{Role: store.RoleSupportAdmin}}},
		"scoped admin":   users.AddRequest{Email: tn.Email("a"), Roles: []store.Role{{Role: store.RoleOrgAdmin, ProductIDs: []string{"clouddb"}}}},
		"unscoped padm.": users.AddRequest{Email: tn.Email("a"), Roles: []store.Role{{Role: store.RoleProductAdmin}}},
	} {
		if r := env.Do(t, "POST", usersPath(tn.OrgID), adminTok, body); r.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	// Already a member (whatever the case of the address): 409.
	r := env.Do(t, "POST", usersPath(tn.OrgID), adminTok, users.AddRequest{Email: strings.ToUpper(admin), Roles: member})
	if r.Status != http.StatusConflict || !bytes.Contains(r.Body, []byte("ALREADY_EXISTS")) {
		t.Errorf("re-add: %d %s", r.Status, r.Body)
	}
	// Product admins do not add users.
	if r := env.Do(t, "POST", usersPath(tn.OrgID), env.Token(t, padmin), users.AddRequest{Email: tn.Email("b"), Roles: member}); r.Status != http.StatusForbidden {
		t.Errorf("product admin adds: %d %s", r.Status, r.Body)
	}
	// Another organisation's admin cannot even see this one.
	if r := env.Do(t, "POST", usersPath(tn.OrgID), env.Token(t, "admin@globex.example"), users.AddRequest{Email: tn.Email("c"), Roles: member}); r.Status != http.StatusNotFound {
		t.Errorf("other admin adds: %d %s", r.Status, r.Body)
	}
}

func TestProductAdminLimits(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, _, adminTok := admined(t, env)
	padmin, target := tn.Email("padmin"), tn.Email("target")
	env.AddUser(t, tn.OrgID, padmin, store.StatusActive, store.Role{Role: store.RoleProductAdmin, ProductIDs: []string{"clouddb"}})
	env.AddUser(t, tn.OrgID, target, store.StatusActive, store.Role{Role: store.RoleViewer, ProductIDs: []string{"clouddb"}})
	ptok := env.Token(t, padmin)
	patch := func(tok, email string, roles ...store.Role) testenv.Response {
		return env.Do(t, "PATCH", userPath(tn.OrgID, email), tok, users.PatchRequest{Roles: roles})
	}
	for name, roles := range map[string][]store.Role{
		"grant org admin":     {{Role: store.RoleOrgAdmin}},
		"grant org admin too": {{Role: store.RoleOrgAdmin}, {Role: store.RoleViewer, ProductIDs: []string{"clouddb"}}},
		"other product":       {{Role: store.RoleViewer, ProductIDs: []string{"clouddb"}}, {Role: store.RoleMember, ProductIDs: []string{"analytics"}}},
		"org-wide role":       {{Role: store.RoleMember}},
	} {
		if r := patch(ptok, target, roles...); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if r := patch(ptok, padmin, store.Role{Role: store.RoleProductAdmin, ProductIDs: []string{"clouddb", "analytics"}}); r.Status != http.StatusForbidden {
		t.Errorf("product admin changes own roles: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", userPath(tn.OrgID, target)+":disable", ptok, nil); r.Status != http.StatusForbidden {
		t.Errorf("product admin disables: %d", r.Status)
	}
	if r := env.Do(t, "DELETE", userPath(tn.OrgID, target), ptok, nil); r.Status != http.StatusForbidden {
		t.Errorf("product admin removes: %d", r.Status)
	}

	// Within their product: allowed, audited, effective on the next request.
	ttok := env.Token(t, target)
	caseName := putCase(t, env, tn.OrgID, "clouddb", "clouddb-performance")
	caseID := caseName[strings.LastIndex(caseName, "/")+1:]
	comment := map[string]string{"body": "hello"}
	if r := env.Do(t, "POST", "/v2/"+caseName+"/comments", ttok, comment); r.Status != http.StatusForbidden {
		t.Fatalf("viewer comments: %d %s", r.Status, r.Body)
	}
	r := patch(ptok, target, store.Role{Role: store.RoleMember, ProductIDs: []string{"clouddb"}})
	if r.Status != http.StatusOK {
		t.Fatalf("product admin promotes on own product: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", "/v2/"+caseName+"/comments", ttok, comment); r.Status != http.StatusOK {
		t.Fatalf("member comments on %s right after the change: %d %s", caseID, r.Status, r.Body)
	}
	if actions := auditActions(t, env, tn.OrgID); actions[store.AuditUserRoles] != 1 {
		t.Errorf("audit %v", actions)
	}

	// Disabling takes effect on the next request too, with the same token.
	if r := env.Do(t, "POST", userPath(tn.OrgID, target)+":disable", adminTok, nil); r.Status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", "/v2/"+caseName, ttok, nil); r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" {
		t.Fatalf("disabled user reads a case: %d %s", r.Status, r.Body)
	}
	// Removing: gone from the list, 404 afterwards.
	if r := env.Do(t, "DELETE", userPath(tn.OrgID, target), adminTok, nil); r.Status != http.StatusOK {
		t.Fatalf("remove: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", userPath(tn.OrgID, target), adminTok, nil); r.Status != http.StatusNotFound {
		t.Fatalf("removed user: %d", r.Status)
	}
	if actions := auditActions(t, env, tn.OrgID); actions[store.AuditUserDisable] != 1 || actions[store.AuditUserRemove] != 1 {
		t.Errorf("audit %v", actions)
	}
}

func TestLastOrgAdminIsKept(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, admin, adminTok := admined(t, env)
	member := store.Role{Role: store.RoleMember}
	for name, r := range map[string]testenv.Response{
		"demote":  env.Do(t, "PATCH", userPath(tn.OrgID, admin), adminTok, users.PatchRequest{Roles: []store.Role{member}}),
		"disable": env.Do(t, "POST", userPath(tn.OrgID, admin)+":disable", adminTok, nil),
		"remove":  env.Do(t, "DELETE", userPath(tn.OrgID, admin), adminTok, nil),
	} {
		if r.Status != http.StatusBadRequest || !bytes.Contains(r.Body, []byte("FAILED_PRECONDITION")) {
			t.Errorf("%s the last admin: %d %s", name, r.Status, r.Body)
		}
	}
	// A pending org admin does not count.
	pending := tn.Email("pending")
	env.AddUser(t, tn.OrgID, pending, store.StatusPending, store.Role{Role: store.RoleOrgAdmin})
	if r := env.Do(t, "POST", userPath(tn.OrgID, admin)+":disable", adminTok, nil); r.Status != http.StatusBadRequest {
		t.Errorf("disable the last active admin beside a pending one: %d", r.Status)
	}

	// Two admins demoting each other at once: exactly one wins.
	second := tn.Email("second")
	env.AddUser(t, tn.OrgID, second, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	secondTok := env.Token(t, second)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, p := range []struct{ tok, target string }{{adminTok, second}, {secondTok, admin}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = env.Do(t, "PATCH", userPath(tn.OrgID, p.target), p.tok, users.PatchRequest{Roles: []store.Role{member}}).Status
		}()
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == http.StatusOK {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("concurrent demotions: statuses %v, want exactly one 200", statuses)
	}
	// Whoever lost the race is still org admin: read it from Firestore.
	st := store.New(env.FS())
	admins := 0
	for _, email := range []string{admin, second} {
		m, err := st.MembershipDocByID(t.Context(), store.MembershipID(tn.OrgID, email))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Roles {
			if r.Role == store.RoleOrgAdmin && m.Status == store.StatusActive {
				admins++
			}
		}
	}
	if admins != 1 {
		t.Fatalf("%d active org admins left, want 1", admins)
	}
}

func TestListPaginates(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn, _, adminTok := admined(t, env)
	for i := range 6 {
		m := store.Membership{OrgID: tn.OrgID, Email: tn.Email(fmt.Sprintf("u%d", i)), Status: store.StatusActive,
			Roles: []store.Role{{Role: store.RoleViewer}}}
		if err := env.Writer.Membership(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	pages := 0
	token := ""
	for {
		path := usersPath(tn.OrgID) + "?pageSize=3"
		if token != "" {
			path += "&pageToken=" + url.QueryEscape(token)
		}
		r := env.Do(t, "GET", path, adminTok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, r.Status, r.Body)
		}
		var list users.ListResponse
		r.JSON(t, &list)
		pages++
		for _, u := range list.Users {
			if seen[u.Name] {
				t.Fatalf("%s listed twice", u.Name)
			}
			seen[u.Name] = true
		}
		if token = list.NextPageToken; token == "" || pages > 5 {
			break
		}
	}
	if len(seen) != 7 || pages != 3 {
		t.Fatalf("%d users in %d pages, want 7 in 3", len(seen), pages)
	}
	// A token is bound to its organisation.
	other, _, otherTok := admined(t, env)
	var first users.ListResponse
	env.Do(t, "GET", usersPath(tn.OrgID)+"?pageSize=1", adminTok, nil).JSON(t, &first)
	if r := env.Do(t, "GET", usersPath(other.OrgID)+"?pageToken="+first.NextPageToken, otherTok, nil); r.Status != http.StatusBadRequest {
		t.Fatalf("foreign page token: %d", r.Status)
	}
	if r := env.Do(t, "GET", usersPath(tn.OrgID)+"?pageSize=x", adminTok, nil); r.Status != http.StatusBadRequest {
		t.Fatalf("bad page size: %d", r.Status)
	}
}

// TestResellerDoesNotManageCustomerUsers: a reseller acts on its customers'
// cases, never on their users (demo data: resellco manages globex with its
// grant; both requests are refused, nothing changes).
func TestResellerDoesNotManageCustomerUsers(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tok := env.Token(t, "partner@resellco.example")
	if r := env.Do(t, "GET", usersPath("globex"), tok, nil); r.Status != http.StatusForbidden {
		t.Errorf("reseller lists customer users: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", usersPath("globex"), tok, users.AddRequest{Email: "x@globex.example", Roles: []store.Role{{Role: store.RoleMember}}}); r.Status != http.StatusForbidden {
		t.Errorf("reseller adds customer user: %d %s", r.Status, r.Body)
	}
}
