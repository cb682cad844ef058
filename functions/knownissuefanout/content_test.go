package knownissuefanout

import (
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

func TestChromeHasEveryLanguageAndKey(t *testing.T) {
	t.Parallel()
	for _, lang := range mail.Languages {
		for key := range chrome[mail.English] {
			if strings.TrimSpace(chrome[lang][key]) == "" {
				t.Errorf("chrome[%s][%s] missing", lang, key)
			}
		}
	}
}

// TestMessage: one personalization per recipient with its own subject
// (in its language), unsubscribe header and link; user content escaped in
// the HTML part; substitution tags carry a per-message nonce.
func TestMessage(t *testing.T) {
	t.Parallel()
	signer, err := unsubscribe.New(unsubscribe.LocalKeys)
	if err != nil {
		t.Fatal(err)
	}
	ki := &store.KnownIssue{ID: "ki-1", Title: `Disk <full> & "slow"`}
	u := &store.KnownIssueUpdate{Body: "Fix: <script>x()</script> %kiabc_t_intro%", CreateTime: time.Now(), Resolution: true}
	c := newContent(ki, u, "https://support.example/")
	subs := []*store.Subscriber{
		{Email: "en@a.example", Key: store.SubscriberKey("en@a.example"), Lang: "en"},
		{Email: "ko@a.example", Key: store.SubscriberKey("ko@a.example"), Lang: "ko"},
	}
	m := c.message(subs, signer, "https://support.example/")
	if len(m.Personal) != 2 || m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Fatalf("message %+v", m)
	}
	ko := m.Personal[1]
	if !strings.HasPrefix(ko.Subject, "[알려진 문제 해결] ") || !strings.HasPrefix(m.Personal[0].Subject, "[Known issue resolved] ") {
		t.Fatalf("subjects %q %q", m.Personal[0].Subject, ko.Subject)
	}
	url := strings.Trim(ko.Headers["List-Unsubscribe"], "<>")
	issue, key, err := signer.Parse(strings.TrimPrefix(url, "https://support.example/v2/unsubscribe?token="))
	if err != nil || issue != "ki-1" || key != subs[1].Key {
		t.Fatalf("unsubscribe URL %q: %s %s %v", url, issue, key, err)
	}
	html, text := m.HTML, m.Text
	for k, v := range ko.Substitutions {
		html, text = strings.ReplaceAll(html, k, v), strings.ReplaceAll(text, k, v)
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "<full>") || !strings.Contains(html, "&lt;script&gt;") {
		t.Fatalf("HTML not escaped:\n%s", html)
	}
	if !strings.Contains(text, "구독 중인 알려진 문제를 지원팀이 해결했습니다") || !strings.Contains(text, url) ||
		!strings.Contains(text, "https://support.example/knownIssues/ki-1") || !strings.Contains(text, "<script>x()</script>") {
		t.Fatalf("text part:\n%s", text)
	}
	if !strings.Contains(text, "%kiabc_t_intro%") {
		t.Fatal("text that looks like a tag was substituted")
	}
}
