package notify

import "github.com/supportcenter/supportcenter/shared/mail"

// The e-mails of the case clocks (the close-stale-cases sweep), in English
// and Korean like caseEmail: the reminder to the customer side, the
// closing e-mail of an automatic close (with the survey), and the SLA
// breach alert to the support team. Values come from clockData; user
// content (the title) is escaped in the HTML part by html/template.

var reminderEmail = mail.MustTemplate("case-reminder", map[string]mail.Source{
	mail.English: {
		Subject: `[Case {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `Case {{.CaseID}} is waiting for your reply.
{{if .CloseTime}}If we do not hear from you, it will close automatically on {{.CloseTime}}. Any reply keeps it open.{{else}}Any reply lets us continue.{{end}}

Case {{.CaseID}}: {{.Title}}
Status: {{.State}}

Reply on the case: {{.Link}}

--
You receive this e-mail because you filed this case or subscribe to it.
To stop case e-mails, set your notification preference to "None" in the Support Center.
`,
		HTML: `<p>Case {{.CaseID}} is waiting for your reply.
{{if .CloseTime}}If we do not hear from you, it will close automatically on <strong>{{.CloseTime}}</strong>. Any reply keeps it open.{{else}}Any reply lets us continue.{{end}}</p>
<p><strong>Case {{.CaseID}}: {{.Title}}</strong><br>Status: {{.State}}</p>
<p><a href="{{.Link}}">Reply on case {{.CaseID}}</a></p>
<p style="color:#666;font-size:smaller">You receive this e-mail because you filed this case or subscribe to it. To stop case e-mails, set your notification preference to "None" in the Support Center.</p>
`,
	},
	mail.Korean: {
		Subject: `[케이스 {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `케이스 {{.CaseID}}에 대한 고객님의 답변을 기다리고 있습니다.
{{if .CloseTime}}답변이 없으면 {{.CloseTime}}에 자동으로 종료됩니다. 답변을 남기시면 케이스는 계속 열려 있습니다.{{else}}답변을 남기시면 계속 지원해 드리겠습니다.{{end}}

케이스 {{.CaseID}}: {{.Title}}
상태: {{.State}}

케이스에 답변하기: {{.Link}}

--
이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다.
케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.
`,
		HTML: `<p>케이스 {{.CaseID}}에 대한 고객님의 답변을 기다리고 있습니다.
{{if .CloseTime}}답변이 없으면 <strong>{{.CloseTime}}</strong>에 자동으로 종료됩니다. 답변을 남기시면 케이스는 계속 열려 있습니다.{{else}}답변을 남기시면 계속 지원해 드리겠습니다.{{end}}</p>
<p><strong>케이스 {{.CaseID}}: {{.Title}}</strong><br>상태: {{.State}}</p>
<p><a href="{{.Link}}">케이스 {{.CaseID}}에 답변하기</a></p>
<p style="color:#666;font-size:smaller">이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다. 케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.</p>
`,
	},
})

var autoCloseEmail = mail.MustTemplate("case-auto-close", map[string]mail.Source{
	mail.English: {
		Subject: `[Case {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `The case was closed automatically{{if .Days}}: it waited {{.Days}} days for your reply after our last update{{end}}. To reopen it, comment on it within {{.ReopenDays}} days; after that, please open a new case.

Case {{.CaseID}}: {{.Title}}
Status: {{.State}}

How did we do? Rate our support on the case: {{.Link}}

--
You receive this e-mail because you filed this case or subscribe to it.
To stop case e-mails, set your notification preference to "None" in the Support Center.
`,
		HTML: `<p>The case was closed automatically{{if .Days}}: it waited {{.Days}} days for your reply after our last update{{end}}. To reopen it, comment on it within {{.ReopenDays}} days; after that, please open a new case.</p>
<p><strong>Case {{.CaseID}}: {{.Title}}</strong><br>Status: {{.State}}</p>
<p>How did we do? <a href="{{.Link}}">Rate our support on case {{.CaseID}}</a></p>
<p style="color:#666;font-size:smaller">You receive this e-mail because you filed this case or subscribe to it. To stop case e-mails, set your notification preference to "None" in the Support Center.</p>
`,
	},
	mail.Korean: {
		Subject: `[케이스 {{.CaseID}}] {{.Title}} — {{.What}}`,
		Text: `케이스가 자동으로 종료되었습니다{{if .Days}}: 마지막 업데이트 후 {{.Days}}일 동안 고객님의 답변이 없었습니다{{end}}. 종료 후 {{.ReopenDays}}일 이내에 댓글을 남기면 케이스가 다시 열립니다. 그 이후에는 새 케이스를 등록해 주세요.

케이스 {{.CaseID}}: {{.Title}}
상태: {{.State}}

지원에 만족하셨나요? 케이스에서 평가해 주세요: {{.Link}}

--
이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다.
케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.
`,
		HTML: `<p>케이스가 자동으로 종료되었습니다{{if .Days}}: 마지막 업데이트 후 {{.Days}}일 동안 고객님의 답변이 없었습니다{{end}}. 종료 후 {{.ReopenDays}}일 이내에 댓글을 남기면 케이스가 다시 열립니다. 그 이후에는 새 케이스를 등록해 주세요.</p>
<p><strong>케이스 {{.CaseID}}: {{.Title}}</strong><br>상태: {{.State}}</p>
<p>지원에 만족하셨나요? <a href="{{.Link}}">케이스 {{.CaseID}}에서 평가하기</a></p>
<p style="color:#666;font-size:smaller">이 케이스를 등록했거나 구독 중이어서 이 이메일을 받으셨습니다. 케이스 이메일을 받지 않으려면 지원 센터에서 알림 설정을 "받지 않음"으로 변경하세요.</p>
`,
	},
})

var breachEmail = mail.MustTemplate("case-sla-breach", map[string]mail.Source{
	mail.English: {
		Subject: `[Case {{.CaseID}}] {{.Title}} — {{.What}} ({{.Priority}})`,
		Text: `The {{if .NextResponse}}next-response{{else}}first-response{{end}} target of case {{.CaseID}} was due at {{.Due}} and support has not answered.

Case {{.CaseID}}: {{.Title}}
Organisation: {{.OrgID}}
Priority: {{.Priority}}
Status: {{.State}}

Open the case: {{.Link}}

--
You receive this e-mail because this address is the support team's SLA alert address (SLA_ALERT_EMAIL).
`,
		HTML: `<p>The {{if .NextResponse}}next-response{{else}}first-response{{end}} target of case {{.CaseID}} was due at <strong>{{.Due}}</strong> and support has not answered.</p>
<p><strong>Case {{.CaseID}}: {{.Title}}</strong><br>Organisation: {{.OrgID}}<br>Priority: {{.Priority}}<br>Status: {{.State}}</p>
<p><a href="{{.Link}}">Open case {{.CaseID}}</a></p>
<p style="color:#666;font-size:smaller">You receive this e-mail because this address is the support team's SLA alert address (SLA_ALERT_EMAIL).</p>
`,
	},
	mail.Korean: {
		Subject: `[케이스 {{.CaseID}}] {{.Title}} — {{.What}} ({{.Priority}})`,
		Text: `케이스 {{.CaseID}}의 {{if .NextResponse}}후속 응답{{else}}최초 응답{{end}} 목표 시간({{.Due}})이 지났지만 지원팀이 아직 답변하지 않았습니다.

케이스 {{.CaseID}}: {{.Title}}
조직: {{.OrgID}}
우선순위: {{.Priority}}
상태: {{.State}}

케이스 열기: {{.Link}}

--
이 주소가 지원팀의 SLA 알림 주소(SLA_ALERT_EMAIL)이어서 이 이메일을 받으셨습니다.
`,
		HTML: `<p>케이스 {{.CaseID}}의 {{if .NextResponse}}후속 응답{{else}}최초 응답{{end}} 목표 시간(<strong>{{.Due}}</strong>)이 지났지만 지원팀이 아직 답변하지 않았습니다.</p>
<p><strong>케이스 {{.CaseID}}: {{.Title}}</strong><br>조직: {{.OrgID}}<br>우선순위: {{.Priority}}<br>상태: {{.State}}</p>
<p><a href="{{.Link}}">케이스 {{.CaseID}} 열기</a></p>
<p style="color:#666;font-size:smaller">이 주소가 지원팀의 SLA 알림 주소(SLA_ALERT_EMAIL)이어서 이 이메일을 받으셨습니다.</p>
`,
	},
})
