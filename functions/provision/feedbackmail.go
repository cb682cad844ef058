package provision

import "github.com/supportcenter/supportcenter/shared/mail"

// ackData is what the acknowledgement says: the kind of feedback (never
// its text, which stays out of e-mail) and where the portal is.
type ackData struct {
	Kind      string
	PortalURL string
}

// feedbackAck is the acknowledgement a feedback sender gets. Values are
// escaped in the HTML part by html/template.
var feedbackAck = mail.MustTemplate("feedback-ack", map[string]mail.Source{
	mail.English: {
		Subject: "Thank you for your feedback",
		Text: `Hello,

Thank you for your {{if eq .Kind "IDEA"}}idea{{else if eq .Kind "PROBLEM"}}problem report{{else}}kind words{{end}}. The Support Center team reads all feedback{{if eq .Kind "PROBLEM"}} and will look into the problem{{end}}.

This is not a support case: if you need an answer about one of our products, open a case in the Support Center: {{.PortalURL}}
`,
		HTML: `<p>Hello,</p>
<p>Thank you for your {{if eq .Kind "IDEA"}}idea{{else if eq .Kind "PROBLEM"}}problem report{{else}}kind words{{end}}. The Support Center team reads all feedback{{if eq .Kind "PROBLEM"}} and will look into the problem{{end}}.</p>
<p>This is not a support case: if you need an answer about one of our products, <a href="{{.PortalURL}}">open a case in the Support Center</a>.</p>
`,
	},
	mail.Korean: {
		Subject: "의견을 보내 주셔서 감사합니다",
		Text: `안녕하세요.

{{if eq .Kind "IDEA"}}아이디어를{{else if eq .Kind "PROBLEM"}}문제 신고를{{else}}칭찬의 말씀을{{end}} 보내 주셔서 감사합니다. 지원 센터 팀은 모든 의견을 읽고 있습니다{{if eq .Kind "PROBLEM"}}. 신고하신 문제를 확인하겠습니다{{end}}.

이 메일은 지원 케이스가 아닙니다. 제품에 관한 답변이 필요하시면 지원 센터에서 케이스를 열어 주세요: {{.PortalURL}}
`,
		HTML: `<p>안녕하세요.</p>
<p>{{if eq .Kind "IDEA"}}아이디어를{{else if eq .Kind "PROBLEM"}}문제 신고를{{else}}칭찬의 말씀을{{end}} 보내 주셔서 감사합니다. 지원 센터 팀은 모든 의견을 읽고 있습니다{{if eq .Kind "PROBLEM"}}. 신고하신 문제를 확인하겠습니다{{end}}.</p>
<p>이 메일은 지원 케이스가 아닙니다. 제품에 관한 답변이 필요하시면 <a href="{{.PortalURL}}">지원 센터에서 케이스를 열어 주세요</a>.</p>
`,
	},
})
