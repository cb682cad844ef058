//go:build integration

package knownissues_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/knownissues"
	"github.com/supportcenter/supportcenter/shared/store"
)

const (
	leadEmail  = "lead@support.example"
	agentEmail = "agent@support.example"
)

// publish creates a known issue about products as the support admin.
func publish(t *testing.T, env *testenv.Env, title string, products ...string) knownissues.KnownIssue {
	t.Helper()
	r := env.Do(t, "POST", "/v2/knownIssues", env.Token(t, leadEmail), map[string]any{
		"title": title, "summary": "Connections drop every few minutes.", "details": "Seen since 09:00 UTC.", "productIds": products})
	if r.Status != http.StatusOK {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	var ki knownissues.KnownIssue
	r.JSON(t, &ki)
	return ki
}

// mailTo lists the captured messages with a personalization to address.
func mailTo(t *testing.T, env *testenv.Env, address string) []mailcapture.Message {
	t.Helper()
	resp, err := http.Get(env.MailURL + "/api/messages?to=" + url.QueryEscape(address))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Messages []mailcapture.Message `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// personal is what one recipient receives: the personalization and the
// parts with its substitutions applied (as SendGrid does).
type personal struct {
	P          mailcapture.Personalization
	Headers    map[string]string
	Text, HTML string
}

func received(m mailcapture.Message, address string) (personal, bool) {
	for _, p := range m.Personalizations {
		for _, to := range p.To {
			if strings.EqualFold(to.Email, address) {
				text, html := m.Part("text/plain"), m.Part("text/html")
				for k, v := range p.Substitutions {
					text, html = strings.ReplaceAll(text, k, v), strings.ReplaceAll(html, k, v)
				}
				return personal{P: p, Headers: m.Headers, Text: text, HTML: html}, true
			}
		}
	}
	return personal{}, false
}

// waitUpdateMail waits until address has n messages about title.
func waitUpdateMail(t *testing.T, env *testenv.Env, address, title string, n int) []personal {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out []personal
		for _, m := range mailTo(t, env, address) {
			if p, ok := received(m, address); ok && strings.Contains(p.P.EffectiveSubject, title) {
				out = append(out, p)
			}
		}
		if len(out) >= n || time.Now().After(deadline) {
			if len(out) != n {
				t.Fatalf("%s: %d e-mails about %q, want %d", address, len(out), title, n)
			}
			return out
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func postForm(t *testing.T, rawURL, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(rawURL, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, rawURL string) (int, string) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestKnownIssueFlow is the issue's check, through the gateway as a new
// user would: publish, scope, "me too" with a linked case, an update
// e-mailed with working List-Unsubscribe headers, one-click unsubscribe
// stopping the next e-mail while the case stays.
func TestKnownIssueFlow(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	with := env.NewCustomer(t, "GOLD", "clouddb")
	without := env.NewCustomer(t, "GOLD", "analytics")
	dev, dev2, admin, outsider := with.Email("dev"), with.Email("dev2"), with.Email("admin"), without.Email("admin")
	env.AddUser(t, with.OrgID, dev, store.StatusActive, store.Role{Role: store.RoleMember})
	env.AddUser(t, with.OrgID, dev2, store.StatusActive, store.Role{Role: store.RoleMember})
	env.AddUser(t, with.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	env.AddUser(t, without.OrgID, outsider, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})

	title := "CloudDB connection drops " + testenv.UniqueID("t") + " <b>&</b>"
	ki := publish(t, env, title, "clouddb")
	id := strings.TrimPrefix(ki.Name, "knownIssues/")
	if ki.State != "ACTIVE" || id == "" {
		t.Fatalf("published %+v", ki)
	}

	// The customer without the product does not see it; the one with it does.
	if r := env.Do(t, "GET", "/v2/knownIssues/"+id, env.Token(t, outsider), nil); r.Status != http.StatusNotFound {
		t.Fatalf("outsider get: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, "GET", "/v2/knownIssues?filter=state=ACTIVE&pageSize=100", env.Token(t, outsider), nil); strings.Contains(string(r.Body), id) {
		t.Fatalf("outsider's banner lists the issue: %s", r.Body)
	}
	r := env.Do(t, "GET", "/v2/knownIssues?filter="+url.QueryEscape("state=ACTIVE AND productId=clouddb")+"&pageSize=100", env.Token(t, dev), nil)
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), id) {
		t.Fatalf("dev's duplicate check does not list the issue: %d %s", r.Status, r.Body)
	}

	// "Me too" opens the organisation's linked case; a colleague's gets the same case.
	meToo := func(email string) knownissues.MeTooResponse {
		t.Helper()
		r := env.Do(t, "POST", "/v2/knownIssues/"+id+":meToo", env.Token(t, email), map[string]string{"parent": "organizations/" + with.OrgID})
		if r.Status != http.StatusOK {
			t.Fatalf("meToo as %s: %d %s", email, r.Status, r.Body)
		}
		var out knownissues.MeTooResponse
		r.JSON(t, &out)
		if !out.Subscribed || out.Case == nil || out.Case.KnownIssueName != ki.Name {
			t.Fatalf("meToo as %s: %s", email, r.Body)
		}
		return out
	}
	first := meToo(dev)
	if again := meToo(dev); again.Case.Name != first.Case.Name {
		t.Fatalf("repeating me too filed another case: %s vs %s", again.Case.Name, first.Case.Name)
	}
	if colleague := meToo(dev2); colleague.Case.Name != first.Case.Name {
		t.Fatalf("a colleague's me too filed another case: %s vs %s", colleague.Case.Name, first.Case.Name)
	}
	r = env.Do(t, "GET", "/v2/knownIssues/"+id, env.Token(t, dev), nil)
	var got knownissues.KnownIssue
	r.JSON(t, &got)
	if got.SubscriberCount != "2" || got.Subscribed == nil || !*got.Subscribed {
		t.Fatalf("issue after two subscriptions: %s", r.Body)
	}

	// An update reaches both subscribers, with their own unsubscribe links.
	if r := env.Do(t, "POST", "/v2/knownIssues/"+id+"/updates", env.Token(t, agentEmail), map[string]string{"body": "Fix rolling out <script>alert(1)</script>"}); r.Status != http.StatusOK {
		t.Fatalf("post update: %d %s", r.Status, r.Body)
	}
	m := waitUpdateMail(t, env, dev, title, 1)[0]
	other := waitUpdateMail(t, env, dev2, title, 1)[0]
	lu := m.P.Headers["List-Unsubscribe"]
	if m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.HasPrefix(lu, "<"+env.GatewayURL+"/v2/unsubscribe?token=") ||
		lu == other.P.Headers["List-Unsubscribe"] {
		t.Fatalf("unsubscribe headers: message %v, personal %v, colleague's %v", m.Headers, m.P.Headers, other.P.Headers)
	}
	unsubURL := strings.Trim(lu, "<>")
	if !strings.Contains(m.Text, "Fix rolling out <script>") || !strings.Contains(m.Text, unsubURL) || !strings.Contains(m.Text, "/knownIssues/"+id) {
		t.Fatalf("text part:\n%s", m.Text)
	}
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") || strings.Contains(m.HTML, "<b>&</b>") {
		t.Fatalf("HTML part not escaped:\n%s", m.HTML)
	}
	if strings.Contains(m.Text, "%ki") || strings.Contains(m.HTML, "%ki") {
		t.Fatalf("unsubstituted tag left:\n%s\n%s", m.Text, m.HTML)
	}

	// GET shows a page and changes nothing (mail scanners prefetch links).
	if code, body := get(t, unsubURL); code != http.StatusOK || !strings.Contains(body, `name="List-Unsubscribe" value="One-Click"`) {
		t.Fatalf("GET unsubscribe page: %d %s", code, body)
	}
	// A forged token is a 400 page.
	if code, body := postForm(t, unsubURL+"x", "List-Unsubscribe=One-Click"); code != http.StatusBadRequest || !strings.Contains(body, "<html") {
		t.Fatalf("forged token: %d %s", code, body)
	}
	// The one-click POST, without signing in; twice is fine.
	for range 2 {
		if code, body := postForm(t, unsubURL, "List-Unsubscribe=One-Click"); code != http.StatusOK || !strings.Contains(body, "unsubscribed") {
			t.Fatalf("one-click POST: %d %s", code, body)
		}
	}

	// The next update reaches the colleague only; the case stays.
	if r := env.Do(t, "POST", "/v2/knownIssues/"+id+":resolve", env.Token(t, leadEmail), map[string]string{"body": "Fixed in 4.2.1."}); r.Status != http.StatusOK {
		t.Fatalf("resolve: %d %s", r.Status, r.Body)
	}
	waitUpdateMail(t, env, dev2, title, 2)
	waitUpdateMail(t, env, dev, title, 1)
	if r := env.Do(t, "GET", "/v2/"+first.Case.Name, env.Token(t, dev), nil); r.Status != http.StatusOK {
		t.Fatalf("the linked case after unsubscribing: %d %s", r.Status, r.Body)
	}
	// Resolved: the banner drops it; updates stay readable.
	if r := env.Do(t, "GET", "/v2/knownIssues?filter=state=ACTIVE&pageSize=100", env.Token(t, dev), nil); strings.Contains(string(r.Body), id) {
		t.Fatalf("resolved issue still in the banner: %s", r.Body)
	}
	r = env.Do(t, "GET", "/v2/knownIssues/"+id+"/updates", env.Token(t, dev), nil)
	var ups knownissues.ListUpdatesResponse
	r.JSON(t, &ups)
	if len(ups.Updates) != 2 || !ups.Updates[0].Resolution {
		t.Fatalf("updates: %s", r.Body)
	}
	fmt.Fprint(io.Discard, admin)
}
