package notify

import (
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
)

// caseEmail is the one case notification e-mail, in English and Korean.
// Kind is the event type; every value comes from emailData and is escaped
// for its context in the HTML part by html/template (titles, names,
// comment bodies and file names are user content). The text part is
// text/plain, which mail clients never interpret as markup.
var caseEmail = mail.MustTemplate("case-notification", map[string]mail.Source{
	mail.English: {
		Subject: `[Case {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `{{if eq .Kind "case.created"}}{{.Author}} filed a new case.
{{- else if eq .Kind "case.commented"}}{{if .BySupport}}{{.Author}} (support team) replied to the case.{{else}}{{.Author}} commented on the case.{{end}}
{{- else if eq .Kind "case.stateChanged"}}The case status changed from {{.OldState}} to {{.NewState}}.
{{- else if eq .Kind "case.escalated"}}{{.Author}} escalated the case.
{{- else if eq .Kind "case.closed"}}{{if .BySupport}}The support team closed the case.{{else}}The case was closed.{{end}} To reopen it, comment on it within {{.ReopenDays}} days; after that, please open a new case.
{{- else if eq .Kind "case.reopened"}}The case was reopened.
{{- else if eq .Kind "case.attachmentAdded"}}{{.Author}}{{if .BySupport}} (support team){{end}} attached a file to the case: {{.Filename}} ({{.Size}}).
{{- end}}

Case {{.CaseID}}: {{.Title}}
Status: {{.State}}
{{- if .Escalation}}
Escalation reason: {{.Reason}}
Justification:
{{.Justification}}
{{- end}}
{{- if .Body}}

{{.Body}}
{{- if .Truncated}}
[…] The rest is in the Support Center.{{end}}
{{- end}}

Open the case: {{.Link}}

--
You receive this e-mail because you filed this case or subscribe to it.
To stop case e-mails, set your notification preference to "None" in the Support Center.
`,
		HTML: `<p>{{if eq .Kind "case.created"}}{{.Author}} filed a new case.
{{- else if eq .Kind "case.commented"}}{{if .BySupport}}{{.Author}} (support team) replied to the case.{{else}}{{.Author}} commented on the case.{{end}}
{{- else if eq .Kind "case.stateChanged"}}The case status changed from {{.OldState}} to {{.NewState}}.
{{- else if eq .Kind "case.escalated"}}{{.Author}} escalated the case.
{{- else if eq .Kind "case.closed"}}{{if .BySupport}}The support team closed the case.{{else}}The case was closed.{{end}} To reopen it, comment on it within {{.ReopenDays}} days; after that, please open a new case.
{{- else if eq .Kind "case.reopened"}}The case was reopened.
{{- else if eq .Kind "case.attachmentAdded"}}{{.Author}}{{if .BySupport}} (support team){{end}} attached a file to the case: <strong>{{.Filename}}</strong> ({{.Size}}).
{{- end}}</p>
<p><strong>Case {{.CaseID}}: {{.Title}}</strong><br>Status: {{.State}}</p>
{{- if .Escalation}}
<p>Escalation reason: {{.Reason}}</p>
<div style="white-space:pre-wrap">{{.Justification}}</div>
{{- end}}
{{- if .Body}}
<div style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:12px">{{.Body}}</div>
{{- if .Truncated}}
<p>[…] The rest is in the Support Center.</p>{{end}}
{{- end}}
<p><a href="{{.Link}}">Open case {{.CaseID}}</a></p>
<p style="color:#666;font-size:smaller">You receive this e-mail because you filed this case or subscribe to it. To stop case e-mails, set your notification preference to "None" in the Support Center.</p>
`,
	},
	mail.Korean: {
		Subject: `[케이스 {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `{{if eq .Kind "case.created"}}{{.Author}}님이 새 케이스를 등록했습니다.
{{- else if eq .Kind "case.commented"}}{{if .BySupport}}{{.Author}}(지원팀)님이 케이스에 답변했습니다.{{else}}{{.Author}}님이 케이스에 댓글을 남겼습니다.{{end}}
{{- else if eq .Kind "case.stateChanged"}}케이스 상태가 {{.OldState}}에서 {{.NewState}}(으)로 변경되었습니다.
{{- else if eq .Kind "case.escalated"}}{{.Author}}님이 케이스를 에스컬레이션했습니다.
{{- else if eq .Kind "case.closed"}}{{if .BySupport}}지원팀이 케이스를 종료했습니다.{{else}}케이스가 종료되었습니다.{{end}} 종료 후 {{.ReopenDays}}일 이내에 댓글을 남기면 케이스가 다시 열립니다. 그 이후에는 새 케이스를 등록해 주세요.
{{- else if eq .Kind "case.reopened"}}케이스가 다시 열렸습니다.
{{- else if eq .Kind "case.attachmentAdded"}}{{.Author}}{{if .BySupport}}(지원팀){{end}}님이 케이스에 파일을 첨부했습니다: {{.Filename}} ({{.Size}})
{{- end}}

케이스 {{.CaseID}}: {{.Title}}
상태: {{.State}}
{{- if .Escalation}}
에스컬레이션 사유: {{.Reason}}
상세 사유:
{{.Justification}}
{{- end}}
{{- if .Body}}

{{.Body}}
{{- if .Truncated}}
[…] 나머지 내용은 지원 센터에서 확인하세요.{{end}}
{{- end}}

케이스 열기: {{.Link}}

--
이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다.
케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.
`,
		HTML: `<p>{{if eq .Kind "case.created"}}{{.Author}}님이 새 케이스를 등록했습니다.
{{- else if eq .Kind "case.commented"}}{{if .BySupport}}{{.Author}}(지원팀)님이 케이스에 답변했습니다.{{else}}{{.Author}}님이 케이스에 댓글을 남겼습니다.{{end}}
{{- else if eq .Kind "case.stateChanged"}}케이스 상태가 {{.OldState}}에서 {{.NewState}}(으)로 변경되었습니다.
{{- else if eq .Kind "case.escalated"}}{{.Author}}님이 케이스를 에스컬레이션했습니다.
{{- else if eq .Kind "case.closed"}}{{if .BySupport}}지원팀이 케이스를 종료했습니다.{{else}}케이스가 종료되었습니다.{{end}} 종료 후 {{.ReopenDays}}일 이내에 댓글을 남기면 케이스가 다시 열립니다. 그 이후에는 새 케이스를 등록해 주세요.
{{- else if eq .Kind "case.reopened"}}케이스가 다시 열렸습니다.
{{- else if eq .Kind "case.attachmentAdded"}}{{.Author}}{{if .BySupport}}(지원팀){{end}}님이 케이스에 파일을 첨부했습니다: <strong>{{.Filename}}</strong> ({{.Size}})
{{- end}}</p>
<p><strong>케이스 {{.CaseID}}: {{.Title}}</strong><br>상태: {{.State}}</p>
{{- if .Escalation}}
<p>에스컬레이션 사유: {{.Reason}}</p>
<div style="white-space:pre-wrap">{{.Justification}}</div>
{{- end}}
{{- if .Body}}
<div style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:12px">{{.Body}}</div>
{{- if .Truncated}}
<p>[…] 나머지 내용은 지원 센터에서 확인하세요.</p>{{end}}
{{- end}}
<p><a href="{{.Link}}">케이스 {{.CaseID}} 열기</a></p>
<p style="color:#666;font-size:smaller">이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다. 케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.</p>
`,
	},
})

// labels are the short words the templates fill in, by language.
type labels struct {
	what    map[string]string // subject ending, by event type
	states  map[string]string // case states
	reasons map[string]string // escalation reasons
	support string            // the support team, as an author
}

var words = map[string]labels{
	mail.English: {
		what: map[string]string{
			events.CaseCreated: "new case", events.CaseCommented: "new comment", events.CaseStateChanged: "status changed",
			events.CaseEscalated: "escalated", events.CaseClosed: "closed", events.CaseReopened: "reopened",
			events.CaseAttachmentAdded: "new attachment", events.CaseReminded: "waiting for your reply",
			events.CaseSLABreached: "SLA breached",
		},
		states: map[string]string{
			casestate.New: "New", casestate.InProgress: "In progress (support team)",
			casestate.ActionRequired: "Waiting for your reply", casestate.SolutionProvided: "Solution provided",
			casestate.Closed: "Closed",
		},
		reasons: map[string]string{
			"RESOLUTION_TIME": "Resolution time", "TECHNICAL_EXPERTISE": "Technical expertise", "BUSINESS_IMPACT": "Business impact",
		},
		support: "Support team",
	},
	mail.Korean: {
		what: map[string]string{
			events.CaseCreated: "새 케이스", events.CaseCommented: "새 댓글", events.CaseStateChanged: "상태 변경",
			events.CaseEscalated: "에스컬레이션", events.CaseClosed: "종료", events.CaseReopened: "다시 열림",
			events.CaseAttachmentAdded: "새 첨부 파일", events.CaseReminded: "답변 대기 중",
			events.CaseSLABreached: "SLA 위반",
		},
		states: map[string]string{
			casestate.New: "신규", casestate.InProgress: "지원팀 처리 중",
			casestate.ActionRequired: "고객 응답 필요", casestate.SolutionProvided: "해결 방법 제공됨",
			casestate.Closed: "종료됨",
		},
		reasons: map[string]string{
			"RESOLUTION_TIME": "해결 시간", "TECHNICAL_EXPERTISE": "기술 전문성", "BUSINESS_IMPACT": "비즈니스 영향",
		},
		support: "지원팀",
	},
}

// label returns m[key], or key itself when m has no entry (a state or
// reason added later still renders, untranslated).
func label(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	return key
}
