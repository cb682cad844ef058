package provision

import "github.com/supportcenter/supportcenter/shared/mail"

// welcome is the welcome e-mail. Values are escaped in the HTML part by
// html/template; links are only ever Firebase action links and PORTAL_URL.
var welcome = mail.MustTemplate("welcome", map[string]mail.Source{
	mail.English: {
		Subject: "You have been added to {{.OrgName}} in the Support Center",
		Text: `Hello {{.Name}},

You have been added to the Support Center of {{.OrgName}}.
{{if .Pending}}Your access will be active by {{.ActivateTime}}. Until then, signing in shows that your access is being activated.{{else}}Your access is active now.{{end}}
{{if eq .LinkKind "password"}}
Set your password to sign in (the link works once and expires soon):
{{.Link}}
{{end}}
Open the Support Center: {{.PortalURL}}

You sign in with the same account as the admin console.
If you did not expect this e-mail, you can ignore it.
`,
		HTML: `<p>Hello {{.Name}},</p>
<p>You have been added to the Support Center of <strong>{{.OrgName}}</strong>.</p>
<p>{{if .Pending}}Your access will be active by {{.ActivateTime}}. Until then, signing in shows that your access is being activated.{{else}}Your access is active now.{{end}}</p>
{{if eq .LinkKind "password"}}<p><a href="{{.Link}}">Set your password</a> to sign in (the link works once and expires soon).</p>
{{end}}<p><a href="{{.PortalURL}}">Open the Support Center</a></p>
<p>You sign in with the same account as the admin console. If you did not expect this e-mail, you can ignore it.</p>
`,
	},
	mail.Korean: {
		Subject: "{{.OrgName}} 지원 센터 사용자로 추가되었습니다",
		Text: `{{.Name}}님, 안녕하세요.

{{.OrgName}}의 지원 센터 사용자로 추가되었습니다.
{{if .Pending}}{{.ActivateTime}}까지 액세스가 활성화됩니다. 그 전에 로그인하면 액세스가 활성화 중이라는 안내가 표시됩니다.{{else}}지금 바로 액세스할 수 있습니다.{{end}}
{{if eq .LinkKind "password"}}
아래 링크에서 비밀번호를 설정한 후 로그인하세요(한 번만 사용할 수 있으며 곧 만료됩니다):
{{.Link}}
{{end}}
지원 센터 열기: {{.PortalURL}}

관리 콘솔과 같은 계정으로 로그인합니다.
이 이메일을 예상하지 못하셨다면 무시하셔도 됩니다.
`,
		HTML: `<p>{{.Name}}님, 안녕하세요.</p>
<p><strong>{{.OrgName}}</strong>의 지원 센터 사용자로 추가되었습니다.</p>
<p>{{if .Pending}}{{.ActivateTime}}까지 액세스가 활성화됩니다. 그 전에 로그인하면 액세스가 활성화 중이라는 안내가 표시됩니다.{{else}}지금 바로 액세스할 수 있습니다.{{end}}</p>
{{if eq .LinkKind "password"}}<p><a href="{{.Link}}">비밀번호 설정</a> 후 로그인하세요(한 번만 사용할 수 있으며 곧 만료됩니다).</p>
{{end}}<p><a href="{{.PortalURL}}">지원 센터 열기</a></p>
<p>관리 콘솔과 같은 계정으로 로그인합니다. 이 이메일을 예상하지 못하셨다면 무시하셔도 됩니다.</p>
`,
	},
})
