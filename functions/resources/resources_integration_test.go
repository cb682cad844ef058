//go:build integration

package resources_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/resources"
	"github.com/supportcenter/supportcenter/shared/domain/filename"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

const (
	lead  = "lead@support.example"  // support admin
	agent = "agent@support.example" // support agent
)

// call sends a JSON request through the gateway as email ("" = anonymous)
// and decodes a 200 answer into out (when not nil).
func call(t *testing.T, env *testenv.Env, method, path, email string, in, out any) testenv.Response {
	t.Helper()
	tok := ""
	if email != "" {
		tok = env.Token(t, email)
	}
	r := env.Do(t, method, path, tok, in)
	if r.Status == http.StatusOK && out != nil {
		r.JSON(t, out)
	}
	return r
}

// fetch sends a plain request (no bearer) and returns status, headers, body.
func fetch(t *testing.T, method, u string, hdr map[string]string, body io.Reader, size int64) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if size >= 0 && body != nil {
		req.ContentLength = size
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// publish creates a resource as lead, uploads body through the signed
// session (as a browser or CLI would) and waits until it leaves PENDING.
func publish(t *testing.T, env *testenv.Env, req resources.CreateResourceRequest, body []byte) resources.Resource {
	t.Helper()
	var created resources.CreateResourceResponse
	if r := call(t, env, "POST", "/v2/resources", lead, req, &created); r.Status != http.StatusOK {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if created.Resource.State != store.ResourcePending || created.UploadURI == "" || created.UploadMethod != "POST" {
		t.Fatalf("created: %+v", created)
	}
	st, hdr, b := fetch(t, created.UploadMethod, created.UploadURI, created.UploadHeaders, nil, -1)
	loc := hdr.Get("Location")
	if st/100 != 2 || loc == "" {
		t.Fatalf("start resumable upload: %d %s (Location %q)", st, b, loc)
	}
	if st, _, b := fetch(t, "PUT", loc, nil, bytes.NewReader(body), int64(len(body))); st/100 != 2 {
		t.Fatalf("PUT to the session: %d %s", st, b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got resources.Resource
		if r := call(t, env, "GET", "/v2/"+created.Resource.Name, lead, nil, &got); r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", created.Resource.Name, r.Status, r.Body)
		}
		if got.State != store.ResourcePending {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still PENDING after 30s", got.Name)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// installer returns a request for body as a CloudDB download for Gold and
// Platinum, and body's SHA-256.
func installer(body []byte, title string) resources.CreateResourceRequest {
	sum := sha256.Sum256(body)
	return resources.CreateResourceRequest{Title: title, Description: "The CloudDB server installer for Linux.",
		Kind: "DOWNLOAD", Version: "7.2.0", ProductIDs: []string{"clouddb"}, PackageIDs: []string{"GOLD", "PLATINUM"},
		Filename: "clouddb-7.2.0 (linux).tar.gz", SizeBytes: wire.Int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
}

// listNames returns the names of every resource email sees with filter.
func listNames(t *testing.T, env *testenv.Env, email, filter string) []string {
	t.Helper()
	var names []string
	token := ""
	for {
		q := url.Values{"filter": {filter}, "pageSize": {"100"}, "pageToken": {token}}
		var page resources.ListResourcesResponse
		if r := call(t, env, "GET", "/v2/resources?"+q.Encode(), email, nil, &page); r.Status != http.StatusOK {
			t.Fatalf("list as %s: %d %s", email, r.Status, r.Body)
		}
		for _, res := range page.Resources {
			names = append(names, res.Name)
		}
		if page.NextPageToken == "" {
			return names
		}
		token = page.NextPageToken
	}
}

// TestIssueCheck is the issue's check, through the gateway: a support
// admin publishes a CloudDB download for Gold and Platinum; Acme
// (Platinum, CloudDB) lists and downloads it with the same bytes and
// SHA-256; Globex (Silver) does not see it; the download appears in the
// admin's download list; a pending user sends feedback and support sees it.
func TestIssueCheck(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	body := bytes.Repeat([]byte("CloudDB 7.2.0 installer payload\n"), 20000) // 640 KB
	sum := sha256.Sum256(body)
	want := hex.EncodeToString(sum[:])
	res := publish(t, env, installer(body, "CloudDB server "+testenv.UniqueID("v")), body)
	if res.State != store.ResourceReady || res.SHA256 != want || int(res.SizeBytes) != len(body) {
		t.Fatalf("published: %+v", res)
	}

	// Acme lists it (by product and kind) and downloads the same bytes.
	for _, email := range []string{"admin@acme.example", "dev@acme.example"} {
		if names := listNames(t, env, email, "productId=clouddb AND kind=DOWNLOAD"); !slices.Contains(names, res.Name) {
			t.Fatalf("%s does not list %s: %v", email, res.Name, names)
		}
	}
	if names := listNames(t, env, "admin@acme.example", "productId=analytics"); slices.Contains(names, res.Name) {
		t.Fatalf("listed under analytics")
	}
	var seen resources.Resource
	if r := call(t, env, "GET", "/v2/"+res.Name, "admin@acme.example", nil, &seen); r.Status != http.StatusOK || seen.SHA256 != want {
		t.Fatalf("get as Acme: %d %s", r.Status, r.Body)
	}
	var dl resources.DownloadResponse
	if r := call(t, env, "GET", "/v2/"+res.Name+":download", "admin@acme.example", nil, &dl); r.Status != http.StatusOK {
		t.Fatalf("download as Acme: %d %s", r.Status, r.Body)
	}
	exp, err := time.Parse(time.RFC3339Nano, dl.ExpireTime)
	if err != nil || time.Until(exp) > resources.DownloadURLTTL+time.Minute || time.Until(exp) < time.Minute {
		t.Fatalf("expireTime %q: %v", dl.ExpireTime, err)
	}
	u, err := url.Parse(dl.DownloadURI)
	if err != nil {
		t.Fatal(err)
	}
	// Cloud Storage serves the file with the original name (the parameter
	// is part of the V4 signature; fake-gcs-server ignores it).
	if got := u.Query().Get("response-content-disposition"); got != filename.ContentDisposition("clouddb-7.2.0 (linux).tar.gz") {
		t.Fatalf("response-content-disposition = %q", got)
	}
	if u.Query().Get("X-Goog-Signature") == "" || u.Query().Get("X-Goog-Expires") == "" {
		t.Fatalf("not a V4 signed URL: %s", dl.DownloadURI)
	}
	st, _, got := fetch(t, "GET", dl.DownloadURI, nil, nil, -1)
	if st != http.StatusOK {
		t.Fatalf("GET the signed URL: %d %s", st, got)
	}
	if gs := sha256.Sum256(got); !bytes.Equal(got, body) || hex.EncodeToString(gs[:]) != want {
		t.Fatalf("downloaded %d bytes, SHA-256 %x; want %d bytes, %s", len(got), gs, len(body), want)
	}

	// Globex (Silver) neither lists nor gets nor downloads it.
	if names := listNames(t, env, "admin@globex.example", ""); slices.Contains(names, res.Name) {
		t.Fatalf("Globex lists %s", res.Name)
	}
	for _, p := range []string{"/v2/" + res.Name, "/v2/" + res.Name + ":download"} {
		if r := call(t, env, "GET", p, "admin@globex.example", nil, nil); r.Status != http.StatusNotFound {
			t.Fatalf("Globex GET %s: %d %s", p, r.Status, r.Body)
		}
	}

	// The download is in the admin's list: who, which organisation, when.
	var downloads resources.ListDownloadsResponse
	if r := call(t, env, "GET", "/v2/"+res.Name+"/downloads", lead, nil, &downloads); r.Status != http.StatusOK {
		t.Fatalf("downloads: %d %s", r.Status, r.Body)
	}
	if len(downloads.Downloads) != 1 || downloads.Downloads[0].Email != "admin@acme.example" ||
		downloads.Downloads[0].Organization != "organizations/acme" || downloads.Downloads[0].Time == "" {
		t.Fatalf("downloads = %+v", downloads.Downloads)
	}

	// A pending user sends feedback; support sees it.
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	pending := tn.Email("new")
	env.AddUser(t, tn.OrgID, pending, store.StatusPending, store.Role{Role: store.RoleMember})
	msg := "The access page says 'being activated' but never tells me when. " + testenv.UniqueID("fb")
	var fb resources.Feedback
	r := call(t, env, "POST", "/v2/feedback", pending, resources.CreateFeedbackRequest{Kind: "PROBLEM", Message: msg,
		PageURL: env.GatewayURL + "/"}, &fb)
	if r.Status != http.StatusOK || fb.State != store.FeedbackNew || fb.Email != pending || fb.Organization != "organizations/"+tn.OrgID {
		t.Fatalf("feedback: %d %s", r.Status, r.Body)
	}
	if !slices.ContainsFunc(feedbackAll(t, env, agent, "kind=PROBLEM AND state=NEW"), func(f resources.Feedback) bool {
		return f.Name == fb.Name && f.Message == msg
	}) {
		t.Fatalf("support does not see %s", fb.Name)
	}
	if msgs := waitMail(t, env, pending); len(msgs) != 1 || msgs[0].Subject != "Thank you for your feedback" {
		t.Fatalf("acknowledgements: %+v", msgs)
	}
}

// feedbackAll lists every feedback email sees with filter.
func feedbackAll(t *testing.T, env *testenv.Env, email, filter string) []resources.Feedback {
	t.Helper()
	var out []resources.Feedback
	token := ""
	for {
		q := url.Values{"filter": {filter}, "pageSize": {"100"}, "pageToken": {token}}
		var page resources.ListFeedbackResponse
		if r := call(t, env, "GET", "/v2/feedback?"+q.Encode(), email, nil, &page); r.Status != http.StatusOK {
			t.Fatalf("list feedback: %d %s", r.Status, r.Body)
		}
		out = append(out, page.Feedback...)
		if page.NextPageToken == "" {
			return out
		}
		token = page.NextPageToken
	}
}

// waitMail returns the captured mail to address once there is some.
func waitMail(t *testing.T, env *testenv.Env, address string) []mailcapture.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
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
		if len(body.Messages) > 0 || time.Now().After(deadline) {
			return body.Messages
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestVersionsAndWithdraw: a new version replaces the old one for
// download while the old one stays listed; a withdrawn resource is gone
// for customers; a rejected upload never becomes visible.
func TestVersionsAndWithdraw(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	title := "Admin guide " + testenv.UniqueID("g")
	v1body := []byte("guide v1")
	v1 := publish(t, env, installer(v1body, title), v1body)
	v2body := []byte("guide v2, longer")
	req := installer(v2body, title)
	req.Version, req.Supersedes = "7.3.0", v1.Name
	v2 := publish(t, env, req, v2body)
	if v2.State != store.ResourceReady || v2.Supersedes != v1.Name {
		t.Fatalf("v2: %+v", v2)
	}
	names := listNames(t, env, "admin@acme.example", "productId=clouddb")
	if !slices.Contains(names, v1.Name) || !slices.Contains(names, v2.Name) {
		t.Fatalf("both versions should be listed: %v", names)
	}
	var old resources.Resource
	if r := call(t, env, "GET", "/v2/"+v1.Name, "admin@acme.example", nil, &old); r.Status != http.StatusOK || old.SupersededBy != v2.Name {
		t.Fatalf("v1 as Acme: %d %s", r.Status, r.Body)
	}
	r := call(t, env, "GET", "/v2/"+v1.Name+":download", "admin@acme.example", nil, nil)
	if r.Status != http.StatusBadRequest || r.ErrorReason() != "SUPERSEDED" || !strings.Contains(string(r.Body), v2.Name) {
		t.Fatalf("download of a superseded version: %d %s", r.Status, r.Body)
	}

	// Withdraw v2: customers no longer see it; support still does.
	if r := call(t, env, "POST", "/v2/"+v2.Name+":withdraw", agent, nil, nil); r.Status != http.StatusForbidden {
		t.Fatalf("agent withdraw: %d %s", r.Status, r.Body)
	}
	var w resources.Resource
	if r := call(t, env, "POST", "/v2/"+v2.Name+":withdraw", lead, map[string]any{}, &w); r.Status != http.StatusOK || w.State != store.ResourceWithdrawn {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	if slices.Contains(listNames(t, env, "admin@acme.example", ""), v2.Name) {
		t.Fatal("withdrawn resource still listed for Acme")
	}
	for _, p := range []string{"/v2/" + v2.Name, "/v2/" + v2.Name + ":download"} {
		if r := call(t, env, "GET", p, "admin@acme.example", nil, nil); r.Status != http.StatusNotFound {
			t.Fatalf("Acme GET %s after withdraw: %d", p, r.Status)
		}
	}
	if !slices.Contains(listNames(t, env, agent, "productId=clouddb"), v2.Name) {
		t.Fatal("support should still list the withdrawn resource")
	}

	// Declared one SHA-256, sent other bytes: REJECTED, never visible.
	bad := installer([]byte("what was declared"), title)
	rej := publish(t, env, bad, []byte("what was sent!!!!"))
	if rej.State != store.ResourceRejected || rej.RejectReason != store.ResourceRejectSHA256 {
		t.Fatalf("mismatched upload: %+v", rej)
	}
	if r := call(t, env, "GET", "/v2/"+rej.Name, "admin@acme.example", nil, nil); r.Status != http.StatusNotFound {
		t.Fatalf("rejected resource as Acme: %d", r.Status)
	}
}

// TestResellerSeesCustomersResources: a granted reseller sees what its
// customer is entitled to (through that customer) and its download is
// recorded for the customer, via the reseller; without the grant, nothing.
func TestResellerSeesCustomersResources(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	rs := env.PutOrg(t, testenv.UniqueID("resl"), store.Org{DisplayName: "Reseller", Kind: store.KindReseller})
	partner := rs.Email("partner")
	env.AddUser(t, rs.OrgID, partner, store.StatusActive, store.Role{Role: store.RoleMember})
	gold := env.PutOrg(t, testenv.UniqueID("gold"), store.Org{DisplayName: "Gold customer", Kind: store.KindCustomer,
		PackageID: "GOLD", ProductIDs: []string{"clouddb"}, ResellerID: rs.OrgID, ResellerSince: time.Now().Add(-time.Hour),
		ResellerAccess: store.ResellerAccess{Granted: true}})
	body := []byte("reseller-visible " + testenv.UniqueID("x"))
	res := publish(t, env, installer(body, "Tool"), body)
	if !slices.Contains(listNames(t, env, partner, "kind=DOWNLOAD"), res.Name) {
		t.Fatal("granted reseller does not list the resource")
	}
	var dl resources.DownloadResponse
	if r := call(t, env, "GET", "/v2/"+res.Name+":download", partner, nil, &dl); r.Status != http.StatusOK {
		t.Fatalf("reseller download: %d %s", r.Status, r.Body)
	}
	var downloads resources.ListDownloadsResponse
	call(t, env, "GET", "/v2/"+res.Name+"/downloads", lead, nil, &downloads)
	if len(downloads.Downloads) != 1 || downloads.Downloads[0].Organization != "organizations/"+gold.OrgID ||
		downloads.Downloads[0].Via != "organizations/"+rs.OrgID {
		t.Fatalf("downloads = %+v", downloads.Downloads)
	}

	// Revoked: nothing.
	o := gold.Org
	o.ResellerAccess = store.ResellerAccess{Granted: false}
	env.PutOrg(t, gold.OrgID, o)
	if slices.Contains(listNames(t, env, partner, ""), res.Name) {
		t.Fatal("reseller without a grant lists the resource")
	}
	if r := call(t, env, "GET", "/v2/"+res.Name, partner, nil, nil); r.Status != http.StatusNotFound {
		t.Fatalf("reseller without a grant GET: %d", r.Status)
	}
}

// TestCreateValidation: every problem of a bad request is reported at once.
func TestCreateValidation(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	bad := resources.CreateResourceRequest{Title: "", Kind: "VIDEO", Version: "1\u202e", ProductIDs: []string{"nope"},
		PackageIDs: nil, Filename: "", SizeBytes: 0, SHA256: "xyz", Supersedes: "resources/zzz"}
	r := call(t, env, "POST", "/v2/resources", lead, bad, nil)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	for _, f := range []string{"title", "kind", "version", "productIds", "packageIds", "filename", "sizeBytes", "sha256", "supersedes"} {
		if !strings.Contains(string(r.Body), `"field":"`+f+`"`) {
			t.Errorf("no violation for %s in %s", f, r.Body)
		}
	}
	if r := call(t, env, "GET", "/v2/resources?filter="+url.QueryEscape("kind=VIDEO"), lead, nil, nil); r.Status != http.StatusBadRequest {
		t.Errorf("bad filter: %d", r.Status)
	}
}

// TestFeedback: limits, Korean acknowledgement, triage by staff only,
// and only e-mail and organisation kept about the sender.
func TestFeedback(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	sender := tn.Email("ko")
	env.AddUser(t, tn.OrgID, sender, store.StatusActive, store.Role{Role: store.RoleMember})
	for _, bad := range []resources.CreateFeedbackRequest{
		{Kind: "RANT", Message: "x"},
		{Kind: "IDEA", Message: "  "},
		{Kind: "IDEA", Message: strings.Repeat("가", 4001)},
		{Kind: "IDEA", Message: "ok", PageURL: "javascript:alert(1)"},
	} {
		if r := call(t, env, "POST", "/v2/feedback", sender, bad, nil); r.Status != http.StatusBadRequest {
			t.Errorf("%+v: %d %s", bad, r.Status, r.Body)
		}
	}
	tok := env.Token(t, sender)
	req, _ := http.NewRequest("POST", env.GatewayURL+"/v2/feedback",
		strings.NewReader(`{"kind":"PRAISE","message":"좋아요","pageUrl":"https://support.example/"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "ko-KR,ko;q=0.9,en;q=0.5")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var fb resources.Feedback
	err = json.NewDecoder(resp.Body).Decode(&fb)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("feedback: %d %v", resp.StatusCode, err)
	}
	if msgs := waitMail(t, env, sender); len(msgs) != 1 || msgs[0].Subject != "의견을 보내 주셔서 감사합니다" {
		t.Fatalf("acknowledgement: %+v", msgs)
	}
	// What is stored about the sender: e-mail and organisation only.
	snap, err := env.FS().Collection(store.FeedbackCollection).Doc(strings.TrimPrefix(fb.Name, "feedback/")).Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range snap.Data() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"createTime", "email", "kind", "message", "orgId", "pageUrl", "state"}; !slices.Equal(keys, want) {
		t.Fatalf("stored fields %v, want %v", keys, want)
	}

	// Triage: customers may not, staff may, twice is the same.
	if r := call(t, env, "POST", "/v2/"+fb.Name+":triage", sender, nil, nil); r.Status != http.StatusForbidden {
		t.Fatalf("customer triage: %d", r.Status)
	}
	var tr resources.Feedback
	if r := call(t, env, "POST", "/v2/"+fb.Name+":triage", agent, nil, &tr); r.Status != http.StatusOK || tr.State != store.FeedbackTriaged || tr.TriagedBy != agent {
		t.Fatalf("triage: %d %s", r.Status, r.Body)
	}
	if !slices.ContainsFunc(feedbackAll(t, env, agent, "state=TRIAGED AND kind=PRAISE"), func(f resources.Feedback) bool { return f.Name == fb.Name }) {
		t.Fatal("triaged feedback not under state=TRIAGED")
	}
	if slices.ContainsFunc(feedbackAll(t, env, agent, "state=NEW AND kind=PRAISE"), func(f resources.Feedback) bool { return f.Name == fb.Name }) {
		t.Fatal("triaged feedback still under state=NEW")
	}
}
