package provision

import (
	"strings"
	"testing"
)

func TestWelcomeRendersBothLanguages(t *testing.T) {
	t.Parallel()
	data := welcomeData{Name: `Kim <b>`, OrgName: `Acme & "Co"`, PortalURL: "https://support.example",
		Pending: true, ActivateTime: "2030-01-02 03:04 UTC", LinkKind: linkPassword, Link: "https://auth.example/reset?oobCode=abc&mode=resetPassword"}
	for _, tc := range []struct{ lang, subject, pending string }{
		{"en", "You have been added to Acme & \"Co\" in the Support Center", "active by 2030-01-02 03:04 UTC"},
		{"ko", "Acme & \"Co\" 지원 센터 사용자로 추가되었습니다", "2030-01-02 03:04 UTC까지"},
	} {
		r, err := welcome.Render(tc.lang, data)
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != tc.subject {
			t.Errorf("%s subject %q", tc.lang, r.Subject)
		}
		if !strings.Contains(r.Text, tc.pending) || !strings.Contains(r.Text, data.Link) {
			t.Errorf("%s text lacks the time or link:\n%s", tc.lang, r.Text)
		}
		if !strings.Contains(r.HTML, "Kim &lt;b&gt;") || !strings.Contains(r.HTML, "Acme &amp; &#34;Co&#34;") {
			t.Errorf("%s html not escaped:\n%s", tc.lang, r.HTML)
		}
		if !strings.Contains(r.HTML, `href="https://auth.example/reset?oobCode=abc&amp;mode=resetPassword"`) {
			t.Errorf("%s html link:\n%s", tc.lang, r.HTML)
		}
	}
}

func TestWelcomeWithoutLink(t *testing.T) {
	t.Parallel()
	r, err := welcome.Render("en", welcomeData{Name: "A", OrgName: "Acme", PortalURL: "https://support.example"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "Your access is active now.") || strings.Contains(r.Text, "Set your password") ||
		strings.Contains(r.Text, "Verify your e-mail") {
		t.Errorf("text:\n%s", r.Text)
	}
}
