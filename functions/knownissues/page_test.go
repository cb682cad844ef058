package knownissues

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, kind string
		subscribed bool
		want       []string
		not        []string
	}{
		{"en", "confirm", true, []string{`lang="en"`, "Stop e-mails", `name="List-Unsubscribe" value="One-Click"`, "&lt;b&gt;"}, []string{"<b>"}},
		{"ko", "confirm", true, []string{`lang="ko"`, "수신 거부", `method="post"`}, nil},
		{"en", "confirm", false, []string{"not subscribed"}, []string{"<form"}},
		{"ko", "done", false, []string{"수신 거부되었습니다"}, []string{"<form"}},
		{"en", "invalid", false, []string{"not valid"}, []string{"<form"}},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		writePage(rec, 200, tc.lang, pageData{Kind: tc.kind, Title: "<b>Disk</b>", Action: "?token=x", Subscribed: tc.subscribed})
		body := rec.Body.String()
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s/%s: no %q in\n%s", tc.lang, tc.kind, w, body)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, n) {
				t.Errorf("%s/%s: %q in\n%s", tc.lang, tc.kind, n, body)
			}
		}
		if rec.Header().Get("Referrer-Policy") != "no-referrer" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", rec.Header())
		}
	}
}
