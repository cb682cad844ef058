package knownissues

import (
	"bytes"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// oneClick serves {PORTAL_URL}/v2/unsubscribe?token=… without sign-in; the
// signed token names one subscriber of one issue (package unsubscribe).
//
//   - GET shows a small page in the person's language with a button and
//     changes nothing: mail scanners and link previews fetch links.
//   - POST with the form field List-Unsubscribe=One-Click (what RFC 8058
//     mail clients send, and what the page's button sends) unsubscribes.
//     Doing it twice is fine.
//   - A token that does not verify, or a POST without the field, is a 400
//     page; never a stack trace.
func (h *Handler) oneClick(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := acceptLanguage(r)
	token := r.URL.Query().Get("token")
	issueID, subKey, err := h.signer.Parse(token)
	if err != nil {
		writePage(w, http.StatusBadRequest, lang, pageData{Kind: "invalid"})
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		sub, err := h.deps.Store.Subscription(ctx, issueID, subKey)
		if err != nil {
			h.pageError(w, r, lang, err)
			return
		}
		if sub != nil {
			lang = mail.Lang(sub.Lang)
		}
		ki, err := h.deps.Store.KnownIssue(ctx, issueID)
		if err != nil && !store.IsNotFound(err) {
			h.pageError(w, r, lang, err)
			return
		}
		d := pageData{Kind: "confirm", Action: "?token=" + url.QueryEscape(token), Subscribed: sub != nil}
		if ki != nil {
			d.Title = ki.Title
		}
		writePage(w, http.StatusOK, lang, d)
	case http.MethodPost:
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writePage(w, http.StatusBadRequest, lang, pageData{Kind: "invalid"})
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("List-Unsubscribe") != "One-Click" {
			writePage(w, http.StatusBadRequest, lang, pageData{Kind: "invalid"})
			return
		}
		sub, err := h.deps.Store.Unsubscribe(ctx, issueID, subKey)
		if err != nil {
			h.pageError(w, r, lang, err)
			return
		}
		if sub != nil {
			lang = mail.Lang(sub.Lang)
			h.deps.Logger.InfoContext(ctx, "unsubscribed by one-click link", "knownIssueId", issueID, "subscriber", subKey)
		}
		d := pageData{Kind: "done"}
		if ki, err := h.deps.Store.KnownIssue(ctx, issueID); err == nil {
			d.Title = ki.Title
		}
		writePage(w, http.StatusOK, lang, d)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writePage(w, http.StatusMethodNotAllowed, lang, pageData{Kind: "invalid"})
	}
}

func (h *Handler) pageError(w http.ResponseWriter, r *http.Request, lang string, err error) {
	h.deps.Logger.ErrorContext(r.Context(), "one-click unsubscribe failed", "error", err.Error())
	writePage(w, http.StatusServiceUnavailable, lang, pageData{Kind: "error"})
}

// acceptLanguage is the page language before the subscriber is known.
func acceptLanguage(r *http.Request) string {
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(first, ";")
	return mail.Lang(first)
}

type pageData struct {
	Kind       string // confirm | done | invalid | error
	Title      string // the issue's title (escaped by html/template)
	Action     string
	Subscribed bool
	T          map[string]string
}

var pageText = map[string]map[string]string{
	mail.English: {
		"heading":    "Known issue e-mails",
		"confirm":    "Stop e-mails about this known issue?",
		"notSub":     "You are not subscribed to this known issue (any more).",
		"button":     "Unsubscribe",
		"done":       "You are unsubscribed. You will get no more e-mails about this known issue. Your organisation's support case stays open as ordinary support.",
		"invalid":    "This unsubscribe link is not valid. Use the link from the latest e-mail, or unsubscribe in the Support Center.",
		"error":      "Something went wrong. Please try again in a minute.",
		"issueLabel": "Known issue:",
	},
	mail.Korean: {
		"heading":    "알려진 문제 이메일",
		"confirm":    "이 알려진 문제에 대한 이메일 수신을 중단하시겠습니까?",
		"notSub":     "이 알려진 문제를 구독하고 있지 않습니다.",
		"button":     "수신 거부",
		"done":       "수신 거부되었습니다. 이 알려진 문제에 대한 이메일을 더 이상 받지 않습니다. 조직의 지원 케이스는 일반 지원으로 계속 유지됩니다.",
		"invalid":    "유효하지 않은 수신 거부 링크입니다. 최신 이메일의 링크를 사용하거나 Support Center에서 수신 거부하세요.",
		"error":      "문제가 발생했습니다. 잠시 후 다시 시도해 주세요.",
		"issueLabel": "알려진 문제:",
	},
}

var page = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{{.D.T.heading}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}</style>
</head><body><h1>{{.D.T.heading}}</h1>
{{- if .D.Title}}<p>{{.D.T.issueLabel}} <strong>{{.D.Title}}</strong></p>{{end}}
{{- if eq .D.Kind "confirm"}}
{{- if .D.Subscribed}}<p>{{.D.T.confirm}}</p>
<form method="post" action="{{.D.Action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">{{.D.T.button}}</button></form>
{{- else}}<p>{{.D.T.notSub}}</p>{{end}}
{{- else if eq .D.Kind "done"}}<p>{{.D.T.done}}</p>
{{- else if eq .D.Kind "error"}}<p>{{.D.T.error}}</p>
{{- else}}<p>{{.D.T.invalid}}</p>{{end}}
</body></html>
`))

func writePage(w http.ResponseWriter, status int, lang string, d pageData) {
	d.T = pageText[mail.Lang(lang)]
	var b bytes.Buffer
	if err := page.Execute(&b, struct {
		Lang string
		D    pageData
	}{mail.Lang(lang), d}); err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
