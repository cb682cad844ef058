package mail

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
)

// TestSendPersonalized: a bulk message of 1,000 personalizations, each
// with its own subject, List-Unsubscribe header and substitutions, reaches
// the SendGrid-compatible capture server as one request; 1,001 are refused
// before sending.
func TestSendPersonalized(t *testing.T) {
	t.Parallel()
	capture := mailcapture.NewServer(mailcapture.Config{APIKey: "k"})
	srv := httptest.NewServer(capture)
	defer srv.Close()
	s := newSender(t, srv.URL, "k")
	m := Message{Subject: "Update", Text: "Hi -name-, stop: -url-", HTML: "<p>-name-</p>",
		Headers: map[string]string{"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
	for i := range MaxRecipients {
		url := fmt.Sprintf("https://x.example/u?token=%d", i)
		m.Personal = append(m.Personal, Personalization{
			To: Address{Email: fmt.Sprintf("p%d@acme.example", i)}, Subject: fmt.Sprintf("Update %d\r\nBcc: x@evil.test", i),
			Headers:       map[string]string{"List-Unsubscribe": "<" + url + ">"},
			Substitutions: map[string]string{"-name-": fmt.Sprint("P", i), "-url-": url},
		})
	}
	if _, err := s.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	msgs := capture.Messages()
	if len(msgs) != 1 || len(msgs[0].Personalizations) != MaxRecipients {
		t.Fatalf("%d messages", len(msgs))
	}
	p := msgs[0].Personalizations[7]
	if p.To[0].Email != "p7@acme.example" || p.Headers["List-Unsubscribe"] != "<https://x.example/u?token=7>" ||
		p.Substitutions["-name-"] != "P7" || p.EffectiveSubject != "Update 7 Bcc: x@evil.test" ||
		msgs[0].Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Fatalf("personalization %+v, headers %v", p, msgs[0].Headers)
	}
	m.Personal = append(m.Personal, Personalization{To: Address{Email: "one-too-many@acme.example"}})
	if _, err := s.Send(t.Context(), m); err == nil {
		t.Fatal("1,001 personalizations accepted")
	}
	m.To = []Address{{Email: "x@acme.example"}}
	m.Personal = m.Personal[:1]
	if _, err := s.Send(t.Context(), m); err == nil {
		t.Fatal("To and Personal together accepted")
	}
}
