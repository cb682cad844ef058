package portal

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// The single sign-on callback: the app for a GET, the app with the posted
// provider response (escaped, in one meta element) for a POST, never
// cached, with the same security headers as every page; anything else is
// refused.
func TestCallback(t *testing.T) {
	t.Parallel()
	h := newHandler(t, localCfg)
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, ctype, body string
		status                    int
		want                      string // in the body
		wantNot                   string
	}{
		{"GET (a response in the query)", "GET", "", "", 200, `<div id="app">`, "sc-idp-response"},
		{"HEAD", "HEAD", "", "", 200, "", ""},
		{"POST (SAML HTTP-POST binding)", "POST", form, "SAMLResponse=PHNhbWw%2B&RelayState=abc", 200,
			`<meta name="sc-idp-response" content="SAMLResponse=PHNhbWw%2B&amp;RelayState=abc">`, ""},
		{"POST with markup in it stays an attribute value", "POST", form, `x="><script>alert(1)</script>`, 200,
			`content="x=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`, "<script>alert"},
		{"POST with a charset", "POST", form + "; charset=UTF-8", "SAMLResponse=abc", 200, `content="SAMLResponse=abc"`, ""},
		{"POST of JSON", "POST", "application/json", `{"SAMLResponse":"abc"}`, 400, `"status":"INVALID_ARGUMENT"`, "sc-idp-response"},
		{"POST of nothing", "POST", form, "", 400, `"status":"INVALID_ARGUMENT"`, "sc-idp-response"},
		{"POST of a malformed form", "POST", form, "a=%zz", 400, `"status":"INVALID_ARGUMENT"`, "sc-idp-response"},
		{"POST too large", "POST", form, "SAMLResponse=" + strings.Repeat("A", maxIDPResponse), 400, `"status":"INVALID_ARGUMENT"`, "sc-idp-response"},
		{"PUT", "PUT", form, "a=b", 405, `"status":"INVALID_ARGUMENT"`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, CallbackPath, strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("%s = %d, want %d: %.300s", tc.method, w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store (a provider's response is never cached)", got)
			}
			if !strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self';") || w.Header().Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("security headers missing: %v", w.Header())
			}
			body := w.Body.String()
			if !strings.Contains(body, tc.want) {
				t.Errorf("body lacks %q: %.600s", tc.want, body)
			}
			if tc.wantNot != "" && strings.Contains(body, tc.wantNot) {
				t.Errorf("body has %q: %.600s", tc.wantNot, body)
			}
			if tc.method == "HEAD" && w.Body.Len() != 0 {
				t.Error("HEAD has a body")
			}
			if tc.status == 200 && strings.Count(body, "sc-idp-response") > 1 {
				t.Error("more than one response element")
			}
		})
	}
}
