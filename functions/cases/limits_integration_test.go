//go:build integration

package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/cases"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// limitedOrg is a customer whose package allows each person 2 cases and 2
// comments an hour and the organisation 3, with two members ("p1", "p2"
// tokens), served by a cases handler over a fake clock.
func limitedOrg(t *testing.T) (srvURL, orgID string, clk *clock.Fake, count *testenv.OpCounter) {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	pkg, err := store.New(env.FS()).Package(ctx, "PLATINUM")
	if err != nil {
		t.Fatal(err)
	}
	limited := *pkg
	limited.RateLimits = map[string]store.RateLimit{
		"caseCreate":    {PerPerson: 2, PerOrg: 3, WindowSeconds: 3600},
		"commentCreate": {PerPerson: 2, PerOrg: 3},
	}
	pkgID := testenv.UniqueID("limited")
	if err := env.Writer.Package(ctx, pkgID, limited); err != nil {
		t.Fatal(err)
	}
	tn := env.NewCustomer(t, pkgID, "clouddb")
	v := testenv.StubVerifier{}
	for _, p := range []string{"p1", "p2"} {
		email := tn.Email(p)
		if err := env.Writer.Membership(ctx, store.Membership{OrgID: tn.OrgID, Email: email, DisplayName: p,
			Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleMember}}}); err != nil {
			t.Fatal(err)
		}
		v[p] = &auth.Identity{UID: "uid-" + p + "-" + tn.OrgID, Email: email, EmailVerified: true}
	}
	fs, cnt := env.CountingFirestore(t)
	clk = clock.NewFake(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testenv.CountingStore(fs), v, clk)
	srv := httptest.NewServer(cases.New(deps, &events.Recorder{}).Routes())
	t.Cleanup(srv.Close)
	return srv.URL, tn.OrgID, clk, cnt
}

type statusBody struct {
	Error struct {
		Status  string
		Details []map[string]any
	}
}

// TestCreateRateLimits: per person, then per organisation, case and
// comment creation is refused with 429 RESOURCE_EXHAUSTED, a RetryInfo up
// to the window's end and a Retry-After header; the next window allows
// again. The counts live in Firestore: a second handler (another
// instance) sees them.
func TestCreateRateLimits(t *testing.T) {
	t.Parallel()
	url, orgID, clk, _ := limitedOrg(t)
	clk.Advance(45 * time.Minute) // 15 minutes left in the window
	path := "/v2/organizations/" + orgID + "/cases"
	create := func(token string) (int, []byte, http.Header) {
		t.Helper()
		return rawDoHeader(t, url, "POST", path, token, newCaseBody("limited "+token))
	}
	var first string
	for i, step := range []struct {
		token string
		want  int
	}{{"p1", 200}, {"p1", 200}, {"p1", 429}, {"p2", 200}, {"p2", 429}} {
		code, b, h := create(step.token)
		if code != step.want {
			t.Fatalf("step %d (%s): %d %s, want %d", i, step.token, code, b, step.want)
		}
		if i == 0 {
			var c struct{ Name string }
			_ = json.Unmarshal(b, &c)
			first = c.Name
		}
		if code != 429 {
			continue
		}
		var body statusBody
		if err := json.Unmarshal(b, &body); err != nil || body.Error.Status != "RESOURCE_EXHAUSTED" {
			t.Fatalf("429 body %s", b)
		}
		retry := ""
		for _, d := range body.Error.Details {
			if d["@type"] == "type.googleapis.com/google.rpc.RetryInfo" {
				retry, _ = d["retryDelay"].(string)
			}
		}
		if retry != "900s" || h.Get("Retry-After") != "900" {
			t.Fatalf("retryDelay %q Retry-After %q, want 900s: %s", retry, h.Get("Retry-After"), b)
		}
	}
	// Comments have their own counter.
	for i, want := range []int{200, 200, 429} {
		if code, b, _ := rawDoHeader(t, url, "POST", "/v2/"+first+"/comments", "p1", map[string]any{"body": "more"}); code != want {
			t.Fatalf("comment %d: %d %s, want %d", i, code, b, want)
		}
	}
	// The next window allows again.
	clk.Advance(15 * time.Minute)
	if code, b, _ := create("p1"); code != 200 {
		t.Fatalf("next window: %d %s", code, b)
	}
}

func rawDoHeader(t *testing.T, base, method, path, token string, body any) (int, []byte, http.Header) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, resp.Header
}

// TestCreateWithRequestIDIsIdempotent: a retried create with the same
// requestId by the same person returns the first case — one after the
// other and at once, publishing nothing more — while another id files a
// new case (the key is also bound to the person and the organisation:
// caseRequestKey). It also measures what the key costs.
func TestCreateWithRequestIDIsIdempotent(t *testing.T) {
	t.Parallel()
	d := newDirect(t, time.Now().UTC())
	const key = "6f1c1e0a-9a4b-4c1e-8f7e-3b2a1c0d9e8f"
	path := "/v2/organizations/" + d.OrgID + "/cases?requestId=" + key
	name := func(code int, b []byte) string {
		t.Helper()
		if code != 200 {
			t.Fatalf("create: %d %s", code, b)
		}
		var c struct{ Name string }
		_ = json.Unmarshal(b, &c)
		return c.Name
	}
	d.create(t, "warm the product catalogue") // cached per instance
	d.Count.Take()
	first := name(d.do(t, "POST", path, d.Admin, newCaseBody("idempotent")))
	r, w := d.Count.Take()
	t.Logf("cases.create with requestId: %d reads %d writes", r, w)
	// Resolution 4 reads (with the catalogue version); limiter 1/1; the
	// case, its event in the outbox and the event's delete after
	// publishing 3 writes; the request record 1/1.
	if r > 4+1+1 || w > 1+3+1 {
		t.Errorf("cases.create with requestId: %d reads %d writes; budget 6/5", r, w)
	}
	if again := name(d.do(t, "POST", path, d.Admin, newCaseBody("idempotent"))); again != first {
		t.Fatalf("retry filed %s, want the first %s", again, first)
	}
	var wg sync.WaitGroup
	names := make([]string, 4)
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, b := d.do(t, "POST", path, d.Admin, newCaseBody("idempotent"))
			if code == 200 {
				var c struct{ Name string }
				_ = json.Unmarshal(b, &c)
				names[i] = c.Name
			}
		}()
	}
	wg.Wait()
	for i, n := range names {
		if n != first {
			t.Fatalf("concurrent retry %d: %q, want %s", i, n, first)
		}
	}
	other := name(d.do(t, "POST", "/v2/organizations/"+d.OrgID+"/cases?requestId=7f1c1e0a-9a4b-4c1e-8f7e-3b2a1c0d9e8f", d.Admin, newCaseBody("other")))
	if other == first {
		t.Fatal("another request id returned the first case")
	}
	if code, b := d.do(t, "POST", "/v2/organizations/"+d.OrgID+"/cases?requestId=not-a-uuid", d.Admin, newCaseBody("x")); code != 400 {
		t.Fatalf("malformed requestId: %d %s", code, b)
	}
	created := 0
	for _, e := range d.Events.Events() {
		if e.Type == events.CaseCreated {
			created++
		}
	}
	if created != 3 {
		t.Fatalf("%d case-created events, want 3 (retries publish nothing)", created)
	}
}
