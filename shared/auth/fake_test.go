package auth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/clock"
)

// This file holds the fakes the unit tests share: RSA keys published as
// Google publishes them, an accounts:lookup server, and a token minter.

const testProject = "proj-test"

var (
	testKeysOnce sync.Once
	testKeys     [2]*rsa.PrivateKey
)

// signingKeys returns two RSA keys, generated once per test binary.
func signingKeys(t testing.TB) [2]*rsa.PrivateKey {
	t.Helper()
	testKeysOnce.Do(func() {
		for i := range testKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys[i] = k
		}
	})
	return testKeys
}

// certPEM wraps key's public half in a self-signed certificate, the form
// Google publishes.
func certPEM(t testing.TB, key *rsa.PrivateKey) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "securetoken.system.gserviceaccount.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// keyServer publishes certificates by kid with a Cache-Control max-age.
type keyServer struct {
	mu      sync.Mutex
	certs   map[string]string
	maxAge  string
	down    bool
	fetches atomic.Int64
}

func (s *keyServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	s.fetches.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age="+s.maxAge+", must-revalidate, no-transform")
	_ = json.NewEncoder(w).Encode(s.certs)
}

func (s *keyServer) set(f func(s *keyServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// accountServer answers accounts:lookup from a map of uid → state.
type accountServer struct {
	mu      sync.Mutex
	users   map[string]map[string]any // absent: deleted / unknown
	down    bool
	lookups atomic.Int64
	paths   []string
}

func (s *accountServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.lookups.Add(1)
	var req struct {
		LocalID []string `json:"localId"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths = append(s.paths, r.URL.Path+" "+r.Header.Get("Authorization"))
	if s.down {
		http.Error(w, "down", http.StatusInternalServerError)
		return
	}
	out := map[string]any{"kind": "identitytoolkit#GetAccountInfoResponse"}
	var users []map[string]any
	for _, uid := range req.LocalID {
		if u, ok := s.users[uid]; ok {
			users = append(users, u)
		}
	}
	if users != nil {
		out["users"] = users
	}
	_ = json.NewEncoder(w).Encode(out)
}

func (s *accountServer) put(uid string, disabled bool, validSince int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users == nil {
		s.users = map[string]map[string]any{}
	}
	s.users[uid] = map[string]any{"localId": uid, "email": uid + "@acme.example", "emailVerified": true,
		"disabled": disabled, "validSince": strconv.FormatInt(validSince, 10)}
}

func (s *accountServer) remove(uid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, uid)
}

// newEmulatorServer serves accounts:lookup for project the way the Auth
// emulator does, and returns its URL.
func newEmulatorServer(t testing.TB, project string, accounts *accountServer) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("POST /identitytoolkit.googleapis.com/v1/projects/"+project+"/accounts:lookup", accounts)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// fixture is a production-mode verifier wired to fake Google servers.
type fixture struct {
	v        *FirebaseVerifier
	keys     *keyServer
	accounts *accountServer
	clock    *clock.Fake
	now      time.Time
}

// newFixture publishes both signing keys as "k0" and "k1" (max-age 3600)
// and knows the account "alice", valid since an hour ago.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	keys := signingKeys(t)
	f := &fixture{
		keys:     &keyServer{certs: map[string]string{"k0": certPEM(t, keys[0]), "k1": certPEM(t, keys[1])}, maxAge: "3600"},
		accounts: &accountServer{},
		now:      time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),
	}
	f.clock = clock.NewFake(f.now)
	f.accounts.put("alice", false, f.now.Add(-time.Hour).Unix())
	mux := http.NewServeMux()
	mux.Handle("GET /keys", f.keys)
	mux.Handle("POST /v1/projects/"+testProject+"/accounts:lookup", f.accounts)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	v, err := NewVerifier(context.Background(), Config{ProjectID: testProject, HTTPClient: srv.Client(),
		KeysURL: srv.URL + "/keys", IdentityToolkitURL: srv.URL, Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.v = v
	return f
}

// claims returns valid claims for "alice", issued and signed in 10 minutes
// before the fixture's start time.
func (f *fixture) claims() map[string]any {
	at := f.now.Add(-10 * time.Minute).Unix()
	return map[string]any{
		"iss": "https://securetoken.google.com/" + testProject, "aud": testProject,
		"sub": "alice", "user_id": "alice", "iat": at, "auth_time": at, "exp": at + 3600,
		"email": "Alice@Acme.Example", "email_verified": true, "name": "Support Agent (support team)",
		"firebase": map[string]any{"sign_in_provider": "password"},
	}
}

// mint signs claims with key under kid (RS256), or leaves them unsigned
// when key is nil (alg "none", as the Auth emulator does).
func mint(t testing.TB, header map[string]any, claims map[string]any, key *rsa.PrivateKey) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signed := enc(header) + "." + enc(claims)
	if key == nil {
		return signed + "."
	}
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// rs256 is the header of a token signed with the key published as kid.
func rs256(kid string) map[string]any {
	return map[string]any{"alg": "RS256", "kid": kid, "typ": "JWT"}
}

// with returns a copy of m with the changes applied (a nil value deletes).
func with(m map[string]any, changes map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// swapSignature puts sigFrom's signature on tok's header and claims.
func swapSignature(tok, sigFrom string) string {
	return tok[:strings.LastIndex(tok, ".")] + sigFrom[strings.LastIndex(sigFrom, "."):]
}
