package runtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/httpapi"
)

// stubVerifier knows one token.
type stubVerifier struct{}

func (stubVerifier) Verify(_ context.Context, token string) (*auth.Identity, error) {
	if token == "good" {
		return &auth.Identity{UID: "u", Email: "u@x.example", EmailVerified: true}, nil
	}
	return nil, apierror.Unauthenticated("bad token")
}

// TestWrapAuthenticatesBeforeRouting: anonymous callers and bad tokens get
// 401 on every path, even one whose ids the routes would refuse as
// malformed (404) or that no route serves; a good token reaches the
// routes, which see the identity Wrap verified.
func TestWrapAuthenticatesBeforeRouting(t *testing.T) {
	t.Parallel()
	d := Assemble(Config{ProjectID: "demo-p"}, slog.New(slog.DiscardHandler), nil, stubVerifier{}, clock.Real{})
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations/{org}/cases/{case}", d.Handle(func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("case") == "not-an-id" {
			return apierror.NotFound("case not found")
		}
		id, err := d.Identity(r)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(id.UID))
		return err
	}))
	mux.Handle("/", httpapi.NotFoundHandler())
	h := d.Wrap(mux, 0)

	tests := map[string]struct {
		method, path, auth string
		want               int
	}{
		"anonymous, malformed id":      {"GET", "/v2/organizations/acme/cases/not-an-id", "", 401},
		"anonymous, unknown path":      {"GET", "/v2/nothing/here", "", 401},
		"anonymous, wrong method":      {"DELETE", "/v2/organizations/acme/cases/1", "", 401},
		"bad token, malformed id":      {"GET", "/v2/organizations/acme/cases/not-an-id", "Bearer bad", 401},
		"not a bearer, malformed id":   {"POST", "/v2/organizations/acme/cases/not-an-id", "Basic Zm9vOmJhcg==", 401},
		"good token, malformed id":     {"GET", "/v2/organizations/acme/cases/not-an-id", "Bearer good", 404},
		"good token, unknown path":     {"GET", "/v2/nothing/here", "Bearer good", 404},
		"good token, identity carried": {"GET", "/v2/organizations/acme/cases/1", "Bearer good", 200},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, tc.path, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("%s %s: %d %s, want %d", tc.method, tc.path, w.Code, w.Body, tc.want)
			}
			if tc.want == 401 {
				var body struct {
					Error struct{ Status string } `json:"error"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Status != "UNAUTHENTICATED" {
					t.Fatalf("body %s", w.Body)
				}
			}
			if tc.want == 200 && w.Body.String() != "u" {
				t.Fatalf("identity %q", w.Body)
			}
		})
	}
}

// deferringVerifier knows two tokens whose account check is still pending
// when the identity is handed out: one that passes, one of a disabled
// account.
type deferringVerifier struct{ stubVerifier }

func (deferringVerifier) VerifyDeferred(_ context.Context, token string) (*auth.Identity, func() error, error) {
	id := &auth.Identity{UID: "u", Email: "u@x.example", EmailVerified: true}
	switch token {
	case "pending-ok":
		return id, func() error { return nil }, nil
	case "pending-disabled":
		return id, func() error { return apierror.Unauthenticated("this account is disabled") }, nil
	}
	return nil, nil, apierror.Unauthenticated("bad token")
}

// TestWrapHoldsAnswersUntilTheAccountCheck: with the account check still
// pending when the request is routed, a refused account gets 401 on every
// path and nothing of the handler's answer (status, headers, body), even
// when the handler answers without asking for the identity; a passing
// one gets the handler's answer with its headers.
func TestWrapHoldsAnswersUntilTheAccountCheck(t *testing.T) {
	t.Parallel()
	d := Assemble(Config{ProjectID: "demo-p"}, slog.New(slog.DiscardHandler), nil, deferringVerifier{}, clock.Real{})
	mux := http.NewServeMux()
	mux.Handle("/v2/organizations/{org}/cases/{case}", d.Handle(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("X-Handler", "yes")
		if r.PathValue("case") == "not-an-id" {
			return apierror.NotFound("case not found")
		}
		id, err := d.Identity(r)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(id.UID))
		return err
	}))
	mux.Handle("/v2/silent", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Handler", "yes")
	}))
	mux.Handle("/", httpapi.NotFoundHandler())
	h := d.Wrap(mux, 0)

	tests := map[string]struct {
		path, token string
		want        int
		body        string
	}{
		"refused, malformed id":   {"/v2/organizations/acme/cases/not-an-id", "pending-disabled", 401, ""},
		"refused, unknown path":   {"/v2/nothing/here", "pending-disabled", 401, ""},
		"refused, identity asked": {"/v2/organizations/acme/cases/1", "pending-disabled", 401, ""},
		"refused, silent handler": {"/v2/silent", "pending-disabled", 401, ""},
		"passed, malformed id":    {"/v2/organizations/acme/cases/not-an-id", "pending-ok", 404, ""},
		"passed, identity":        {"/v2/organizations/acme/cases/1", "pending-ok", 200, "u"},
		"passed, silent handler":  {"/v2/silent", "pending-ok", 200, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", tc.path, nil)
			r.Header.Set("Authorization", "Bearer "+tc.token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("GET %s: %d %s, want %d", tc.path, w.Code, w.Body, tc.want)
			}
			handlerHeader := w.Header().Get("X-Handler") == "yes"
			if tc.want == 401 {
				var body struct {
					Error struct{ Status, Message string } `json:"error"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Status != "UNAUTHENTICATED" || body.Error.Message != "this account is disabled" {
					t.Fatalf("body %s", w.Body)
				}
				if handlerHeader {
					t.Fatal("a refused caller got the handler's header")
				}
				return
			}
			if !handlerHeader && tc.path != "/v2/nothing/here" {
				t.Fatalf("headers %v lack the handler's", w.Header())
			}
			if tc.body != "" && w.Body.String() != tc.body {
				t.Fatalf("body %q, want %q", w.Body, tc.body)
			}
		})
	}
}
