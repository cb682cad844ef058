package provision

import (
	"strings"
	"testing"
)

// TestFeedbackAck renders the acknowledgement for every kind in both
// languages: the language follows the setting, the kind is named, the
// message text never appears (there is no field for it).
func TestFeedbackAck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, kind, subject, says string
	}{
		{"en", "IDEA", "Thank you for your feedback", "your idea"},
		{"en", "PROBLEM", "Thank you for your feedback", "look into the problem"},
		{"en-US", "PRAISE", "Thank you for your feedback", "kind words"},
		{"ko", "IDEA", "의견을 보내 주셔서 감사합니다", "아이디어를"},
		{"ko-KR", "PROBLEM", "의견을 보내 주셔서 감사합니다", "문제 신고를"},
		{"ko", "PRAISE", "의견을 보내 주셔서 감사합니다", "칭찬의 말씀을"},
	}
	for _, tc := range tests {
		r, err := feedbackAck.Render(tc.lang, ackData{Kind: tc.kind, PortalURL: "https://support.example"})
		if err != nil {
			t.Fatalf("%s %s: %v", tc.lang, tc.kind, err)
		}
		if r.Subject != tc.subject || !strings.Contains(r.Text, tc.says) || !strings.Contains(r.HTML, tc.says) ||
			!strings.Contains(r.HTML, `href="https://support.example"`) {
			t.Errorf("%s %s: %q\n%s\n%s", tc.lang, tc.kind, r.Subject, r.Text, r.HTML)
		}
	}
}
