package mailcapture

import (
	"html/template"
	"net/http"
	"strings"
	"time"
)

// pageLimit is how many of the newest messages the HTML page shows.
const pageLimit = 200

// pageCSP forbids scripts, remote loads and plugins on the page. A srcdoc
// iframe inherits this policy, so a captured HTML part cannot run scripts
// or fetch tracking pixels even apart from the iframe sandbox.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

// pageTemplate renders captured messages. html/template escapes every value;
// the HTML part is only ever shown as escaped source and inside a fully
// sandboxed srcdoc iframe, never as live markup on this page.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mail capture</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .5rem; margin: .3rem 0; max-height: 20rem; overflow: auto; }
iframe { width: 100%; height: 20rem; border: 1px solid #ccc; background: #fff; }
.muted { color: #777; }
</style>
</head>
<body>
<h1>Mail capture</h1>
<p class="muted">{{.Total}} message(s) captured{{if .Truncated}}, showing the newest {{len .Messages}}{{end}}. Newest first. JSON: <a href="/api/messages">/api/messages</a></p>
{{if .Messages}}
<table>
<thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead>
<tbody>
{{range .Messages}}
<tr>
<td>{{.Received}}</td>
<td>{{.From}}</td>
<td>{{.To}}</td>
<td>{{.Subject}}
{{if .Text}}<pre>{{.Text}}</pre>{{else}}<div class="muted">(no text/plain part)</div>{{end}}
{{if .HTML}}<details><summary>HTML part (sandboxed preview)</summary>
<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="{{.HTML}}"></iframe>
<pre>{{.HTML}}</pre>
</details>{{end}}
{{if .Attachments}}<div class="muted">Attachments: {{.Attachments}}</div>{{end}}
</td>
</tr>
{{end}}
</tbody>
</table>
{{else}}
<p>No messages yet.</p>
{{end}}
</body>
</html>
`))

type pageData struct {
	Total     int
	Truncated bool
	Messages  []pageMessage
}

type pageMessage struct {
	Received    string
	From        string
	To          string
	Subject     string
	Text        string
	HTML        string
	Attachments string
}

func (s *Server) handlePage(w http.ResponseWriter, _ *http.Request) {
	all := s.Messages()
	data := pageData{Total: len(all)}
	for i := len(all) - 1; i >= 0 && len(data.Messages) < pageLimit; i-- {
		data.Messages = append(data.Messages, newPageMessage(all[i]))
	}
	data.Truncated = len(data.Messages) < len(all)

	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	if err := pageTemplate.Execute(w, data); err != nil {
		s.log.Error("render page", "err", err)
	}
}

func newPageMessage(m Message) pageMessage {
	var to []string
	for _, p := range m.Personalizations {
		for _, a := range p.To {
			to = append(to, formatAddress(a))
		}
	}
	var files []string
	for _, a := range m.Attachments {
		files = append(files, a.Filename)
	}
	return pageMessage{
		Received:    m.ReceivedAt.Format(time.RFC3339),
		From:        formatAddress(m.From),
		To:          strings.Join(to, ", "),
		Subject:     m.Subject,
		Text:        m.Part("text/plain"),
		HTML:        m.Part("text/html"),
		Attachments: strings.Join(files, ", "),
	}
}

func formatAddress(a Address) string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}
