package mailcapture

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// send posts body to /v3/mail/send with the default key and JSON type.
func send(t *testing.T, h http.Handler, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, sendRequestFor(body))
}

func sendRequestFor(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/v3/mail/send", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	r.Header.Set("Content-Type", "application/json")
	return r
}

func do(t *testing.T, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestAuthorization(t *testing.T) {
	const wantBody = `{"errors":[{"message":"The provided authorization grant is invalid, expired, or revoked","field":null,"help":null}]}` + "\n"
	tests := []struct {
		name       string
		apiKey     string // Config.APIKey
		header     string // Authorization; "-" means not sent
		wantStatus int
	}{
		{"default key", "", "Bearer " + DefaultAPIKey, http.StatusAccepted},
		{"custom key", "secret", "Bearer secret", http.StatusAccepted},
		{"lower-case scheme", "secret", "bearer secret", http.StatusAccepted},
		{"missing header", "secret", "-", http.StatusUnauthorized},
		{"empty header", "secret", "", http.StatusUnauthorized},
		{"wrong key", "secret", "Bearer wrong", http.StatusUnauthorized},
		{"key prefix", "secret", "Bearer secre", http.StatusUnauthorized},
		{"default key when custom configured", "secret", "Bearer " + DefaultAPIKey, http.StatusUnauthorized},
		{"basic scheme", "secret", "Basic secret", http.StatusUnauthorized},
		{"no scheme", "secret", "secret", http.StatusUnauthorized},
		{"empty token", "secret", "Bearer ", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := NewServer(Config{APIKey: tt.apiKey})
			r := sendRequestFor(validBody)
			r.Header.Del("Authorization")
			if tt.header != "-" {
				r.Header.Set("Authorization", tt.header)
			}
			rec := do(t, srv, r)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusUnauthorized && rec.Body.String() != wantBody {
				t.Errorf("body = %s, want %s", rec.Body, wantBody)
			}
		})
	}
}

func TestSendRequestChecks(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		wantStatus  int
		wantMessage string
	}{
		{"json with charset", http.MethodPost, "application/json; charset=utf-8", validBody, http.StatusAccepted, ""},
		{"form content type", http.MethodPost, "application/x-www-form-urlencoded", validBody, http.StatusUnsupportedMediaType, "Content-Type should be application/json."},
		{"no content type", http.MethodPost, "", validBody, http.StatusUnsupportedMediaType, "Content-Type should be application/json."},
		{"body over 20 MB", http.MethodPost, "application/json", `{"x":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, http.StatusRequestEntityTooLarge, "too large"},
		{"GET not allowed", http.MethodGet, "application/json", "", http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sendRequestFor(tt.body)
			r.Method = tt.method
			r.Header.Set("Content-Type", tt.contentType)
			rec := do(t, NewServer(Config{}), r)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %.200s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantMessage != "" {
				errs := decodeErrors(t, rec.Body.Bytes())
				if len(errs) != 1 || !strings.Contains(errs[0].Message, tt.wantMessage) || errs[0].Field != nil {
					t.Errorf("errors = %+v, want one with message containing %q and null field", errs, tt.wantMessage)
				}
			}
		})
	}
}

func TestBodyJustUnderLimitAccepted(t *testing.T) {
	pad := MaxBodyBytes - len(validBody) - len(`,"pad":""`)
	body := strings.TrimSuffix(validBody, "}") + `,"pad":"` + strings.Repeat("a", pad) + `"}`
	if len(body) != MaxBodyBytes {
		t.Fatalf("test body is %d bytes, want %d", len(body), MaxBodyBytes)
	}
	if rec := send(t, NewServer(Config{}), body); rec.Code != http.StatusAccepted {
		t.Fatalf("status = %d, want 202", rec.Code)
	}
}

func TestSandboxModeNotStored(t *testing.T) {
	srv := NewServer(Config{})
	body := strings.Replace(validBody, `"subject"`, `"mail_settings": {"sandbox_mode": {"enable": true}}, "subject"`, 1)
	rec := send(t, srv, body)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("stored %d messages in sandbox mode, want 0", n)
	}
}

func TestFailureInjectionAPI(t *testing.T) {
	tests := []struct {
		name        string
		spec        string
		wantStatus  int // response to POST /api/fail
		wantFails   int // sends that fail afterwards
		failStatus  int
		wantMessage string
	}{
		{"rate limited twice", `{"status":429,"count":2}`, http.StatusOK, 2, http.StatusTooManyRequests, "too many requests"},
		{"count defaults to one", `{"status":503}`, http.StatusOK, 1, http.StatusServiceUnavailable, "Service Unavailable"},
		{"server error", `{"status":500,"count":3}`, http.StatusOK, 3, http.StatusInternalServerError, "Internal Server Error"},
		{"unauthorized", `{"status":401,"count":1}`, http.StatusOK, 1, http.StatusUnauthorized, "authorization grant"},
		{"status out of range", `{"status":200,"count":1}`, http.StatusBadRequest, 0, 0, ""},
		{"negative count", `{"status":429,"count":-1}`, http.StatusBadRequest, 0, 0, ""},
		{"missing status", `{}`, http.StatusBadRequest, 0, 0, ""},
		{"unknown field", `{"status":429,"cnt":2}`, http.StatusBadRequest, 0, 0, ""},
		{"not JSON", `429`, http.StatusBadRequest, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := NewServer(Config{})
			rec := do(t, srv, httptest.NewRequest(http.MethodPost, "/api/fail", strings.NewReader(tt.spec)))
			if rec.Code != tt.wantStatus {
				t.Fatalf("POST /api/fail status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			for i := range tt.wantFails {
				rec := send(t, srv, validBody)
				if rec.Code != tt.failStatus {
					t.Fatalf("send %d: status = %d, want %d", i, rec.Code, tt.failStatus)
				}
				errs := decodeErrors(t, rec.Body.Bytes())
				if len(errs) != 1 || !strings.Contains(errs[0].Message, tt.wantMessage) {
					t.Errorf("send %d: errors = %+v, want message containing %q", i, errs, tt.wantMessage)
				}
				if tt.failStatus == http.StatusTooManyRequests && rec.Header().Get("X-RateLimit-Remaining") != "0" {
					t.Errorf("429 without X-RateLimit-Remaining: 0")
				}
			}
			if rec := send(t, srv, validBody); rec.Code != http.StatusAccepted {
				t.Fatalf("send after injected failures: status = %d, want 202", rec.Code)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("stored %d messages, want only the successful one", n)
			}
		})
	}
}

func TestFailureInjectionGetAndClear(t *testing.T) {
	srv := NewServer(Config{})
	do(t, srv, httptest.NewRequest(http.MethodPost, "/api/fail", strings.NewReader(`{"status":429,"count":5}`)))
	send(t, srv, validBody)

	rec := do(t, srv, httptest.NewRequest(http.MethodGet, "/api/fail", nil))
	if got := strings.TrimSpace(rec.Body.String()); got != `{"status":429,"count":4}` {
		t.Errorf("GET /api/fail = %s, want 4 remaining", got)
	}
	rec = do(t, srv, httptest.NewRequest(http.MethodDelete, "/api/fail", nil))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE /api/fail status = %d, want 204", rec.Code)
	}
	if rec := send(t, srv, validBody); rec.Code != http.StatusAccepted {
		t.Fatalf("send after DELETE /api/fail: status = %d, want 202", rec.Code)
	}
}

func TestFailureInjectionDoesNotSkipAuth(t *testing.T) {
	srv := NewServer(Config{FailNext: Failure{Status: 500, Count: 1}})
	r := sendRequestFor(validBody)
	r.Header.Set("Authorization", "Bearer wrong")
	if rec := do(t, srv, r); rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", rec.Code)
	}
	// The unauthenticated request did not use up the injected failure.
	if rec := send(t, srv, validBody); rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if rec := send(t, srv, validBody); rec.Code != http.StatusAccepted {
		t.Fatalf("status = %d, want 202", rec.Code)
	}
}

func TestFailureInjectionProgrammatic(t *testing.T) {
	srv := NewServer(Config{FailNext: Failure{Status: 429, Count: 2}})
	for i, want := range []int{429, 429, 202} {
		if rec := send(t, srv, validBody); rec.Code != want {
			t.Fatalf("send %d: status = %d, want %d", i, rec.Code, want)
		}
	}
	if err := srv.FailNext(Failure{Status: 502}); err != nil {
		t.Fatal(err)
	}
	if rec := send(t, srv, validBody); rec.Code != http.StatusBadGateway {
		t.Fatalf("status = %d, want 502", rec.Code)
	}
	if err := srv.FailNext(Failure{Status: 302, Count: 1}); err == nil {
		t.Error("FailNext accepted status 302")
	}
	if err := srv.FailNext(Failure{Status: 500, Count: 9}); err != nil {
		t.Fatal(err)
	}
	srv.Reset()
	if rec := send(t, srv, validBody); rec.Code != http.StatusAccepted {
		t.Fatalf("after Reset: status = %d, want 202", rec.Code)
	}
}

func TestNewServerPanicsOnInvalidFailure(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewServer did not panic")
		}
	}()
	NewServer(Config{FailNext: Failure{Status: 99}})
}

// listMessages calls GET /api/messages with the given raw query.
func listMessages(t *testing.T, h http.Handler, query string) []Message {
	t.Helper()
	rec := do(t, h, httptest.NewRequest(http.MethodGet, "/api/messages"+query, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/messages status = %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var out struct {
		Messages []Message `json:"messages"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Messages == nil {
		t.Errorf("messages is null, want an array: %s", rec.Body)
	}
	return out.Messages
}

func TestStoredMessage(t *testing.T) {
	srv := NewServer(Config{})
	body := `{
		"personalizations": [
			{"to": [{"email": "alice@example.com", "name": "Alice"}], "cc": [{"email": "carol@example.com"}],
			 "subject": "For Alice", "headers": {"X-P": "1"}, "substitutions": {"-n-": "Alice"}, "custom_args": {"pa": "1"},
			 "dynamic_template_data": {"big": 12345678901234567890}},
			{"to": [{"email": "bob@example.com"}], "bcc": [{"email": "audit@example.com"}]}
		],
		"from": {"email": "noreply@example.com", "name": "Support"},
		"reply_to": {"email": "help@example.com"},
		"subject": "Default subject",
		"content": [{"type": "text/plain", "value": "Plain body"}, {"type": "text/html", "value": "<p>HTML body</p>"}],
		"attachments": [{"content": "aGVsbG8gd29ybGQ=", "filename": "hello.txt", "type": "text/plain"},
		                {"content": "aGVs\r\nbG8=", "filename": "wrapped.bin"}],
		"categories": ["welcome"],
		"custom_args": {"ticket": "42"},
		"headers": {"X-Top": "yes"}
	}`
	before := time.Now().UTC().Add(-time.Second)
	rec := send(t, srv, body)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status = %d; body %s", rec.Code, rec.Body)
	}
	msgs := listMessages(t, srv, "")
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.ID != rec.Header().Get("X-Message-Id") {
		t.Errorf("id = %q, want X-Message-Id %q", m.ID, rec.Header().Get("X-Message-Id"))
	}
	if m.ReceivedAt.Before(before) || m.ReceivedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("receivedAt = %v, want about now", m.ReceivedAt)
	}
	if m.From != (Address{Email: "noreply@example.com", Name: "Support"}) {
		t.Errorf("from = %+v", m.From)
	}
	if m.ReplyTo == nil || m.ReplyTo.Email != "help@example.com" {
		t.Errorf("replyTo = %+v", m.ReplyTo)
	}
	if m.Subject != "For Alice" {
		t.Errorf("subject = %q, want the first personalization's subject", m.Subject)
	}
	if got := m.Personalizations[1].EffectiveSubject; got != "Default subject" {
		t.Errorf("personalizations[1].effectiveSubject = %q, want the top-level subject", got)
	}
	p := m.Personalizations[0]
	if p.Subject != "For Alice" || p.Headers["X-P"] != "1" || p.Substitutions["-n-"] != "Alice" || p.CustomArgs["pa"] != "1" {
		t.Errorf("personalizations[0] = %+v", p)
	}
	if string(p.DynamicTemplateData) != `{"big":12345678901234567890}` {
		t.Errorf("dynamic_template_data = %s, want it as received", p.DynamicTemplateData)
	}
	if m.Part("text/plain") != "Plain body" || m.Part("text/html") != "<p>HTML body</p>" {
		t.Errorf("content = %+v", m.Content)
	}
	wantAttachments := []Attachment{{Filename: "hello.txt", Type: "text/plain", Size: 11}, {Filename: "wrapped.bin", Size: 5}}
	if fmt.Sprint(m.Attachments) != fmt.Sprint(wantAttachments) {
		t.Errorf("attachments = %+v, want %+v", m.Attachments, wantAttachments)
	}
	if len(m.Categories) != 1 || m.CustomArgs["ticket"] != "42" || m.Headers["X-Top"] != "yes" {
		t.Errorf("categories/customArgs/headers = %v %v %v", m.Categories, m.CustomArgs, m.Headers)
	}

	// The raw JSON uses the documented keys and never includes attachment content.
	raw := do(t, srv, httptest.NewRequest(http.MethodGet, "/api/messages", nil)).Body.String()
	for _, key := range []string{`"receivedAt"`, `"customArgs"`, `"custom_args"`, `"effectiveSubject"`, `"size":11`} {
		if !strings.Contains(raw, key) {
			t.Errorf("JSON lacks %s: %s", key, raw)
		}
	}
	if strings.Contains(raw, "aGVsbG8gd29ybGQ=") {
		t.Error("JSON contains attachment content")
	}
}

func TestEmptyCollectionsAreArrays(t *testing.T) {
	srv := NewServer(Config{})
	send(t, srv, validBody)
	raw := do(t, srv, httptest.NewRequest(http.MethodGet, "/api/messages", nil)).Body.String()
	for _, want := range []string{`"categories":[]`, `"customArgs":{}`, `"headers":{}`, `"attachments":[]`} {
		if !strings.Contains(raw, want) {
			t.Errorf("JSON lacks %s: %s", want, raw)
		}
	}
	srv.Reset()
	raw = do(t, srv, httptest.NewRequest(http.MethodGet, "/api/messages", nil)).Body.String()
	if strings.TrimSpace(raw) != `{"messages":[]}` {
		t.Errorf("empty store = %s", raw)
	}
}

func TestListFilterByRecipient(t *testing.T) {
	srv := NewServer(Config{})
	for _, p := range []string{
		`{"to": [{"email": "alice@example.com"}]}`,
		`{"to": [{"email": "bob@example.com"}], "cc": [{"email": "Alice@Example.com"}]}`,
		`{"to": [{"email": "carol@example.com"}], "bcc": [{"email": "alice@example.com"}]}`,
		`{"to": [{"email": "dave@example.com"}]}`,
	} {
		body := strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`, p, 1)
		if rec := send(t, srv, body); rec.Code != http.StatusAccepted {
			t.Fatalf("send: %d %s", rec.Code, rec.Body)
		}
	}
	tests := []struct {
		query string
		want  int
	}{
		{"", 4},
		{"?to=alice@example.com", 3},
		{"?to=ALICE%40EXAMPLE.COM", 3},
		{"?to=dave@example.com", 1},
		{"?to=nobody@example.com", 0},
		{"?to=alice", 0},
	}
	for _, tt := range tests {
		if got := len(listMessages(t, srv, tt.query)); got != tt.want {
			t.Errorf("GET /api/messages%s: %d messages, want %d", tt.query, got, tt.want)
		}
	}
}

func TestDeleteMessages(t *testing.T) {
	srv := NewServer(Config{FailNext: Failure{Status: 500, Count: 1}})
	send(t, srv, validBody) // uses up the failure
	send(t, srv, validBody)
	if rec := do(t, srv, httptest.NewRequest(http.MethodDelete, "/api/messages", nil)); rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE /api/messages status = %d, want 204", rec.Code)
	}
	if n := len(listMessages(t, srv, "")); n != 0 {
		t.Errorf("%d messages after delete, want 0", n)
	}
}

func TestStoreKeepsNewest(t *testing.T) {
	srv := NewServer(Config{MaxMessages: 3})
	for i := range 5 {
		body := strings.Replace(validBody, `"Hello"`, fmt.Sprintf(`"msg %d"`, i), 1)
		send(t, srv, body)
	}
	msgs := srv.Messages()
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	if got := strings.Join(subjects, ","); got != "msg 2,msg 3,msg 4" {
		t.Errorf("stored subjects = %s, want the newest three, oldest first", got)
	}
}

func TestDefaultMaxMessages(t *testing.T) {
	srv := NewServer(Config{})
	if srv.maxMessages != DefaultMaxMessages || DefaultMaxMessages != 10000 {
		t.Errorf("maxMessages = %d, want 10000", srv.maxMessages)
	}
}

func TestHealthz(t *testing.T) {
	rec := do(t, NewServer(Config{}), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", rec.Code, rec.Body)
	}
}

func TestUnknownPath(t *testing.T) {
	rec := do(t, NewServer(Config{}), httptest.NewRequest(http.MethodGet, "/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", rec.Code)
	}
}

func TestPageEscapesContent(t *testing.T) {
	srv := NewServer(Config{})
	body := `{
		"personalizations": [{"to": [{"email": "to@example.com", "name": "<img src=x onerror=alert(1)>"}]}],
		"from": {"email": "from@example.com", "name": "Evil \"quote\" & co"},
		"subject": "<script>alert('subject')</script>",
		"content": [
			{"type": "text/plain", "value": "plain <b>not bold</b>"},
			{"type": "text/html", "value": "<script>alert('html')</script><p onclick=\"x()\">Hi</p>"}
		]
	}`
	if rec := send(t, srv, body); rec.Code != http.StatusAccepted {
		t.Fatalf("send: %d %s", rec.Code, rec.Body)
	}
	rec := do(t, srv, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d", rec.Code)
	}
	page := rec.Body.String()
	for _, bad := range []string{"<script>", "<img src=x", "<b>not bold</b>", "<p onclick", `"quote"`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#39;subject&#39;)&lt;/script&gt;",
		"plain &lt;b&gt;not bold&lt;/b&gt;",
		`<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;script&gt;`,
		"to@example.com",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestPageNewestFirstAndEmpty(t *testing.T) {
	srv := NewServer(Config{})
	if page := do(t, srv, httptest.NewRequest(http.MethodGet, "/", nil)).Body.String(); !strings.Contains(page, "No messages yet") {
		t.Error("empty page lacks the empty-state text")
	}
	send(t, srv, strings.Replace(validBody, "Hello", "subject-older", 1))
	send(t, srv, strings.Replace(validBody, "Hello", "subject-newer", 1))
	page := do(t, srv, httptest.NewRequest(http.MethodGet, "/", nil)).Body.String()
	older, newer := strings.Index(page, "subject-older"), strings.Index(page, "subject-newer")
	if older < 0 || newer < 0 || newer > older {
		t.Error("page is not newest first")
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := NewServer(Config{MaxMessages: 50})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			for j := range 10 {
				body := strings.Replace(validBody, "to@example.com", fmt.Sprintf("u%d-%d@example.com", i, j), 1)
				if rec := send(t, srv, body); rec.Code != http.StatusAccepted {
					t.Errorf("send: %d", rec.Code)
				}
				_ = srv.Messages()
				do(t, srv, httptest.NewRequest(http.MethodGet, "/api/messages?to=u1-1@example.com", nil))
				do(t, srv, httptest.NewRequest(http.MethodGet, "/", nil))
			}
		})
	}
	wg.Wait()
	if n := len(srv.Messages()); n != 50 {
		t.Errorf("stored %d messages, want the cap 50", n)
	}
}
