package notify

import (
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

const portal = "https://support.example/"

func testNotice(typ string) *notice {
	c := &store.Case{ID: "123456789", OrgID: "acme", DisplayName: `DB <b>down</b> & "slow"`, State: casestate.InProgress,
		Description: "It broke <script>alert(1)</script>", CreatorUID: "u1", CreatorEmail: "admin@acme.example", CreatorName: "Ann",
		Escalation: &store.Escalation{ActorUID: "u1", ActorEmail: "admin@acme.example", ActorName: "Ann <i>",
			Reason: "BUSINESS_IMPACT", Justification: "Revenue <img src=x onerror=alert(1)>"}}
	ev := events.Event{ID: "e1", Type: typ, OrgID: "acme", CaseID: c.ID, ActorUID: "u2", OldState: casestate.New, NewState: casestate.ActionRequired}
	return &notice{Event: ev, Case: c,
		Comment:    &store.Comment{ID: "c1", Body: "Try this: <script>alert('x')</script>", CreatorName: "Sam <Agent>", CreatorIsSupport: true},
		Attachment: &store.AttachmentNotice{ID: "a1", State: "READY", Filename: `log<1>.txt`, SizeBytes: 2 << 20, CreatorEmail: "dev@acme.example"}}
}

func TestRenderEveryType(t *testing.T) {
	// A phrase only that type's e-mail says, in each language.
	intro := map[string][2]string{
		events.CaseCreated:         {"filed a new case", "새 케이스를 등록했습니다"},
		events.CaseCommented:       {"(support team) replied", "(지원팀)님이 케이스에 답변했습니다"},
		events.CaseStateChanged:    {"status changed from New to Waiting for your reply", "신규에서 고객 응답 필요(으)로"},
		events.CaseEscalated:       {"escalated the case", "에스컬레이션했습니다"},
		events.CaseClosed:          {"within 30 days", "30일 이내"},
		events.CaseReopened:        {"was reopened", "다시 열렸습니다"},
		events.CaseAttachmentAdded: {"attached a file", "파일을 첨부했습니다"},
		events.CaseReminded:        {"is waiting for your reply", "답변을 기다리고 있습니다"},
		events.CaseSLABreached:     {"first-response target", "최초 응답 목표"},
	}
	for _, typ := range events.Types {
		for i, lang := range []string{mail.English, mail.Korean} {
			t.Run(typ+"/"+lang, func(t *testing.T) {
				m, err := message(testNotice(typ), recipient{Email: "kim@acme.example", Lang: lang}, portal)
				if err != nil {
					t.Fatal(err)
				}
				prefix := map[string]string{mail.English: "[Case 123456789] ", mail.Korean: "[케이스 123456789] "}[lang]
				if !strings.HasPrefix(m.Subject, prefix+`DB <b>down</b> & "slow" — `+label(words[lang].what, typ)) {
					t.Errorf("subject %q", m.Subject)
				}
				want := intro[typ][i]
				if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
					t.Errorf("text or HTML lacks %q:\n%s\n%s", want, m.Text, m.HTML)
				}
				link := "https://support.example/organizations/acme/cases/123456789"
				if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
					t.Errorf("no case link:\n%s", m.HTML)
				}
				checkEscaped(t, m.HTML)
				if len(m.To) != 1 || m.To[0].Email != "kim@acme.example" {
					t.Errorf("to %+v", m.To)
				}
			})
		}
	}
}

// checkEscaped fails if user content reached the HTML part as markup.
func checkEscaped(t *testing.T, html string) {
	t.Helper()
	for _, raw := range []string{"<script", "<b>down", "<img", "<i>", "<Agent>", "log<1>"} {
		if strings.Contains(html, raw) {
			t.Errorf("HTML part contains unescaped %q:\n%s", raw, html)
		}
	}
}

func TestRenderContent(t *testing.T) {
	m, err := message(testNotice(events.CaseCommented), recipient{Email: "kim@acme.example", Name: "Kim", Lang: "en"}, portal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.HTML, "Try this: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") {
		t.Errorf("comment not escaped as expected:\n%s", m.HTML)
	}
	if !strings.Contains(m.Text, "Try this: <script>alert('x')</script>") {
		t.Errorf("text part should carry the comment as written:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "Sam &lt;Agent&gt; (support team) replied") || !strings.Contains(m.HTML, "Status: In progress (support team)") {
		t.Errorf("author or state missing:\n%s", m.HTML)
	}
	for _, secret := range []string{"oobCode", "token", "apiKey", "u1", "u2"} {
		if strings.Contains(m.Text, secret) || strings.Contains(m.HTML, secret) {
			t.Errorf("e-mail contains %q", secret)
		}
	}

	esc, err := message(testNotice(events.CaseEscalated), recipient{Email: "kim@acme.example", Lang: "ko"}, portal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(esc.Text, "에스컬레이션 사유: 비즈니스 영향") || !strings.Contains(esc.HTML, "Revenue &lt;img") {
		t.Errorf("escalation e-mail:\n%s\n%s", esc.Text, esc.HTML)
	}

	att, err := message(testNotice(events.CaseAttachmentAdded), recipient{Email: "kim@acme.example", Lang: "en"}, portal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(att.Text, "dev@acme.example attached a file to the case: log<1>.txt (2.0 MB)") {
		t.Errorf("attachment e-mail:\n%s", att.Text)
	}
}

func TestRenderTruncatesLongDescription(t *testing.T) {
	n := testNotice(events.CaseCreated)
	n.Case.Description = strings.Repeat("가", maxDescription+10)
	m, err := message(n, recipient{Email: "kim@acme.example", Lang: "en"}, portal)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Text, strings.Repeat("가", maxDescription+1)) || !strings.Contains(m.Text, "The rest is in the Support Center") {
		t.Error("long description not cut")
	}
}

func TestSize(t *testing.T) {
	for b, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KB", 5 << 20: "5.0 MB", 3 << 30: "3.0 GB"} {
		if got := size(b); got != want {
			t.Errorf("size(%d) = %q, want %q", b, got, want)
		}
	}
}
