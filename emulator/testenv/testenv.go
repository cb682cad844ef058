// Package testenv gives integration tests (build tag "integration") what the
// `make test` harness started: emulator clients, the gateway URL, real ID
// tokens from the Auth emulator, and unique ids so tests stay isolated and
// can run in parallel.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/shared/authadmin"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Env is the running stack.
type Env struct {
	ProjectID  string
	GatewayURL string
	MailURL    string
	AuthHost   string
	Writer     *seed.Writer
	fs         *firestore.Client
}

var (
	envOnce sync.Once
	env     *Env
	envErr  error
)

// Get returns the stack the harness started, failing the test (never
// skipping it) when the harness is not running: run `make test`.
func Get(t testing.TB) *Env {
	t.Helper()
	envOnce.Do(func() { env, envErr = load() })
	if envErr != nil {
		t.Fatalf("integration test needs the emulator stack (run `make test`): %v", envErr)
	}
	return env
}

func load() (*Env, error) {
	var missing []string
	get := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			missing = append(missing, k)
		}
		return v
	}
	e := &Env{
		ProjectID:  get("GOOGLE_CLOUD_PROJECT"),
		GatewayURL: strings.TrimRight(get("GATEWAY_URL"), "/"),
		MailURL:    strings.TrimRight(get("MAIL_URL"), "/"),
		AuthHost:   get("FIREBASE_AUTH_EMULATOR_HOST"),
	}
	get("FIRESTORE_EMULATOR_HOST")
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing env %s", strings.Join(missing, ", "))
	}
	w, err := seed.NewWriter(context.Background(), e.ProjectID)
	if err != nil {
		return nil, err
	}
	e.Writer = w
	// Tests inspect documents directly (counts, fields) with their own
	// client; what they write goes through the store.
	if e.fs, err = firestore.NewClient(context.Background(), e.ProjectID); err != nil {
		return nil, err
	}
	return e, nil
}

// Accounts is a client of the Auth emulator's account API, as the
// provisioning function builds it.
func (e *Env) Accounts(t testing.TB) *authadmin.Client {
	t.Helper()
	c, err := authadmin.New(context.Background(), authadmin.Config{ProjectID: e.ProjectID, EmulatorHost: e.AuthHost})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FS is a Firestore emulator client for inspecting documents.
func (e *Env) FS() *firestore.Client { return e.fs }

// UniqueID returns prefix plus a random suffix (lower case, id-safe).
func UniqueID(prefix string) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

var (
	tokenMu    sync.Mutex
	tokenCache = map[string]string{}
)

// Token signs email in with the demo password through the Auth emulator's
// REST API and returns a real Firebase ID token (cached per address).
func (e *Env) Token(t testing.TB, email string) string {
	t.Helper()
	tokenMu.Lock()
	defer tokenMu.Unlock()
	if tok, ok := tokenCache[email]; ok {
		return tok
	}
	tok, err := e.signIn(email, seed.DemoPassword)
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	tokenCache[email] = tok
	return tok
}

// FreshToken signs in again, bypassing the cache (after revocation tests).
func (e *Env) FreshToken(t testing.TB, email string) string {
	t.Helper()
	tok, err := e.signIn(email, seed.DemoPassword)
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	tokenMu.Lock()
	tokenCache[email] = tok
	tokenMu.Unlock()
	return tok
}

func (e *Env) signIn(email, password string) (string, error) {
	return seed.SignIn(context.Background(), e.AuthHost, email, password)
}

// Tenant is an isolated customer organisation with its own users.
type Tenant struct {
	OrgID  string
	Domain string
	Org    store.Org
}

// Email returns an address at the tenant's domain.
func (tn *Tenant) Email(local string) string { return local + "@" + tn.Domain }

// NewCustomer writes a customer organisation with a unique id and domain.
func (e *Env) NewCustomer(t testing.TB, packageID string, products ...string) *Tenant {
	t.Helper()
	id := UniqueID("cust")
	o := store.Org{DisplayName: "Customer " + id, Kind: store.KindCustomer, Domains: []string{id + ".example"},
		PackageID: packageID, ProductIDs: products}
	return e.PutOrg(t, id, o)
}

// PutOrg writes an organisation and returns it as a Tenant.
func (e *Env) PutOrg(t testing.TB, id string, o store.Org) *Tenant {
	t.Helper()
	if err := e.Writer.Org(context.Background(), id, o); err != nil {
		t.Fatal(err)
	}
	domain := id + ".example"
	if len(o.Domains) > 0 {
		domain = o.Domains[0]
	}
	return &Tenant{OrgID: id, Domain: domain, Org: o}
}

// AddUser creates (or updates) an Auth user and writes its membership.
func (e *Env) AddUser(t testing.TB, orgID, email, status string, roles ...store.Role) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.Writer.User(ctx, email, email); err != nil {
		t.Fatal(err)
	}
	m := store.Membership{OrgID: orgID, Email: email, Status: status, Roles: roles, Language: "en",
		ActivateTime: time.Now().UTC()}
	if status == store.StatusPending {
		m.ActivateTime = time.Now().UTC().Add(24 * time.Hour)
	}
	if err := e.Writer.Membership(ctx, m); err != nil {
		t.Fatal(err)
	}
}

// Response is a decoded API response.
type Response struct {
	Status int
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorReason returns the ErrorInfo reason of a google.rpc.Status body.
func (r Response) ErrorReason() string {
	var body struct {
		Error struct {
			Details []struct {
				Reason string `json:"reason"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &body)
	for _, d := range body.Error.Details {
		if d.Reason != "" {
			return d.Reason
		}
	}
	return ""
}

// Do sends a request through the gateway with token as bearer ("" = none).
func (e *Env) Do(t testing.TB, method, path, token string, body any) Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.GatewayURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Body: b}
}
