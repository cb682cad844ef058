//go:build integration

package orgs_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/orgs"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Organisation administration through the gateway, with real tokens, the
// real provisioning (Pub/Sub push to provision) and the mail capture.

const (
	leadEmail  = "lead@support.example"
	agentEmail = "agent@support.example"
)

// mailTo returns the captured messages to address.
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

// waitMail polls the mail capture until a message to address arrived (or
// 30 s passed).
func waitMail(t *testing.T, env *testenv.Env, address string) []mailcapture.Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs := mailTo(t, env, address)
		if len(msgs) > 0 || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func causeOf(t *testing.T, r testenv.Response) string {
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
		if c := d.Metadata["cause"]; c != "" {
			return c
		}
	}
	return ""
}

// TestCreateCustomerWithFirstAdmin: a support admin creates a customer with
// a domain, a package and a product and names its first admin, who is
// provisioned like any added user (PENDING, welcome e-mail); the domain is
// then taken; a support agent and a customer admin are refused.
func TestCreateCustomerWithFirstAdmin(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	id := testenv.UniqueID("onboard")
	domain := id + ".example"
	first := "first.admin@" + domain
	body := orgs.CreateOrganizationRequest{DisplayName: "Onboarded Ltd", Kind: "CUSTOMER", Domains: []string{strings.ToUpper(domain)},
		PackageID: "GOLD", ProductIDs: []string{"clouddb"}, ResellerID: "resellco", AdminEmails: []string{first}}
	path := "/v2/organizations?organizationId=" + id

	for _, refused := range []string{agentEmail, "admin@acme.example"} {
		if r := env.Do(t, "POST", path, env.Token(t, refused), body); r.Status != http.StatusForbidden {
			t.Fatalf("create as %s: %d %s", refused, r.Status, r.Body)
		}
	}
	lead := env.Token(t, leadEmail)
	r := env.Do(t, "POST", path, lead, body)
	if r.Status != http.StatusOK {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var o orgs.Organization
	r.JSON(t, &o)
	if o.Name != "organizations/"+id || o.Kind != "CUSTOMER" || len(o.Domains) != 1 || o.Domains[0] != domain ||
		o.SupportPackage == nil || o.SupportPackage.ID != "GOLD" || len(o.Products) != 1 || o.Products[0].ID != "clouddb" ||
		o.Reseller == nil || o.Reseller.Organization != "organizations/resellco" || o.Reseller.AccessGranted {
		t.Fatalf("created %+v", o)
	}

	// The first admin: PENDING org admin, welcome e-mail through provisioning.
	m, err := store.New(env.FS()).MembershipDocByID(t.Context(), store.MembershipID(id, first))
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != store.StatusPending || len(m.Roles) != 1 || m.Roles[0].Role != store.RoleOrgAdmin || m.AddedBy != leadEmail || m.Provision == nil {
		t.Fatalf("first admin %+v", m)
	}
	msgs := waitMail(t, env, first)
	if len(msgs) != 1 {
		t.Fatalf("%d welcome e-mails to %s, want 1", len(msgs), first)
	}
	t.Logf("welcome e-mail %q arrived", msgs[0].Subject)

	// Everything is in the organisation's audit log.
	r = env.Do(t, "GET", "/v2/organizations/"+id+"/auditLog", lead, nil)
	var log orgs.ListAuditLogResponse
	r.JSON(t, &log)
	actions := map[string]bool{}
	for _, e := range log.AuditEntries {
		actions[e.Action] = true
	}
	if !actions[store.AuditOrgCreate] || !actions[store.AuditUserAdd] {
		t.Fatalf("audit log %s", r.Body)
	}

	// Domains are unique across organisations.
	other := testenv.UniqueID("onboard")
	body.AdminEmails = []string{"x@" + domain}
	r = env.Do(t, "POST", "/v2/organizations?organizationId="+other, lead, body)
	if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), domain) {
		t.Fatalf("second org with %s: %d %s", domain, r.Status, r.Body)
	}
	// So is the id.
	body.Domains = []string{other + ".example"}
	body.AdminEmails = []string{"x@" + other + ".example"}
	if r = env.Do(t, "POST", path, lead, body); r.Status != http.StatusConflict {
		t.Fatalf("same id again: %d %s", r.Status, r.Body)
	}
	// An unknown package, a bad kind, an admin outside the domains: 400.
	for _, bad := range []orgs.CreateOrganizationRequest{
		{DisplayName: "X", Kind: "CUSTOMER", Domains: []string{other + ".example"}, PackageID: "NOPE", AdminEmails: []string{"a@" + other + ".example"}},
		{DisplayName: "X", Kind: "VENDOR", Domains: []string{other + ".example"}, AdminEmails: []string{"a@" + other + ".example"}},
		{DisplayName: "X", Kind: "RESELLER", Domains: []string{other + ".example"}, AdminEmails: []string{"a@elsewhere.example"}},
	} {
		if r = env.Do(t, "POST", "/v2/organizations?organizationId="+other, lead, bad); r.Status != http.StatusBadRequest {
			t.Fatalf("create %+v: %d %s", bad, r.Status, r.Body)
		}
	}
}

// TestPatchSuspendResume: a package change applies to the organisation's
// next request (its members see it at once), a domain moves between
// organisations only once released, and a suspended organisation's people
// get ACCESS_REQUIRED with cause SUSPENDED until it is resumed — nothing
// deleted.
func TestPatchSuspendResume(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	lead := env.Token(t, leadEmail)
	id, admin := newCustomer(t, env, "SILVER", "", false)
	adminTok := env.Token(t, admin)
	org := "/v2/organizations/" + id
	get := func(tok string) (int, orgs.Organization) {
		r := env.Do(t, "GET", org, tok, nil)
		var o orgs.Organization
		if r.Status == http.StatusOK {
			r.JSON(t, &o)
		}
		return r.Status, o
	}
	if _, o := get(adminTok); o.SupportPackage == nil || o.SupportPackage.ID != "SILVER" {
		t.Fatalf("before: %+v", o)
	}
	if r := env.Do(t, "PATCH", org+"?updateMask=packageId", adminTok, map[string]any{"packageId": "PLATINUM"}); r.Status != http.StatusForbidden {
		t.Fatalf("customer admin patch: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "PATCH", org+"?updateMask=packageId", env.Token(t, agentEmail), map[string]any{"packageId": "PLATINUM"}); r.Status != http.StatusForbidden {
		t.Fatalf("agent patch: %d %s", r.Status, r.Body)
	}
	r := env.Do(t, "PATCH", org+"?updateMask=packageId,displayName", lead, map[string]any{"packageId": "PLATINUM", "displayName": "Upgraded"})
	if r.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	if _, o := get(adminTok); o.SupportPackage == nil || o.SupportPackage.ID != "PLATINUM" || !o.SupportPackage.Escalation || o.DisplayName != "Upgraded" {
		t.Fatalf("the admin's next request: %+v", o.SupportPackage)
	}
	if r := env.Do(t, "PATCH", org+"?updateMask=kind", lead, map[string]any{}); r.Status != http.StatusBadRequest {
		t.Fatalf("patch kind: %d %s", r.Status, r.Body)
	}

	// Domains: claim one, another organisation cannot take it until released.
	d := testenv.UniqueID("moved") + ".example"
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	if r := env.Do(t, "PATCH", org+"?updateMask=domains", lead, map[string]any{"domains": []string{id + ".example", d}}); r.Status != http.StatusOK {
		t.Fatalf("add domain: %d %s", r.Status, r.Body)
	}
	other := "/v2/organizations/" + tn.OrgID + "?updateMask=domains"
	if r := env.Do(t, "PATCH", other, lead, map[string]any{"domains": []string{tn.Domain, d}}); r.Status != http.StatusConflict {
		t.Fatalf("taken domain: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "PATCH", org+"?updateMask=domains", lead, map[string]any{"domains": []string{id + ".example"}}); r.Status != http.StatusOK {
		t.Fatalf("release domain: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "PATCH", other, lead, map[string]any{"domains": []string{tn.Domain, d}}); r.Status != http.StatusOK {
		t.Fatalf("released domain: %d %s", r.Status, r.Body)
	}

	// Suspend: the admin is locked out with the cause; support still sees it.
	if r := env.Do(t, "POST", org+":suspend", adminTok, nil); r.Status != http.StatusForbidden {
		t.Fatalf("customer suspends itself: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", org+":suspend", lead, map[string]any{"reason": "unpaid invoices"}); r.Status != http.StatusOK {
		t.Fatalf("suspend: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, "GET", org+"/cases", adminTok, nil)
	if r.Status != http.StatusForbidden || r.ErrorReason() != "ACCESS_REQUIRED" || causeOf(t, r) != "SUSPENDED" {
		t.Fatalf("suspended admin: %d %s", r.Status, r.Body)
	}
	if r = env.Do(t, "GET", "/v2/me", adminTok, nil); !strings.Contains(string(r.Body), "SUSPENDED") {
		t.Fatalf("/v2/me of a suspended admin: %d %s", r.Status, r.Body)
	}
	if status, o := get(lead); status != http.StatusOK || !o.Suspended || o.SuspendTime == "" {
		t.Fatalf("support reads the suspended organisation: %d %+v", status, o)
	}
	if r := env.Do(t, "POST", "/v2/organizations/support:suspend", lead, nil); r.Status != http.StatusBadRequest && r.Status != http.StatusPreconditionFailed {
		t.Fatalf("suspend the vendor: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", org+":resume", lead, nil); r.Status != http.StatusOK {
		t.Fatalf("resume: %d %s", r.Status, r.Body)
	}
	if status, o := get(adminTok); status != http.StatusOK || o.Suspended {
		t.Fatalf("resumed admin: %d %+v", status, o)
	}
	r = env.Do(t, "GET", org+"/auditLog", lead, nil)
	for _, want := range []string{store.AuditOrgUpdate, store.AuditOrgSuspend, store.AuditOrgResume, "unpaid invoices", "previousPackageId"} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("audit log lacks %s: %s", want, r.Body)
		}
	}
}

// TestSuspendedResellerActsForNoCustomer: a suspended reseller's people
// cannot act for its customers (ACCESS_REQUIRED, SUSPENDED).
func TestSuspendedResellerActsForNoCustomer(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	rs, partner := newReseller(t, env)
	cust, _ := newCustomer(t, env, "GOLD", rs, true)
	tok := env.Token(t, partner)
	if r := env.Do(t, "GET", "/v2/organizations/"+cust, tok, nil); r.Status != http.StatusOK {
		t.Fatalf("before: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "POST", "/v2/organizations/"+rs+":suspend", env.Token(t, leadEmail), nil); r.Status != http.StatusOK {
		t.Fatalf("suspend reseller: %d %s", r.Status, r.Body)
	}
	r := env.Do(t, "GET", "/v2/organizations/"+cust, tok, nil)
	if r.Status != http.StatusForbidden || causeOf(t, r) != "SUSPENDED" {
		t.Fatalf("suspended reseller's partner: %d %s", r.Status, r.Body)
	}
}
