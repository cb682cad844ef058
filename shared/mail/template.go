package mail

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// Languages every template must provide.
const (
	English = "en"
	Korean  = "ko"
)

// Languages lists the supported languages.
var Languages = []string{English, Korean}

// Lang maps a user's language setting to a supported language: Korean for
// "ko" and its regional forms ("ko-KR"), English otherwise.
func Lang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == Korean || strings.HasPrefix(s, Korean+"-") || strings.HasPrefix(s, Korean+"_") {
		return Korean
	}
	return English
}

// Source is one language's version of a template: a subject and a text
// body (text/template) and an HTML body (html/template, so every value is
// escaped for its context: user-supplied titles and names cannot inject
// markup or scripts, and links are checked for safe schemes).
type Source struct {
	Subject string
	Text    string
	HTML    string
}

// Template is an e-mail in every supported language.
type Template struct {
	name    string
	subject map[string]*texttemplate.Template
	text    map[string]*texttemplate.Template
	html    map[string]*htmltemplate.Template
}

// Rendered is a template rendered for one language and data.
type Rendered struct {
	Lang    string
	Subject string
	Text    string
	HTML    string
}

// NewTemplate parses sources (by language; every language in Languages is
// required). Templates fail on missing keys rather than print "<no value>".
func NewTemplate(name string, sources map[string]Source) (*Template, error) {
	t := &Template{name: name, subject: map[string]*texttemplate.Template{},
		text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	var errs []error
	for _, lang := range Languages {
		src, ok := sources[lang]
		if !ok {
			errs = append(errs, fmt.Errorf("mail template %s: no %q version", name, lang))
			continue
		}
		id := name + "." + lang
		var err error
		if t.subject[lang], err = texttemplate.New(id + ".subject").Option("missingkey=error").Parse(src.Subject); err != nil {
			errs = append(errs, err)
		}
		if t.text[lang], err = texttemplate.New(id + ".text").Option("missingkey=error").Parse(src.Text); err != nil {
			errs = append(errs, err)
		}
		if src.HTML != "" {
			if t.html[lang], err = htmltemplate.New(id + ".html").Option("missingkey=error").Parse(src.HTML); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for lang := range sources {
		if Lang(lang) != lang {
			errs = append(errs, fmt.Errorf("mail template %s: unsupported language %q", name, lang))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// MustTemplate is NewTemplate for package-level templates; it panics on error.
func MustTemplate(name string, sources map[string]Source) *Template {
	t, err := NewTemplate(name, sources)
	if err != nil {
		panic(err)
	}
	return t
}

// Render renders the template in lang (see Lang) with data.
func (t *Template) Render(lang string, data any) (Rendered, error) {
	lang = Lang(lang)
	out := Rendered{Lang: lang}
	var b bytes.Buffer
	if err := t.subject[lang].Execute(&b, data); err != nil {
		return Rendered{}, fmt.Errorf("mail template %s: %w", t.name, err)
	}
	out.Subject = oneLine(b.String())
	b.Reset()
	if err := t.text[lang].Execute(&b, data); err != nil {
		return Rendered{}, fmt.Errorf("mail template %s: %w", t.name, err)
	}
	out.Text = b.String()
	if h := t.html[lang]; h != nil {
		b.Reset()
		if err := h.Execute(&b, data); err != nil {
			return Rendered{}, fmt.Errorf("mail template %s: %w", t.name, err)
		}
		out.HTML = b.String()
	}
	return out, nil
}

// Message returns a Message to recipients with the rendered content.
func (r Rendered) Message(to ...Address) Message {
	return Message{To: to, Subject: r.Subject, Text: r.Text, HTML: r.HTML}
}
