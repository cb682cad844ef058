package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func errorStatus(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		Error struct {
			Status string `json:"status"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body is not JSON: %q", rec.Body.String())
	}
	return body.Error.Status
}

func TestWrapRecoversPanic(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h := Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || errorStatus(t, rec) != "INTERNAL" {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	var v map[string]any
	h := Wrap(Handle(nil, func(w http.ResponseWriter, r *http.Request) error {
		if err := DecodeJSON(r, &v); err != nil {
			return err
		}
		return WriteJSON(w, 200, v)
	}), Options{BodyLimit: 16})

	// Declared length over the limit: refused before reading.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(`{"a":"0123456789abcdef"}`)))
	if rec.Code != 413 {
		t.Fatalf("declared oversize: got %d", rec.Code)
	}
	// Undeclared length (chunked): refused while reading.
	req := httptest.NewRequest("POST", "/", strings.NewReader(`{"a":"0123456789abcdef"}`))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("streamed oversize: got %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(`{"a":1}`)))
	if rec.Code != 200 {
		t.Fatalf("small body: got %d", rec.Code)
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	t.Parallel()
	type target struct {
		Name string `json:"name"`
	}
	tests := []struct{ body, want string }{
		{``, "a JSON request body is required"},
		{`{"name":`, "truncated"},
		{`{"name":1}`, "wrong type"},
		{`{"nome":"x"}`, `unknown field "nome"`},
		{`{"name":"x"} {}`, "more than one JSON value"},
		{`nope`, "not valid JSON"},
	}
	for _, tc := range tests {
		var got target
		err := DecodeJSON(httptest.NewRequest("POST", "/", strings.NewReader(tc.body)), &got)
		e := apierror.From(err)
		if err == nil || e.HTTPStatus != 400 || !strings.Contains(e.Message, tc.want) {
			t.Errorf("DecodeJSON(%q) = %v, want 400 containing %q", tc.body, err, tc.want)
		}
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	h := Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }),
		Options{AllowedOrigins: []string{"https://portal.example"}})
	req := httptest.NewRequest("OPTIONS", "/", nil)
	req.Header.Set("Origin", "https://portal.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://portal.example" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Origin", "https://evil.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("foreign origin allowed")
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	m := Methods{"GET": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })}
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("DELETE", "/", nil))
	if rec.Code != 405 || errorStatus(t, rec) != "INVALID_ARGUMENT" || rec.Header().Get("Allow") != "GET" {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}

func TestSplitVerb(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ seg, id, verb string }{
		{"123456789", "123456789", ""},
		{"123456789:close", "123456789", "close"},
		{"acme:grantResellerAccess", "acme", "grantResellerAccess"},
		{"a:b:c", "a", "b:c"},
		{":close", "", "close"},
		{"acme:", "acme", ""},
		{"", "", ""},
	} {
		if id, verb := SplitVerb(tt.seg); id != tt.id || verb != tt.verb {
			t.Errorf("SplitVerb(%q) = %q, %q; want %q, %q", tt.seg, id, verb, tt.id, tt.verb)
		}
	}
}

// flushProbe is a slog handler that notes, when the access log line is
// written, whether the response was already flushed to the client.
type flushProbe struct {
	rec     *httptest.ResponseRecorder
	flushed *bool
}

func (p flushProbe) Enabled(context.Context, slog.Level) bool { return true }
func (p flushProbe) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "request" {
		*p.flushed = p.rec.Flushed
	}
	return nil
}
func (p flushProbe) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p flushProbe) WithGroup(string) slog.Handler      { return p }

// TestAccessLogAfterAnswer: a complete answer (declared length reached) is
// sent before the access log line is written; one of unknown length is not
// flushed early (that would switch it to chunked encoding).
func TestAccessLogAfterAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		h           http.Handler
		wantFlushed bool
	}{
		{"json", Handle(nil, func(w http.ResponseWriter, _ *http.Request) error {
			return WriteJSON(w, 200, map[string]string{"a": "b"})
		}), true},
		{"error", Handle(nil, func(http.ResponseWriter, *http.Request) error {
			return apierror.NotFound("nothing here")
		}), true},
		{"unknown length", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("plain"))
		}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			flushed := false
			h := Wrap(tt.h, Options{Logger: slog.New(flushProbe{rec: rec, flushed: &flushed})})
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if flushed != tt.wantFlushed {
				t.Fatalf("flushed before the log line: %v, want %v", flushed, tt.wantFlushed)
			}
			if cl := rec.Header().Get("Content-Length"); tt.wantFlushed && cl != strconv.Itoa(rec.Body.Len()) {
				t.Fatalf("Content-Length %q for a body of %d bytes", cl, rec.Body.Len())
			}
		})
	}
}
