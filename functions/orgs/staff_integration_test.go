//go:build integration

package orgs_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/orgs"
	"github.com/supportcenter/supportcenter/shared/store"
)

// mailSubjects polls the mail capture server until at least n messages to
// address arrived (or 30 s passed) and returns their subjects and bodies.
func mailSubjects(t *testing.T, env *testenv.Env, address string, n int) (subjects []string, texts []string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(env.MailURL + "/api/messages?to=" + url.QueryEscape(address))
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Messages []mailcapture.Message `json:"messages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		subjects, texts = nil, nil
		for _, m := range body.Messages {
			subjects, texts = append(subjects, m.Subject), append(texts, m.Part("text/plain"))
		}
		if len(subjects) >= n || time.Now().After(deadline) {
			return subjects, texts
		}
	}
}

// fileRequest has a new person (an Auth account at domain, language lang in
// their profile) file an access request about orgID; it returns the
// person's address and the request.
func fileRequest(t *testing.T, env *testenv.Env, domain, orgID, lang string) (string, orgs.AccessRequest) {
	t.Helper()
	email := testenv.UniqueID("asker") + "@" + domain
	if _, err := env.Writer.User(t.Context(), email, "Asker"); err != nil {
		t.Fatal(err)
	}
	tok := env.Token(t, email)
	if r := env.Do(t, "PATCH", "/v2/me", tok, map[string]any{"language": lang}); r.Status != http.StatusOK {
		t.Fatalf("set language: %d %s", r.Status, r.Body)
	}
	r := env.Do(t, "POST", "/v2/accessRequests", tok, map[string]any{"orgId": orgID, "message": "Please let me in."})
	if r.Status != http.StatusOK {
		t.Fatalf("file request: %d %s", r.Status, r.Body)
	}
	var q orgs.AccessRequest
	r.JSON(t, &q)
	return email, q
}

// queueHas reports whether the queue under filter lists request name.
func queueHas(t *testing.T, env *testenv.Env, filter, name string) bool {
	t.Helper()
	token := ""
	for range 100 {
		r := env.Do(t, "GET", "/v2/accessRequests?pageSize=100&filter="+url.QueryEscape(filter)+"&pageToken="+token, env.Token(t, agent), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("queue %q: %d %s", filter, r.Status, r.Body)
		}
		var q orgs.ListAccessRequestsResponse
		r.JSON(t, &q)
		for _, a := range q.AccessRequests {
			if filter != "" && "state="+a.State != filter {
				t.Fatalf("filter %q listed a %s request", filter, a.State)
			}
			if a.Name == name {
				return true
			}
		}
		if token = q.NextPageToken; token == "" {
			return false
		}
	}
	return false
}

// TestApproveAccessRequest: a support agent approves a request; it becomes
// a pending membership provisioned like an added user (welcome e-mail) and
// the requester is told, in Korean as their profile says; the approval is
// in the organisation's audit log; a second answer is refused.
func TestApproveAccessRequest(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	orgID, admin := newCustomer(t, env, "GOLD", "", false)
	email, q := fileRequest(t, env, orgID+".example", orgID, "ko")
	if !queueHas(t, env, "state=OPEN", q.Name) {
		t.Fatal("the request is not in the OPEN queue")
	}
	path := "/v2/" + q.Name
	body := orgs.ApproveAccessRequest{Organization: "organizations/" + orgID, Roles: []store.Role{{Role: store.RoleMember}}}

	refused := map[string]struct {
		email string
		path  string
		body  any
		want  int
	}{
		"the customer's own admin":    {admin, path + ":approve", body, http.StatusForbidden},
		"the requester":               {email, path + ":approve", body, http.StatusForbidden},
		"no organization":             {agent, path + ":approve", orgs.ApproveAccessRequest{Roles: body.Roles}, http.StatusBadRequest},
		"an unknown organization":     {agent, path + ":approve", orgs.ApproveAccessRequest{Organization: "organizations/no-such-org", Roles: body.Roles}, http.StatusNotFound},
		"support roles on a customer": {agent, path + ":approve", orgs.ApproveAccessRequest{Organization: body.Organization, Roles: []store.Role{{Role: store.RoleSupportAgent}}}, http.StatusBadRequest},
		"an agent into the vendor":    {agent, path + ":approve", orgs.ApproveAccessRequest{Organization: "organizations/support", Roles: []store.Role{{Role: store.RoleSupportAgent}}}, http.StatusForbidden},
		"outside the domains":         {lead, path + ":approve", orgs.ApproveAccessRequest{Organization: "organizations/acme", Roles: body.Roles}, http.StatusBadRequest},
		"an unknown request":          {agent, "/v2/accessRequests/nosuchrequest:approve", body, http.StatusNotFound},
		"an unknown verb":             {agent, path + ":accept", body, http.StatusNotFound},
	}
	for name, c := range refused {
		if r := env.Do(t, "POST", c.path, env.Token(t, c.email), c.body); r.Status != c.want {
			t.Errorf("%s: %d %s, want %d", name, r.Status, r.Body, c.want)
		}
	}

	r := env.Do(t, "POST", path+":approve", env.Token(t, agent), body)
	if r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	var approved orgs.AccessRequest
	r.JSON(t, &approved)
	if approved.State != store.AccessRequestApproved || approved.Answer == nil || approved.Answer.Organization != body.Organization ||
		approved.Answer.AnsweredBy != agent || approved.Answer.ActivateTime == "" {
		t.Fatalf("approved %s", r.Body)
	}
	// Answered once: a second approval, or a rejection, is refused.
	for verb, b := range map[string]any{"approve": body, "reject": orgs.RejectAccessRequest{Reason: "too late"}} {
		if r := env.Do(t, "POST", path+":"+verb, env.Token(t, lead), b); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "FAILED_PRECONDITION") {
			t.Errorf("second answer (%s): %d %s", verb, r.Status, r.Body)
		}
	}
	// A pending membership, provisioned as usual; the requester learns
	// when it activates.
	var u struct {
		Status       string `json:"status"`
		Roles        []store.Role
		Provisioning *struct{ State string }
		AddedBy      string `json:"addedBy"`
	}
	ur := env.Do(t, "GET", "/v2/organizations/"+orgID+"/users/"+store.MembershipKey(email), env.Token(t, admin), nil)
	ur.JSON(t, &u)
	if ur.Status != http.StatusOK || u.Status != store.StatusPending || u.AddedBy != agent || u.Provisioning == nil {
		t.Fatalf("membership %d %s", ur.Status, ur.Body)
	}
	cr := env.Do(t, "GET", "/v2/organizations/"+orgID+"/cases", env.Token(t, email), nil)
	if _, reason, meta := errorInfo(t, cr); cr.Status != http.StatusForbidden || reason != "ACCESS_REQUIRED" || meta["cause"] != "PENDING" {
		t.Fatalf("approved requester before activation: %d %s", cr.Status, cr.Body)
	}
	// Two e-mails, both in Korean: the welcome and the answer.
	subjects, _ := mailSubjects(t, env, email, 2)
	if len(subjects) != 2 {
		t.Fatalf("e-mails %q, want the welcome and the answer", subjects)
	}
	for _, want := range []string{"승인", "사용자로 추가"} {
		if !slices.ContainsFunc(subjects, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("no e-mail with %q among %q", want, subjects)
		}
	}
	// The organisation's audit log records the approval.
	log := auditLog(t, env, orgID, admin, "")
	if !slices.ContainsFunc(log.AuditEntries, func(e orgs.AuditEntry) bool {
		return e.Action == store.AuditAccessRequestApprove && e.Target == email && e.Actor == agent && e.Details["accessRequest"] == q.Name
	}) {
		t.Errorf("audit log has no approval: %+v", log.AuditEntries)
	}
	if !queueHas(t, env, "state=APPROVED", q.Name) || queueHas(t, env, "state=OPEN", q.Name) {
		t.Error("the approved request is not (only) in the APPROVED queue")
	}
	if r := env.Do(t, "GET", "/v2/accessRequests?filter=priority%3DP1", env.Token(t, agent), nil); r.Status != http.StatusBadRequest {
		t.Errorf("bad filter: %d", r.Status)
	}
}

// TestRejectAccessRequest: support rejects with a reason; the requester is
// told in English (no profile language) with the reason.
func TestRejectAccessRequest(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	email, q := fileRequest(t, env, "nowhere.example", "acme", "en")
	path := "/v2/" + q.Name + ":reject"
	for name, c := range map[string]struct {
		who  string
		body any
		want int
	}{
		"no reason":          {agent, orgs.RejectAccessRequest{}, http.StatusBadRequest},
		"a control char":     {agent, orgs.RejectAccessRequest{Reason: "no\u202e"}, http.StatusBadRequest},
		"a customer admin":   {"admin@acme.example", orgs.RejectAccessRequest{Reason: "no"}, http.StatusForbidden},
		"the requester self": {email, orgs.RejectAccessRequest{Reason: "no"}, http.StatusForbidden},
	} {
		if r := env.Do(t, "POST", path, env.Token(t, c.who), c.body); r.Status != c.want {
			t.Errorf("%s: %d %s, want %d", name, r.Status, r.Body, c.want)
		}
	}
	reason := "Acme's administrators did not confirm you <work> there."
	r := env.Do(t, "POST", path, env.Token(t, agent), orgs.RejectAccessRequest{Reason: reason})
	var got orgs.AccessRequest
	r.JSON(t, &got)
	if r.Status != http.StatusOK || got.State != store.AccessRequestRejected || got.Answer == nil || got.Answer.Reason != reason {
		t.Fatalf("reject: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", path, env.Token(t, agent), orgs.RejectAccessRequest{Reason: "again"}); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "FAILED_PRECONDITION") {
		t.Errorf("second rejection: %d", r.Status)
	}
	subjects, texts := mailSubjects(t, env, email, 1)
	if len(subjects) != 1 || !strings.Contains(subjects[0], "declined") || !strings.Contains(texts[0], reason) {
		t.Fatalf("answer e-mail %q %q", subjects, texts)
	}
}

// TestAccessReviewAgreesWithEnforcement builds a customer with every kind of
// person, takes its access review, and checks it against real requests:
// everyone listed as reading reads a case in their scope, pending members
// and everyone not listed read none, and the support team reads all.
func TestAccessReviewAgreesWithEnforcement(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	rsID, partner := newReseller(t, env)
	viewerPartner := strings.Replace(partner, "partner@", "viewer@", 1)
	env.AddUser(t, rsID, viewerPartner, store.StatusActive, store.Role{Role: store.RoleViewer})
	otherRs, stranger := newReseller(t, env)
	_ = otherRs

	id := testenv.UniqueID("cust")
	since := time.Now().UTC().AddDate(0, -1, 0)
	tn := env.PutOrg(t, id, store.Org{DisplayName: "Reviewed", Kind: store.KindCustomer, Domains: []string{id + ".example"},
		PackageID: "PLATINUM", ProductIDs: []string{"clouddb", "analytics"}, ResellerID: rsID, ResellerSince: since,
		ResellerAccess:  store.ResellerAccess{Granted: true, GrantTime: since},
		ResellerHistory: []store.ResellerTerm{{ResellerID: rsID, Start: since}}})
	admin := tn.Email("admin")
	people := map[string]struct {
		status string
		roles  []store.Role
	}{
		admin:                 {store.StatusActive, []store.Role{{Role: store.RoleOrgAdmin}}},
		tn.Email("member"):    {store.StatusActive, []store.Role{{Role: store.RoleMember}}},
		tn.Email("analytics"): {store.StatusActive, []store.Role{{Role: store.RoleMember, ProductIDs: []string{"analytics"}}}},
		tn.Email("viewer"):    {store.StatusActive, []store.Role{{Role: store.RoleViewer, ProductIDs: []string{"clouddb"}}}},
		tn.Email("padmin"):    {store.StatusActive, []store.Role{{Role: store.RoleProductAdmin, ProductIDs: []string{"analytics"}}}},
		tn.Email("pending"):   {store.StatusPending, []store.Role{{Role: store.RoleMember}}},
		tn.Email("disabled"):  {store.StatusDisabled, []store.Role{{Role: store.RoleMember}}},
		tn.Email("noroles"):   {store.StatusActive, nil},
	}
	for email, p := range people {
		env.AddUser(t, id, email, p.status, p.roles...)
	}
	// Reseller people who are also the customer's own members: their own
	// membership decides while it is pending (they read nothing yet), not
	// once it is disabled (they read as the reseller's).
	pendingPartner, disabledPartner := tn.Email("pendingpartner"), tn.Email("disabledpartner")
	for email, status := range map[string]string{pendingPartner: store.StatusPending, disabledPartner: store.StatusDisabled} {
		env.AddUser(t, rsID, email, store.StatusActive, store.Role{Role: store.RoleMember})
		if err := env.Writer.Membership(t.Context(), store.Membership{OrgID: id, Email: email, Status: status,
			Roles: []store.Role{{Role: store.RoleMember}}, ActivateTime: time.Now().UTC().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	cases := map[string]string{"clouddb": fileCase(t, env, id, admin)}
	r := env.Do(t, "POST", "/v2/organizations/"+id+"/cases", env.Token(t, admin), map[string]any{
		"displayName": "Analytics case", "description": "For the review test.",
		"classification": map[string]any{"id": "analytics-dashboards"}, "priority": "P3"})
	if r.Status != http.StatusOK {
		t.Fatalf("file analytics case: %d %s", r.Status, r.Body)
	}
	var c struct{ Name string }
	r.JSON(t, &c)
	cases["analytics"] = c.Name

	// Who may read the review: org admins and support staff.
	for who, want := range map[string]int{admin: 200, agent: 200, lead: 200, tn.Email("member"): 403,
		tn.Email("padmin"): 403, partner: 403, stranger: 404} {
		if r := env.Do(t, "GET", "/v2/organizations/"+id+"/accessReview", env.Token(t, who), nil); r.Status != want {
			t.Errorf("review as %s: %d %s, want %d", who, r.Status, r.Body, want)
		}
	}
	r = env.Do(t, "GET", "/v2/organizations/"+id+"/accessReview", env.Token(t, admin), nil)
	var rv orgs.AccessReview
	r.JSON(t, &rv)
	if rv.Reseller == nil || rv.Reseller.Organization != "organizations/"+rsID || !rv.Reseller.AccessGranted || rv.Reseller.Since == "" {
		t.Fatalf("reseller in the review: %s", r.Body)
	}
	if rv.Support.Organization != "organizations/support" {
		t.Errorf("support class %+v", rv.Support)
	}

	// readsAny: the person reads at least one of the customer's cases.
	readsAny := func(email string) bool {
		read := false
		for _, name := range cases {
			if r := env.Do(t, "GET", "/v2/"+name, env.Token(t, email), nil); r.Status == http.StatusOK {
				read = true
			} else if r.Status >= 500 {
				t.Fatalf("GET %s as %s: %d %s", name, email, r.Status, r.Body)
			}
		}
		return read
	}
	listed := map[string]bool{}
	for _, m := range rv.Members {
		listed[m.Email] = true
		// Each member reads the cases of exactly the products in scope.
		for product, name := range cases {
			inScope := m.Scope == "ALL_PRODUCTS" || slices.Contains(m.ProductIDs, product)
			r := env.Do(t, "GET", "/v2/"+name, env.Token(t, m.Email), nil)
			if (r.Status == http.StatusOK) != inScope {
				t.Errorf("member %s (scope %s %v) GET %s case: %d", m.Email, m.Scope, m.ProductIDs, product, r.Status)
			}
		}
	}
	for _, p := range rv.Reseller.People {
		listed[p.Email] = true
		if p.Scope != "RESELLER_TERM" || !readsAny(p.Email) {
			t.Errorf("reseller person %s (scope %s) reads no case", p.Email, p.Scope)
		}
	}
	pending := map[string]bool{}
	for _, p := range rv.PendingMembers {
		pending[p.Email] = true
		if p.ActivateTime == "" {
			t.Errorf("pending %s without activation time", p.Email)
		}
	}
	if !pending[tn.Email("pending")] || !pending[pendingPartner] || len(pending) != 2 {
		t.Errorf("pending members %v", pending)
	}
	// Everyone we made: listed as reading ⇔ reads now.
	everyone := []string{partner, viewerPartner, stranger, "admin@acme.example", pendingPartner, disabledPartner}
	for email := range people {
		everyone = append(everyone, email)
	}
	for _, email := range everyone {
		if got := readsAny(email); got != listed[email] {
			t.Errorf("%s: listed %v but reads a case: %v", email, listed[email], got)
		}
	}
	for _, want := range []string{admin, tn.Email("member"), tn.Email("analytics"), tn.Email("viewer"), tn.Email("padmin"), partner, viewerPartner, disabledPartner} {
		if !listed[want] {
			t.Errorf("%s is not listed", want)
		}
	}
	if !readsAny(agent) {
		t.Error("the support team reads no case")
	}

	// Revoked: the reseller is still named, its people are not, and they
	// read nothing.
	if code, _ := post(t, env, "/v2/organizations/"+id+":revokeResellerAccess", admin, nil); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	r = env.Do(t, "GET", "/v2/organizations/"+id+"/accessReview", env.Token(t, agent), nil)
	rv = orgs.AccessReview{}
	r.JSON(t, &rv)
	if rv.Reseller == nil || rv.Reseller.AccessGranted || len(rv.Reseller.People) != 0 || readsAny(partner) {
		t.Errorf("after revoking: %s", r.Body)
	}
}

// TestConcurrentAnswersAnswerOnce: two staff members answer the same
// request at the same moment (one approves, one rejects, or both
// approve): exactly one answer wins, the other is FAILED_PRECONDITION,
// and at most one membership and audit entry exist.
func TestConcurrentAnswersAnswerOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	orgID, admin := newCustomer(t, env, "GOLD", "", false)
	for _, second := range []string{"approve", "reject"} {
		email, q := fileRequest(t, env, orgID+".example", orgID, "en")
		bodies := map[string]any{
			"approve": orgs.ApproveAccessRequest{Organization: "organizations/" + orgID, Roles: []store.Role{{Role: store.RoleViewer}}},
			"reject":  orgs.RejectAccessRequest{Reason: "no"},
		}
		type result struct {
			verb   string
			status int
			body   string
		}
		results := make(chan result, 2)
		for i, verb := range []string{"approve", second} {
			who := []string{agent, lead}[i]
			go func() {
				r := env.Do(t, "POST", "/v2/"+q.Name+":"+verb, env.Token(t, who), bodies[verb])
				results <- result{verb, r.Status, string(r.Body)}
			}()
		}
		var won []string
		for range 2 {
			r := <-results
			switch {
			case r.status == http.StatusOK:
				won = append(won, r.verb)
			case r.status != http.StatusBadRequest || !strings.Contains(r.body, "FAILED_PRECONDITION"):
				t.Fatalf("approve and %s at once: %s %d %s", second, r.verb, r.status, r.body)
			}
		}
		if len(won) != 1 {
			t.Fatalf("approve and %s at once: %d answers won (%v)", second, len(won), won)
		}
		ur := env.Do(t, "GET", "/v2/organizations/"+orgID+"/users/"+store.MembershipKey(email), env.Token(t, admin), nil)
		if want := map[string]int{"approve": http.StatusOK, "reject": http.StatusNotFound}[won[0]]; ur.Status != want {
			t.Errorf("approve and %s at once, %s won: membership %d, want %d", second, won[0], ur.Status, want)
		}
		approvals := 0
		for _, e := range auditLog(t, env, orgID, admin, "?pageSize=100").AuditEntries {
			if e.Target == email {
				approvals++
			}
		}
		if want := map[string]int{"approve": 1, "reject": 0}[won[0]]; approvals != want {
			t.Errorf("%d audit entries for %s, want %d", approvals, email, want)
		}
	}
}
