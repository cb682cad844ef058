//go:build integration

package knownissues_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/knownissues"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

// direct is the knownissues Handler served in-process over the emulator's
// Firestore, with stubbed identities (memberships are real), an event
// recorder and a read/write counter.
type direct struct {
	env     *testenv.Env
	url     string
	ids     testenv.StubVerifier
	count   *testenv.OpCounter
	store   *store.Store
	handler *knownissues.Handler
	signer  *unsubscribe.Signer
	idsMu   sync.Mutex // people are added concurrently; requests only read ids once they are
}

func newDirect(t testing.TB) *direct {
	t.Helper()
	env := testenv.Get(t)
	fs, cnt := env.CountingFirestore(t)
	ids := testenv.StubVerifier{}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testenv.CountingStore(fs), ids, clock.Real{})
	signer, err := unsubscribe.New(unsubscribe.LocalKeys)
	if err != nil {
		t.Fatal(err)
	}
	h := knownissues.New(deps, &events.Recorder{}, signer)
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return &direct{env: env, url: srv.URL, ids: ids, count: cnt, store: deps.Store, handler: h, signer: signer}
}

// person gives email an active membership in orgID with roles and a
// stubbed token (returned).
func (d *direct) person(t testing.TB, orgID, email string, roles ...store.Role) string {
	t.Helper()
	if err := d.env.Writer.Membership(context.Background(), store.Membership{OrgID: orgID, Email: email,
		Status: store.StatusActive, Roles: roles, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	tok := "tok-" + email
	d.idsMu.Lock()
	d.ids[tok] = &auth.Identity{UID: "uid-" + email, Email: email, EmailVerified: true}
	d.idsMu.Unlock()
	return tok
}

func (d *direct) do(t testing.TB, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, d.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if strings.HasPrefix(path, "/v2/unsubscribe") {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// issue writes an active known issue about products.
func (d *direct) issue(t testing.TB, products ...string) string {
	t.Helper()
	now := time.Now().UTC()
	ki := &store.KnownIssue{Title: "Direct " + testenv.UniqueID("t"), Summary: "s", ProductIDs: products,
		State: store.KnownIssueActive, CreateTime: now, UpdateTime: now}
	if err := d.store.CreateKnownIssue(context.Background(), ki); err != nil {
		t.Fatal(err)
	}
	return ki.ID
}

// burstResult is what a "me too" burst measured.
type burstResult struct {
	ok        int
	latencies []time.Duration
	retries   int64
	cases     map[string]map[string]bool // org → linked case names returned
}

func (b burstResult) percentile(p float64) time.Duration {
	l := slices.Clone(b.latencies)
	slices.Sort(l)
	if len(l) == 0 {
		return 0
	}
	return l[min(len(l)-1, int(float64(len(l))*p))]
}

// burst has n people in orgs organisations click "me too" on issue id at
// the same moment.
func (d *direct) burst(t testing.TB, id string, n, orgs int) burstResult {
	t.Helper()
	var tenants []*testenv.Tenant
	for range orgs {
		tenants = append(tenants, d.env.NewCustomer(t, "GOLD", "clouddb"))
	}
	tokens := make([]string, n)
	parents := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	var mu sync.Mutex
	for i := range n {
		tn := tenants[i%orgs]
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			tok := d.person(t, tn.OrgID, tn.Email(fmt.Sprintf("p%04d", i)), store.Role{Role: store.RoleMember})
			mu.Lock()
			tokens[i], parents[i] = tok, tn.OrgID
			mu.Unlock()
		})
	}
	wg.Wait()
	before := d.handler.ContentionRetries()
	res := burstResult{latencies: make([]time.Duration, n), cases: map[string]map[string]bool{}}
	start := make(chan struct{})
	codes := make([]int, n)
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() {
			<-start
			t0 := time.Now()
			codes[i], bodies[i] = d.do(t, "POST", "/v2/knownIssues/"+id+":meToo", tokens[i], `{"parent":"organizations/`+parents[i]+`"}`)
			res.latencies[i] = time.Since(t0)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if codes[i] != http.StatusOK {
			t.Errorf("me too %d: %d %s", i, codes[i], bodies[i])
			continue
		}
		res.ok++
		name := between(bodies[i], `"name":"`, `"`)
		if res.cases[parents[i]] == nil {
			res.cases[parents[i]] = map[string]bool{}
		}
		res.cases[parents[i]][name] = true
	}
	res.retries = d.handler.ContentionRetries() - before
	return res
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	out, _, _ := strings.Cut(rest, to)
	return out
}
