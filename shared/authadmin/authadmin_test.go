package authadmin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeToolkit answers one method of project "p" with status and body, and
// records the last request.
type fakeToolkit struct {
	status, body     string
	gotPath, gotAuth string
	gotBody          map[string]any
}

func (f *fakeToolkit) start(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.gotPath, f.gotAuth = r.URL.Path, r.Header.Get("Authorization")
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &f.gotBody)
		code := http.StatusOK
		if f.status != "" {
			code = map[string]int{"400": 400, "500": 500}[f.status]
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, f.body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func client(t *testing.T, base string) *Client {
	t.Helper()
	c, err := New(context.Background(), Config{ProjectID: "p", HTTPClient: http.DefaultClient, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status, body string
		want         *Account
		wantErr      error
	}{
		"active": {"", `{"users":[{"localId":"u","email":"a@x.example","emailVerified":true,"validSince":"1700000000",` +
			`"providerUserInfo":[{"providerId":"password"}]}]}`,
			&Account{UID: "u", Email: "a@x.example", EmailVerified: true, Providers: []string{"password"}, ValidSince: time.Unix(1700000000, 0).UTC()}, nil},
		"numeric validSince": {"", `{"users":[{"localId":"u","validSince":17}]}`, &Account{UID: "u", ValidSince: time.Unix(17, 0).UTC()}, nil},
		"disabled":           {"", `{"users":[{"localId":"u","disabled":true}]}`, &Account{UID: "u", Disabled: true}, nil},
		"no users":           {"", `{"kind":"identitytoolkit#GetAccountInfoResponse"}`, nil, ErrNotFound},
		"USER_NOT_FOUND":     {"400", `{"error":{"code":400,"message":"USER_NOT_FOUND"}}`, nil, ErrNotFound},
		"bad validSince":     {"", `{"users":[{"localId":"u","validSince":"soon"}]}`, nil, errors.New("any")},
		"not JSON":           {"", `<html>`, nil, errors.New("any")},
		"backend error":      {"500", `{"error":{"code":500,"message":"INTERNAL"}}`, nil, errors.New("any")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := &fakeToolkit{status: tc.status, body: tc.body}
			got, err := client(t, f.start(t)).AccountByUID(context.Background(), "u")
			if f.gotPath != "/v1/projects/p/accounts:lookup" || !slices.Equal(toStrings(f.gotBody["localId"]), []string{"u"}) {
				t.Fatalf("request %s %v", f.gotPath, f.gotBody)
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr == nil:
				if got.UID != tc.want.UID || got.Email != tc.want.Email || got.EmailVerified != tc.want.EmailVerified ||
					got.Disabled != tc.want.Disabled || !got.ValidSince.Equal(tc.want.ValidSince) || !slices.Equal(got.Providers, tc.want.Providers) {
					t.Fatalf("account %+v, want %+v", got, tc.want)
				}
			case errors.Is(tc.wantErr, ErrNotFound):
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("error %v, want ErrNotFound", err)
				}
			default:
				if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalidArgument) {
					t.Fatalf("error %v, want a retryable one", err)
				}
			}
		})
	}
}

func toStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestCreateAccount(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status, body string
		wantErr      error // nil: created as "new-uid"
	}{
		"created":       {"", `{"localId":"new-uid"}`, nil},
		"email exists":  {"400", `{"error":{"code":400,"message":"EMAIL_EXISTS"}}`, ErrEmailExists},
		"invalid email": {"400", `{"error":{"code":400,"message":"INVALID_EMAIL : bad"}}`, ErrInvalidArgument},
		"no uid":        {"", `{}`, errors.New("any")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := &fakeToolkit{status: tc.status, body: tc.body}
			a, err := client(t, f.start(t)).CreateAccount(context.Background(), "a@x.example", "Pat")
			if f.gotPath != "/v1/projects/p/accounts" || f.gotBody["email"] != "a@x.example" || f.gotBody["emailVerified"] != false ||
				f.gotBody["displayName"] != "Pat" || f.gotBody["password"] != nil {
				t.Fatalf("request %s %v", f.gotPath, f.gotBody)
			}
			switch {
			case tc.wantErr == nil:
				if err != nil || a.UID != "new-uid" || a.Email != "a@x.example" || a.EmailVerified || len(a.Providers) != 0 {
					t.Fatalf("CreateAccount = %+v, %v", a, err)
				}
			case errors.Is(tc.wantErr, ErrEmailExists), errors.Is(tc.wantErr, ErrInvalidArgument):
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "bad") {
					t.Fatalf("error carries the backend's detail: %v", err)
				}
			default:
				if err == nil {
					t.Fatal("no error")
				}
			}
		})
	}
}

func TestLinks(t *testing.T) {
	t.Parallel()
	for kind, call := range map[string]func(*Client) (string, error){
		"PASSWORD_RESET": func(c *Client) (string, error) {
			return c.PasswordResetLink(context.Background(), "a@x.example", "https://portal.example")
		},
		"VERIFY_EMAIL": func(c *Client) (string, error) {
			return c.EmailVerificationLink(context.Background(), "a@x.example", "https://portal.example")
		},
	} {
		f := &fakeToolkit{body: `{"email":"a@x.example","oobLink":"https://auth.example/action?oobCode=abc"}`}
		link, err := call(client(t, f.start(t)))
		if err != nil || link != "https://auth.example/action?oobCode=abc" {
			t.Fatalf("%s: %q, %v", kind, link, err)
		}
		if f.gotPath != "/v1/projects/p/accounts:sendOobCode" || f.gotBody["requestType"] != kind ||
			f.gotBody["returnOobLink"] != true || f.gotBody["continueUrl"] != "https://portal.example" {
			t.Fatalf("%s: request %s %v", kind, f.gotPath, f.gotBody)
		}
	}
}

// TestEmulator: with an emulator host, calls go to the emulator's path
// with its admin credential.
func TestEmulator(t *testing.T) {
	t.Parallel()
	f := &fakeToolkit{body: `{"users":[{"localId":"u"}]}`}
	base := f.start(t)
	c, err := New(context.Background(), Config{ProjectID: "demo-p", EmulatorHost: strings.TrimPrefix(base, "http://")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AccountByEmail(context.Background(), "a@x.example"); err != nil {
		t.Fatal(err)
	}
	if f.gotPath != "/identitytoolkit.googleapis.com/v1/projects/demo-p/accounts:lookup" || f.gotAuth != "Bearer owner" ||
		!slices.Equal(toStrings(f.gotBody["email"]), []string{"a@x.example"}) {
		t.Fatalf("request %s %q %v", f.gotPath, f.gotAuth, f.gotBody)
	}
	if _, err := New(context.Background(), Config{}); err == nil {
		t.Fatal("no project id accepted")
	}
}

func TestReset(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		providers  []string
		wantUnlink []string
		status     string
		wantErr    error
	}{
		"password only":      {[]string{"password"}, nil, "", nil},
		"password and other": {[]string{"password", "google.com", "facebook.com"}, []string{"google.com", "facebook.com"}, "", nil},
		"none":               {nil, nil, "", nil},
		"gone":               {[]string{"password"}, nil, "400", ErrNotFound},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := &fakeToolkit{status: tc.status, body: `{"localId":"u"}`}
			if tc.status != "" {
				f.body = `{"error":{"code":400,"message":"USER_NOT_FOUND"}}`
			}
			err := client(t, f.start(t)).Reset(context.Background(), "u", tc.providers, time.Unix(1700000000, 0))
			if f.gotPath != "/v1/projects/p/accounts:update" || f.gotBody["localId"] != "u" || f.gotBody["emailVerified"] != false ||
				f.gotBody["validSince"] != "1700000000" ||
				!slices.Equal(toStrings(f.gotBody["deleteAttribute"]), []string{"PASSWORD", "DISPLAY_NAME", "PHOTO_URL"}) ||
				!slices.Equal(toStrings(f.gotBody["deleteProvider"]), tc.wantUnlink) {
				t.Fatalf("request %s %v", f.gotPath, f.gotBody)
			}
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("Reset: %v, want %v", err, tc.wantErr)
			}
		})
	}
}
