package mailcapture

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary bodies to the mail/send decoder and validator.
// It must never panic, every rejection must carry a message, and anything
// accepted must satisfy SendGrid's rules and be storable as JSON.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		validBody,
		``,
		`null`,
		`{}`,
		`[]`,
		`{"personalizations": null}`,
		`{"personalizations": [{}], "from": {}, "content": [{}], "attachments": [{}]}`,
		`{"personalizations": [{"to": [{"email": "a@example.com"}], "cc": [{"email": "A@example.com"}]}]}`,
		`{"personalizations": [{"to": [{"email": "a@example.com"}], "dynamic_template_data": {"x": [1, "2", null]}}], "from": {"email": "f@example.com"}, "template_id": "d-1"}`,
		`{"personalizations": [{"to": "a@example.com"}]}`,
		`{"from": "f@example.com", "subject": 1, "content": {"type": "text/plain"}}`,
		`{"content": [{"type": "text/html", "value": "x"}, {"type": "text/plain", "value": "y"}]}`,
		`{"attachments": [{"content": "aGVsbG8=\r\n", "filename": "a"}, {"content": "@@@", "type": "a;b"}]}`,
		`{"personalizations": [{"to": [{"email": "a@example.com"}], "send_at": 1.5}]}`,
		`{"mail_settings": {"sandbox_mode": {"enable": "yes"}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, errs := parseSendRequest(body)
		if len(errs) > 0 {
			if req != nil {
				t.Fatalf("got both a request and %d errors", len(errs))
			}
			if len(errs) > maxErrors {
				t.Fatalf("%d errors, more than the cap %d", len(errs), maxErrors)
			}
			for _, e := range errs {
				if e.Message == "" {
					t.Fatalf("error without message: %+v", e)
				}
				if e.Field != nil && *e.Field == "" {
					t.Fatalf("error with empty (not null) field: %+v", e)
				}
			}
			if _, err := json.Marshal(errorBody{Errors: errs}); err != nil {
				t.Fatalf("marshal errors: %v", err)
			}
			return
		}
		if req == nil {
			t.Fatal("no request and no errors")
		}
		checkAccepted(t, req)
		m := newMessage(req, "id", time.Unix(0, 0))
		if _, err := json.Marshal(m); err != nil {
			t.Fatalf("marshal stored message: %v", err)
		}
	})
}

// checkAccepted re-checks the SendGrid rules on a request the validator let
// through.
func checkAccepted(t *testing.T, req *sendRequest) {
	t.Helper()
	if req.From == nil || !validEmail(req.From.Email) {
		t.Fatalf("accepted invalid from: %+v", req.From)
	}
	if n := len(req.Personalizations); n < 1 || n > MaxPersonalizations {
		t.Fatalf("accepted %d personalizations", n)
	}
	recipients := 0
	for _, p := range req.Personalizations {
		if len(p.To) == 0 {
			t.Fatal("accepted a personalization without to")
		}
		seen := map[string]bool{}
		for _, list := range [][]Address{p.To, p.Cc, p.Bcc} {
			for _, a := range list {
				if !validEmail(a.Email) {
					t.Fatalf("accepted invalid recipient %q", a.Email)
				}
				key := strings.ToLower(a.Email)
				if seen[key] {
					t.Fatalf("accepted duplicate recipient %q", a.Email)
				}
				seen[key] = true
				recipients++
			}
		}
		if req.Subject == "" && req.TemplateID == "" && p.Subject == "" {
			t.Fatal("accepted a personalization without any subject")
		}
	}
	if recipients > MaxRecipients {
		t.Fatalf("accepted %d recipients", recipients)
	}
	if len(req.Content) == 0 && req.TemplateID == "" {
		t.Fatal("accepted no content without a template")
	}
	for i, c := range req.Content {
		if c.Type == "" || c.Value == "" || strings.ContainsAny(c.Type, ";\r\n") {
			t.Fatalf("accepted bad content %+v", c)
		}
		typ := strings.ToLower(strings.TrimSpace(c.Type))
		if (typ == "text/plain" && i != 0) || (typ == "text/html" && i > 1) {
			t.Fatalf("accepted content in the wrong order: %+v", req.Content)
		}
	}
	for _, a := range req.Attachments {
		if a.Filename == "" || a.Content == "" {
			t.Fatalf("accepted bad attachment %+v", a)
		}
		if _, err := decodedSize(a.Content); err != nil {
			t.Fatalf("accepted non-base64 attachment: %v", err)
		}
	}
}
