package mail

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
	"github.com/supportcenter/supportcenter/shared/apierror"
)

func newSender(t *testing.T, host, key string) *Sender {
	t.Helper()
	s, err := New(Config{Host: host, APIKey: key, From: "support@support.example", FromName: "Support", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendDelivers(t *testing.T) {
	t.Parallel()
	capture := mailcapture.NewServer(mailcapture.Config{APIKey: "k"})
	srv := httptest.NewServer(capture)
	defer srv.Close()
	s := newSender(t, srv.URL, "k")
	id, err := s.Send(t.Context(), Message{
		To:      []Address{{Email: "a@acme.example", Name: "A\r\nBcc: x@evil.test"}, {Email: "b@acme.example"}},
		Subject: "Hello\nthere", Text: "plain", HTML: "<p>html</p>", Categories: []string{"welcome"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Error("no message id")
	}
	msgs := capture.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if len(m.Personalizations) != 2 || !m.HasRecipient("a@acme.example") || !m.HasRecipient("b@acme.example") {
		t.Errorf("recipients %+v", m.Personalizations)
	}
	if m.Subject != "Hello there" || m.Part("text/plain") != "plain" || m.Part("text/html") != "<p>html</p>" {
		t.Errorf("content %q %+v", m.Subject, m.Content)
	}
	if m.From.Email != "support@support.example" {
		t.Errorf("from %+v", m.From)
	}
}

func TestSendTrackingOff(t *testing.T) {
	t.Parallel()
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	if _, err := newSender(t, srv.URL, "k").Send(t.Context(), Message{To: []Address{{Email: "a@x.example"}}, Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	ts, _ := json.Marshal(body["tracking_settings"])
	if !strings.Contains(string(ts), `"click_tracking":{"enable":false,"enable_text":false}`) ||
		!strings.Contains(string(ts), `"open_tracking":{"enable":false}`) {
		t.Errorf("tracking settings %s", ts)
	}
}

func TestSendErrorsAreClassified(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		key       string
		retryable bool
	}{
		{"rate limited", 429, "k", true},
		{"server error", 500, "k", true},
		{"unavailable", 503, "k", true},
		{"bad request", 400, "k", false},
		{"forbidden", 403, "k", false},
		{"wrong key", 0, "wrong", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := mailcapture.Config{APIKey: "k"}
			if tc.status != 0 {
				cfg.FailNext = mailcapture.Failure{Status: tc.status}
			}
			srv := httptest.NewServer(mailcapture.NewServer(cfg))
			defer srv.Close()
			_, err := newSender(t, srv.URL, tc.key).Send(t.Context(), Message{To: []Address{{Email: "a@x.example"}}, Subject: "s", Text: "t"})
			if err == nil {
				t.Fatal("no error")
			}
			if apierror.Retryable(err) != tc.retryable {
				t.Errorf("retryable=%v, want %v: %v", apierror.Retryable(err), tc.retryable, err)
			}
		})
	}
}

func TestSendTransportFailuresAreRetryable(t *testing.T) {
	t.Parallel()
	// A closed server: connection refused.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := newSender(t, url, "k").Send(t.Context(), Message{To: []Address{{Email: "a@x.example"}}, Subject: "s", Text: "t"})
	if !apierror.Retryable(err) {
		t.Errorf("connection refused: %v", err)
	}

	// A server slower than the timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server notices the client leave
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = newSender(t, slow.URL, "k").Send(ctx, Message{To: []Address{{Email: "a@x.example"}}, Subject: "s", Text: "t"})
	if !apierror.Retryable(err) {
		t.Errorf("timeout: %v", err)
	}
}

func TestSendRefusesBadMessages(t *testing.T) {
	t.Parallel()
	s := newSender(t, "http://127.0.0.1:1", "k")
	many := make([]Address, MaxRecipients+1)
	for _, m := range []Message{
		{Subject: "s", Text: "t"},
		{To: []Address{{Email: "a@x.example"}}, Text: "t"},
		{To: []Address{{Email: "a@x.example"}}, Subject: "s"},
		{To: many, Subject: "s", Text: "t"},
	} {
		if _, err := s.Send(t.Context(), m); err == nil || apierror.Retryable(err) {
			t.Errorf("%d recipients: want a permanent error, got %v", len(m.To), err)
		}
	}
}

func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	_, err := New(Config{Host: "api.sendgrid.com", From: "nobody"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"SENDGRID_API_KEY", "SENDGRID_HOST", "MAIL_FROM"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

var testTemplate = MustTemplate("test", map[string]Source{
	English: {Subject: "Hello {{.Name}}", Text: "Hi {{.Name}}, open {{.Link}}", HTML: `<p>Hi {{.Name}}</p><a href="{{.Link}}">open</a>`},
	Korean:  {Subject: "{{.Name}}님 안녕하세요", Text: "{{.Name}}님, {{.Link}}", HTML: `<p>{{.Name}}님</p><a href="{{.Link}}">열기</a>`},
})

func TestTemplateEscapesAndPicksLanguage(t *testing.T) {
	t.Parallel()
	data := map[string]string{"Name": `<script>alert(1)</script>`, "Link": "javascript:alert(1)"}
	r, err := testTemplate.Render("en", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.HTML, "<script>") || !strings.Contains(r.HTML, "&lt;script&gt;") {
		t.Errorf("html not escaped: %s", r.HTML)
	}
	if strings.Contains(r.HTML, `href="javascript:`) {
		t.Errorf("unsafe link kept: %s", r.HTML)
	}
	ok, err := testTemplate.Render("en", map[string]string{"Name": "Kim", "Link": "https://x.example/a?b=1&c=2"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ok.HTML, `href="https://x.example/a?b=1&amp;c=2"`) || !strings.Contains(ok.Text, "https://x.example/a?b=1&c=2") {
		t.Errorf("link mangled: %s / %s", ok.HTML, ok.Text)
	}
	for lang, want := range map[string]string{"ko": "Kim님 안녕하세요", "ko-KR": "Kim님 안녕하세요", "en": "Hello Kim", "": "Hello Kim", "fr": "Hello Kim"} {
		r, err := testTemplate.Render(lang, map[string]string{"Name": "Kim", "Link": "https://x.example"})
		if err != nil || r.Subject != want {
			t.Errorf("lang %q: subject %q, %v", lang, r.Subject, err)
		}
	}
}

func TestTemplateRefusesMissingKeysAndLanguages(t *testing.T) {
	t.Parallel()
	if _, err := testTemplate.Render("en", map[string]string{"Name": "x"}); err == nil {
		t.Error("missing key rendered")
	}
	if _, err := NewTemplate("t", map[string]Source{English: {Subject: "s", Text: "t"}}); err == nil {
		t.Error("template without Korean accepted")
	}
	if _, err := NewTemplate("t", map[string]Source{English: {Subject: "s", Text: "t"}, Korean: {Subject: "s", Text: "t"}, "fr": {}}); err == nil {
		t.Error("unsupported language accepted")
	}
}
