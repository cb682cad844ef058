package knownissuefanout

import (
	"crypto/rand"
	"encoding/hex"
	"html"
	"strings"

	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
	"github.com/supportcenter/supportcenter/shared/unsubscribe"
)

// The e-mail of one update. The issue's title and the update are English
// (known issues are published in English); the chrome around them is in
// each recipient's language. All recipients of a batch share one body, so
// the chrome and the personal unsubscribe link reach each personalization
// as SendGrid substitutions: tags in the body that SendGrid replaces per
// recipient. Tags carry a random nonce per message, so text in an update
// can never be mistaken for one. User content is escaped for HTML
// (html.EscapeString) and kept verbatim in the text part, which mail
// clients never interpret as markup.

// chrome is the text around the content, per language; every language
// has every key (a test checks).
var chrome = map[string]map[string]string{
	mail.English: {
		"subjectUpdate":   "[Known issue update] ",
		"subjectResolved": "[Known issue resolved] ",
		"introUpdate":     "The support team posted an update to a known issue you follow:",
		"introResolved":   "The support team resolved a known issue you follow:",
		"open":            "Details and all updates",
		"why":             "You receive this e-mail because you clicked \"me too\" on this known issue. Your organisation's support case about it continues as ordinary support.",
		"unsubscribe":     "Stop e-mails about this known issue",
	},
	mail.Korean: {
		"subjectUpdate":   "[알려진 문제 업데이트] ",
		"subjectResolved": "[알려진 문제 해결] ",
		"introUpdate":     "구독 중인 알려진 문제에 대해 지원팀이 업데이트를 게시했습니다:",
		"introResolved":   "구독 중인 알려진 문제를 지원팀이 해결했습니다:",
		"open":            "자세한 내용 및 전체 업데이트",
		"why":             "이 알려진 문제에 \"나도 영향받음\"을 선택하셨기 때문에 이 이메일을 받습니다. 조직의 관련 지원 케이스는 일반 지원으로 계속됩니다.",
		"unsubscribe":     "이 알려진 문제에 대한 이메일 수신 거부",
	},
}

// tagNames are the substituted pieces of chrome (text and HTML versions).
var tagNames = []string{"intro", "open", "why", "unsubscribe"}

// content is one update's e-mail, rendered once per fan-out.
type content struct {
	issueID  string
	title    string
	resolved bool
	text     string
	html     string
	nonce    string
}

func newContent(ki *store.KnownIssue, u *store.KnownIssueUpdate, portalURL string) *content {
	var b [4]byte
	_, _ = rand.Read(b[:])
	c := &content{issueID: ki.ID, title: ki.Title, resolved: u.Resolution, nonce: hex.EncodeToString(b[:])}
	link := strings.TrimRight(portalURL, "/") + "/knownIssues/" + ki.ID
	t := func(name string) string { return c.tag("t", name) }
	hh := func(name string) string { return c.tag("h", name) }
	c.text = t("intro") + "\n\n" + ki.Title + "\n\n" + u.Body + "\n\n" + t("open") + ": " + link + "\n\n--\n" +
		t("why") + "\n" + t("unsubscribe") + ": " + c.tag("u", "url") + "\n"
	c.html = "<p>" + hh("intro") + "</p>\n<h2>" + html.EscapeString(ki.Title) + "</h2>\n" +
		`<div style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:12px">` + html.EscapeString(u.Body) + "</div>\n" +
		`<p><a href="` + html.EscapeString(link) + `">` + hh("open") + "</a></p>\n" +
		`<p style="color:#666;font-size:smaller">` + hh("why") + `<br><a href="` + c.tag("u", "url") + `">` + hh("unsubscribe") + "</a></p>\n"
	return c
}

// tag is the substitution tag of one piece: kind t (text), h (HTML) or u (URL).
func (c *content) tag(kind, name string) string { return "%ki" + c.nonce + kind + "_" + name + "%" }

// message is the SendGrid request for recipients.
func (c *content) message(recipients []*store.Subscriber, signer *unsubscribe.Signer, portalURL string) mail.Message {
	base := strings.TrimRight(portalURL, "/") + "/v2/unsubscribe?token="
	m := mail.Message{
		Subject: c.subject(mail.English), Text: c.text, HTML: c.html,
		Categories: []string{"known-issue-update"},
		// RFC 8058: the List-Unsubscribe URL (per recipient) takes a POST.
		Headers:  map[string]string{"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
		Personal: make([]mail.Personalization, 0, len(recipients)),
	}
	for _, s := range recipients {
		lang := mail.Lang(s.Lang)
		url := base + signer.Token(c.issueID, s.Key)
		subs := make(map[string]string, 2*len(tagNames)+1)
		for _, n := range tagNames {
			v := chrome[lang][c.pieceKey(n)]
			subs[c.tag("t", n)] = v
			subs[c.tag("h", n)] = html.EscapeString(v)
		}
		subs[c.tag("u", "url")] = url // token and id characters need no escaping
		m.Personal = append(m.Personal, mail.Personalization{
			To:            mail.Address{Email: s.Email},
			Subject:       c.subject(lang),
			Headers:       map[string]string{"List-Unsubscribe": "<" + url + ">"},
			Substitutions: subs,
		})
	}
	return m
}

// pieceKey maps a tag name to its chrome key.
func (c *content) pieceKey(name string) string {
	if name == "intro" {
		if c.resolved {
			return "introResolved"
		}
		return "introUpdate"
	}
	return name
}

func (c *content) subject(lang string) string {
	prefix := chrome[mail.Lang(lang)]["subjectUpdate"]
	if c.resolved {
		prefix = chrome[mail.Lang(lang)]["subjectResolved"]
	}
	return prefix + c.title
}
