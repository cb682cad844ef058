package provision

import (
	"strings"
	"testing"
)

// TestAnswerMail renders both answers in both languages: the reason and
// organisation name reach the text as given and the HTML escaped.
func TestAnswerMail(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko", "ko-KR", ""} {
		for _, approved := range []bool{true, false} {
			d := answerData{Approved: approved, OrgName: "Acme <Corp>", Roles: "MEMBER (clouddb)", Reason: "Not <yours>",
				ActivateTime: "2026-01-02 03:04 UTC", PortalURL: "http://127.0.0.1:8000"}
			r, err := answerMail.Render(lang, d)
			if err != nil {
				t.Fatalf("%s %v: %v", lang, approved, err)
			}
			want := d.Reason
			if approved {
				want = d.OrgName
			}
			if !strings.Contains(r.Text, want) || strings.Contains(r.HTML, want) || !strings.Contains(r.HTML, "&lt;") {
				t.Errorf("%s approved=%v: %q not in the text or not escaped in the HTML:\n%s\n%s", lang, approved, want, r.Text, r.HTML)
			}
			korean := strings.HasPrefix(lang, "ko")
			if strings.Contains(r.Subject, "지원 센터") != korean {
				t.Errorf("%s: subject %q", lang, r.Subject)
			}
		}
	}
	if got := roleNames(nil); got != "" {
		t.Errorf("roleNames(nil) = %q", got)
	}
}
