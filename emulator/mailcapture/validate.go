package mailcapture

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Limits enforced by the SendGrid v3 Mail Send endpoint.
const (
	// MaxBodyBytes is the largest request body accepted (SendGrid's total
	// message size limit). Larger bodies are rejected with 413.
	MaxBodyBytes = 20 << 20
	// MaxPersonalizations is the most personalizations one request may hold.
	MaxPersonalizations = 1000
	// MaxRecipients is the most to+cc+bcc recipients one request may hold.
	MaxRecipients = 1000

	// maxErrors caps the error list so a huge, broken body cannot produce
	// an even larger error response.
	maxErrors = 1000
)

// helpBase is the prefix SendGrid uses for the "help" links in its errors.
const helpBase = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html"

// Error messages, worded as SendGrid words them.
const (
	msgBadRequest           = "Bad Request"
	msgPersonalizationsNone = "The personalizations field is required and must have at least one personalization."
	msgRecipientsLimit      = "There is a limit of 1000 total recipients (to + cc + bcc) per request."
	msgToRequired           = "The to array is required for all personalization objects, and must have at least one email object with a valid email address."
	msgInvalidAddress       = "Does not contain a valid address."
	msgFromRequired         = `The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.`
	msgFromInvalid          = "The from email does not contain a valid address."
	msgReplyToRequired      = "The reply_to email parameter is required."
	msgReplyToInvalid       = "The reply_to email does not contain a valid address."
	msgSubjectRequired      = "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined."
	msgContentRequired      = "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required."
	msgContentTypeRequired  = "The content type must be a string at least one character in length."
	msgContentTypeInvalid   = "The content type cannot contain ';', or CRLF characters."
	msgContentValueRequired = "The content value must be a string at least one character in length."
	msgContentOrder         = "Following RFC 1341, section 7.2, if either text/html or text/plain are to be sent in your email: text/plain needs to be first, followed by text/html, followed by any other content."
	msgContentDuplicate     = "If present, text/plain and text/html may only be provided once."
	msgAttachmentContent    = "The attachment content is required."
	msgAttachmentBase64     = "The attachment content must be base64 encoded."
	msgAttachmentFilename   = "The attachment filename parameter is required."
	msgAttachmentType       = "The attachment type cannot contain ';', or CRLF characters."
)

// apiError is one entry of SendGrid's {"errors":[...]} response body.
// Field and Help are null when they do not apply.
type apiError struct {
	Message string  `json:"message"`
	Field   *string `json:"field"`
	Help    *string `json:"help"`
}

// errorBody is SendGrid's error response envelope.
type errorBody struct {
	Errors []apiError `json:"errors"`
}

func newError(message, field, helpAnchor string) apiError {
	e := apiError{Message: message}
	if field != "" {
		e.Field = &field
	}
	if helpAnchor != "" {
		help := helpBase + helpAnchor
		e.Help = &help
	}
	return e
}

// Address is a SendGrid email object.
type Address struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

// Content is one entry of the SendGrid content array.
type Content struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Personalization is one SendGrid personalization as received.
// EffectiveSubject is filled in by the capture server: the personalization's
// own subject, or the message subject when it has none.
type Personalization struct {
	To                  []Address         `json:"to"`
	Cc                  []Address         `json:"cc,omitempty"`
	Bcc                 []Address         `json:"bcc,omitempty"`
	From                *Address          `json:"from,omitempty"`
	Subject             string            `json:"subject,omitempty"`
	Headers             map[string]string `json:"headers,omitempty"`
	Substitutions       map[string]string `json:"substitutions,omitempty"`
	CustomArgs          map[string]string `json:"custom_args,omitempty"`
	DynamicTemplateData json.RawMessage   `json:"dynamic_template_data,omitempty"`
	SendAt              int64             `json:"send_at,omitempty"`
	EffectiveSubject    string            `json:"effectiveSubject"`
}

// sendRequest is the part of the SendGrid v3 mail/send body the capture
// server reads. Unknown fields are ignored, as SendGrid ignores them.
type sendRequest struct {
	Personalizations []Personalization `json:"personalizations"`
	From             *Address          `json:"from"`
	ReplyTo          *Address          `json:"reply_to"`
	Subject          string            `json:"subject"`
	Content          []Content         `json:"content"`
	Attachments      []attachment      `json:"attachments"`
	TemplateID       string            `json:"template_id"`
	Headers          map[string]string `json:"headers"`
	Categories       []string          `json:"categories"`
	CustomArgs       map[string]string `json:"custom_args"`
	MailSettings     *mailSettings     `json:"mail_settings"`
}

type attachment struct {
	Content     string `json:"content"`
	Type        string `json:"type"`
	Filename    string `json:"filename"`
	Disposition string `json:"disposition"`
	ContentID   string `json:"content_id"`
}

type mailSettings struct {
	SandboxMode *struct {
		Enable bool `json:"enable"`
	} `json:"sandbox_mode"`
}

// sandbox reports whether the request asks for SendGrid's sandbox mode, in
// which a valid message is acknowledged with 200 and not delivered.
func (r *sendRequest) sandbox() bool {
	return r.MailSettings != nil && r.MailSettings.SandboxMode != nil && r.MailSettings.SandboxMode.Enable
}

// parseSendRequest decodes and validates a mail/send body. It returns the
// request, or every problem found in SendGrid's error format.
func parseSendRequest(body []byte) (*sendRequest, []apiError) {
	var req sendRequest
	if err := json.Unmarshal(body, &req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, []apiError{typeError(typeErr)}
		}
		return nil, []apiError{{Message: msgBadRequest}}
	}
	if errs := validate(&req); len(errs) > 0 {
		return nil, errs
	}
	return &req, nil
}

// typeError reports a JSON value of the wrong type the way SendGrid's schema
// validation does: "Invalid type. Expected: object, given: string."
func typeError(err *json.UnmarshalTypeError) apiError {
	given, _, _ := strings.Cut(err.Value, " ")
	if given == "bool" {
		given = "boolean"
	}
	return newError(
		fmt.Sprintf("Invalid type. Expected: %s, given: %s.", jsonTypeName(err.Type), given),
		err.Field, "")
}

func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "unknown"
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		return "object"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	default:
		return "object"
	}
}

// errorList collects validation errors up to maxErrors.
type errorList []apiError

func (l *errorList) add(message, field, helpAnchor string) {
	if len(*l) < maxErrors {
		*l = append(*l, newError(message, field, helpAnchor))
	}
}

// validate applies SendGrid's mail/send rules and returns every problem.
func validate(req *sendRequest) []apiError {
	var errs errorList
	validateFrom(&errs, req.From, "from", msgFromRequired, msgFromInvalid)
	if req.ReplyTo != nil {
		validateFrom(&errs, req.ReplyTo, "reply_to", msgReplyToRequired, msgReplyToInvalid)
	}
	validatePersonalizations(&errs, req.Personalizations)
	validateSubject(&errs, req)
	validateContent(&errs, req.Content, req.TemplateID != "")
	validateAttachments(&errs, req.Attachments)
	return errs
}

// validateFrom checks a single sender-like address (from, reply_to,
// personalizations.N.from).
func validateFrom(errs *errorList, a *Address, field, requiredMsg, invalidMsg string) {
	anchor := "#message." + field
	switch {
	case a == nil || a.Email == "":
		errs.add(requiredMsg, field+".email", anchor)
	case !validEmail(a.Email):
		errs.add(invalidMsg, field+".email", anchor)
	}
}

func validatePersonalizations(errs *errorList, ps []Personalization) {
	const anchor = "#message.personalizations"
	if len(ps) == 0 {
		errs.add(msgPersonalizationsNone, "personalizations", "#-Personalizations-Errors")
		return
	}
	if len(ps) > MaxPersonalizations {
		errs.add(fmt.Sprintf("The personalization block is limited to %d personalizations per API request. You have provided %d personalizations. Please consider splitting this into multiple requests and resending your request.", MaxPersonalizations, len(ps)),
			"personalizations", anchor)
	}
	recipients := 0
	for i, p := range ps {
		prefix := fmt.Sprintf("personalizations.%d", i)
		if len(p.To) == 0 {
			errs.add(msgToRequired, prefix+".to", anchor+".to")
		}
		if p.From != nil {
			validateFrom(errs, p.From, prefix+".from", msgFromRequired, msgFromInvalid)
		}
		if len(p.DynamicTemplateData) > 0 {
			if kind := jsonKind(p.DynamicTemplateData); kind != "object" && kind != "null" {
				errs.add(fmt.Sprintf("Invalid type. Expected: object, given: %s.", kind),
					prefix+".dynamic_template_data", "")
			}
		}
		recipients += len(p.To) + len(p.Cc) + len(p.Bcc)

		seen := make(map[string]bool)
		duplicateReported := false
		lists := []struct {
			kind string
			list []Address
		}{{"to", p.To}, {"cc", p.Cc}, {"bcc", p.Bcc}}
		for _, l := range lists {
			for j, a := range l.list {
				field := fmt.Sprintf("%s.%s.%d.email", prefix, l.kind, j)
				if a.Email == "" {
					errs.add("The "+l.kind+" email parameter is required.", field, anchor+"."+l.kind)
					continue
				}
				if !validEmail(a.Email) {
					errs.add(msgInvalidAddress, field, anchor+"."+l.kind)
					continue
				}
				key := strings.ToLower(a.Email)
				if seen[key] && !duplicateReported {
					errs.add(fmt.Sprintf("Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [%s] in the %s.%s field.", a.Email, prefix, l.kind),
						prefix, anchor)
					duplicateReported = true
				}
				seen[key] = true
			}
		}
	}
	if recipients > MaxRecipients {
		errs.add(msgRecipientsLimit, "personalizations", anchor)
	}
}

// validateSubject requires a subject unless a template is used or every
// personalization carries its own subject.
func validateSubject(errs *errorList, req *sendRequest) {
	if req.Subject != "" || req.TemplateID != "" {
		return
	}
	everyHasSubject := len(req.Personalizations) > 0
	for _, p := range req.Personalizations {
		if p.Subject == "" {
			everyHasSubject = false
			break
		}
	}
	if !everyHasSubject {
		errs.add(msgSubjectRequired, "subject", "#message.subject")
	}
}

func validateContent(errs *errorList, content []Content, hasTemplate bool) {
	if len(content) == 0 {
		if !hasTemplate {
			errs.add(msgContentRequired, "content", "#message.content")
		}
		return
	}
	plain, html := -1, -1
	duplicate := false
	for i, c := range content {
		prefix := fmt.Sprintf("content.%d", i)
		switch {
		case c.Type == "":
			errs.add(msgContentTypeRequired, prefix+".type", "#message.content.type")
		case strings.ContainsAny(c.Type, ";\r\n"):
			errs.add(msgContentTypeInvalid, prefix+".type", "#message.content.type")
		}
		if c.Value == "" {
			errs.add(msgContentValueRequired, prefix+".value", "#message.content.value")
		}
		switch strings.ToLower(strings.TrimSpace(c.Type)) {
		case "text/plain":
			if plain >= 0 {
				duplicate = true
			} else {
				plain = i
			}
		case "text/html":
			if html >= 0 {
				duplicate = true
			} else {
				html = i
			}
		}
	}
	if duplicate {
		errs.add(msgContentDuplicate, "content", "")
		return
	}
	wantHTML := 0
	if plain >= 0 {
		wantHTML = 1
	}
	if (plain >= 0 && plain != 0) || (html >= 0 && html != wantHTML) {
		errs.add(msgContentOrder, "content", "")
	}
}

func validateAttachments(errs *errorList, attachments []attachment) {
	for i, a := range attachments {
		prefix := fmt.Sprintf("attachments.%d", i)
		switch {
		case a.Content == "":
			errs.add(msgAttachmentContent, prefix+".content", "#message.attachments.content")
		default:
			if _, err := decodedSize(a.Content); err != nil {
				errs.add(msgAttachmentBase64, prefix+".content", "#message.attachments.content")
			}
		}
		if a.Filename == "" {
			errs.add(msgAttachmentFilename, prefix+".filename", "#message.attachments.filename")
		}
		if strings.ContainsAny(a.Type, ";\r\n") {
			errs.add(msgAttachmentType, prefix+".type", "#message.attachments.type")
		}
	}
}

// decodedSize returns the number of bytes a standard base64 string decodes
// to. Line breaks are ignored, as in MIME-wrapped base64.
func decodedSize(s string) (int64, error) {
	return io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, strings.NewReader(s)))
}

// jsonKind names the JSON type of a raw value by its first byte.
func jsonKind(raw json.RawMessage) string {
	s := strings.TrimLeft(string(raw), " \t\r\n")
	if s == "" {
		return "null"
	}
	switch s[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// validEmail reports whether s is a plain addr-spec (local@domain) of the
// kind SendGrid accepts: a dot-atom local part and a dotted host name.
// Display names ("Name <a@b.c>"), quoted local parts, IP literals and
// single-label domains are rejected.
func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 {
		return false
	}
	return validLocalPart(s[:at]) && validDomain(s[at+1:])
}

func validLocalPart(local string) bool {
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if isAlnum(c) || c == '.' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

func validDomain(domain string) bool {
	if len(domain) > 253 {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if !isAlnum(label[i]) && label[i] != '-' {
				return false
			}
		}
	}
	// The top-level domain is never all digits (that would be an IP address).
	tld := labels[len(labels)-1]
	return strings.Trim(tld, "0123456789") != ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
