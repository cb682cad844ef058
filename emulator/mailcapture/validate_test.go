package mailcapture

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// validBody is a minimal request SendGrid accepts.
const validBody = `{
	"personalizations": [{"to": [{"email": "to@example.com"}]}],
	"from": {"email": "from@example.com"},
	"subject": "Hello",
	"content": [{"type": "text/plain", "value": "Hi"}]
}`

// wantError is an expected entry of the errors array. field "" means null.
type wantError struct {
	field   string
	message string // substring; "" skips the check
}

func TestSendValidation(t *testing.T) {
	manyPersonalizations := make([]string, MaxPersonalizations+1)
	for i := range manyPersonalizations {
		manyPersonalizations[i] = fmt.Sprintf(`{"to":[{"email":"u%d@example.com"}]}`, i)
	}
	manyTo := make([]string, 600)
	manyCc := make([]string, 401)
	for i := range manyTo {
		manyTo[i] = fmt.Sprintf(`{"email":"to%d@example.com"}`, i)
	}
	for i := range manyCc {
		manyCc[i] = fmt.Sprintf(`{"email":"cc%d@example.com"}`, i)
	}

	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantErrors []wantError // exact list, in order
	}{
		{
			name:       "valid minimal",
			body:       validBody,
			wantStatus: http.StatusAccepted,
		},
		{
			name: "valid full",
			body: `{
				"personalizations": [
					{"to": [{"email": "a@example.com", "name": "A"}], "cc": [{"email": "b@example.com"}], "bcc": [{"email": "c@example.com"}],
					 "subject": "Per A", "headers": {"X-A": "1"}, "substitutions": {"-name-": "A"}, "custom_args": {"k": "v"}}
				],
				"from": {"email": "from@example.com", "name": "Sender"},
				"reply_to": {"email": "reply@example.com"},
				"content": [{"type": "text/plain", "value": "Hi"}, {"type": "text/html", "value": "<p>Hi</p>"}, {"type": "text/calendar", "value": "BEGIN"}],
				"attachments": [{"content": "aGVsbG8=", "filename": "a.txt", "type": "text/plain"}],
				"categories": ["c1"], "custom_args": {"x": "y"}, "headers": {"X-Top": "t"},
				"unknown_field": {"is": "ignored"}
			}`,
			wantStatus: http.StatusAccepted,
		},
		{
			name:       "only html content",
			body:       strings.Replace(validBody, "text/plain", "text/html", 1),
			wantStatus: http.StatusAccepted,
		},
		{
			name: "subject in every personalization",
			body: `{"personalizations": [{"to": [{"email": "a@example.com"}], "subject": "A"}, {"to": [{"email": "b@example.com"}], "subject": "B"}],
				"from": {"email": "from@example.com"}, "content": [{"type": "text/plain", "value": "Hi"}]}`,
			wantStatus: http.StatusAccepted,
		},
		{
			name: "template replaces subject and content",
			body: `{"personalizations": [{"to": [{"email": "a@example.com"}], "dynamic_template_data": {"n": 1}}],
				"from": {"email": "from@example.com"}, "template_id": "d-123"}`,
			wantStatus: http.StatusAccepted,
		},
		{
			name: "same address in two personalizations is fine",
			body: `{"personalizations": [{"to": [{"email": "a@example.com"}]}, {"to": [{"email": "a@example.com"}]}],
				"from": {"email": "from@example.com"}, "subject": "s", "content": [{"type": "text/plain", "value": "Hi"}]}`,
			wantStatus: http.StatusAccepted,
		},
		{
			name:       "invalid JSON",
			body:       `{"personalizations": [`,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"", "Bad Request"}},
		},
		{
			name:       "empty body",
			body:       ``,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"", "Bad Request"}},
		},
		{
			name:       "trailing garbage",
			body:       validBody + `x`,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"", "Bad Request"}},
		},
		{
			name:       "wrong type",
			body:       strings.Replace(validBody, `{"email": "from@example.com"}`, `"from@example.com"`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"from", "Invalid type. Expected: object, given: string."}},
		},
		{
			name:       "everything missing",
			body:       `{}`,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{
				{"from.email", "The from object must be provided"},
				{"personalizations", "The personalizations field is required"},
				{"subject", "The subject is required"},
				{"content", "Unless a valid template_id is provided"},
			},
		},
		{
			name:       "empty personalizations",
			body:       strings.Replace(validBody, `[{"to": [{"email": "to@example.com"}]}]`, `[]`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations", "must have at least one personalization"}},
		},
		{
			name:       "too many personalizations",
			body:       strings.Replace(validBody, `[{"to": [{"email": "to@example.com"}]}]`, "["+strings.Join(manyPersonalizations, ",")+"]", 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{
				{"personalizations", "limited to 1000 personalizations per API request. You have provided 1001 personalizations"},
				{"personalizations", "There is a limit of 1000 total recipients"},
			},
		},
		{
			name: "too many recipients",
			body: strings.Replace(validBody, `[{"to": [{"email": "to@example.com"}]}]`,
				`[{"to": [`+strings.Join(manyTo, ",")+`], "cc": [`+strings.Join(manyCc, ",")+`]}]`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations", "There is a limit of 1000 total recipients (to + cc + bcc) per request."}},
		},
		{
			name:       "personalization without to",
			body:       strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`, `{"cc": [{"email": "cc@example.com"}]}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0.to", "The to array is required for all personalization objects"}},
		},
		{
			name:       "empty to array",
			body:       strings.Replace(validBody, `[{"email": "to@example.com"}]`, `[]`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0.to", "The to array is required"}},
		},
		{
			name: "invalid and missing recipient addresses",
			body: strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`,
				`{"to": [{"email": "not-an-address"}, {"name": "No Email"}], "cc": [{"email": "a@b"}], "bcc": [{"email": "Name <x@example.com>"}]}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{
				{"personalizations.0.to.0.email", "Does not contain a valid address."},
				{"personalizations.0.to.1.email", "The to email parameter is required."},
				{"personalizations.0.cc.0.email", "Does not contain a valid address."},
				{"personalizations.0.bcc.0.email", "Does not contain a valid address."},
			},
		},
		{
			name: "duplicate across to and cc, case-insensitive",
			body: strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`,
				`{"to": [{"email": "to@example.com"}], "cc": [{"email": "TO@example.com"}], "bcc": [{"email": "to@example.com"}]}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0", "We found the first duplicate instance of [TO@example.com] in the personalizations.0.cc field."}},
		},
		{
			name:       "duplicate within to",
			body:       strings.Replace(validBody, `[{"email": "to@example.com"}]`, `[{"email": "to@example.com"}, {"email": "to@example.com"}]`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0", "should be unique between to, cc, and bcc"}},
		},
		{
			name:       "from without email",
			body:       strings.Replace(validBody, `{"email": "from@example.com"}`, `{"name": "Sender"}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"from.email", "The from object must be provided for every email send."}},
		},
		{
			name:       "invalid from",
			body:       strings.Replace(validBody, `from@example.com`, `from@example..com`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"from.email", "The from email does not contain a valid address."}},
		},
		{
			name:       "invalid reply_to",
			body:       strings.Replace(validBody, `"subject"`, `"reply_to": {"email": "nope"}, "subject"`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"reply_to.email", "The reply_to email does not contain a valid address."}},
		},
		{
			name:       "invalid personalization from",
			body:       strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`, `{"to": [{"email": "to@example.com"}], "from": {"email": "bad"}}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0.from.email", "does not contain a valid address"}},
		},
		{
			name:       "missing subject",
			body:       strings.Replace(validBody, `"subject": "Hello",`, ``, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"subject", "The subject is required. You can get around this requirement"}},
		},
		{
			name: "subject in only some personalizations",
			body: `{"personalizations": [{"to": [{"email": "a@example.com"}], "subject": "A"}, {"to": [{"email": "b@example.com"}]}],
				"from": {"email": "from@example.com"}, "content": [{"type": "text/plain", "value": "Hi"}]}`,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"subject", "The subject is required"}},
		},
		{
			name:       "missing content",
			body:       strings.Replace(validBody, `"content": [{"type": "text/plain", "value": "Hi"}]`, `"content": []`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content", "Unless a valid template_id is provided, the content parameter is required."}},
		},
		{
			name:       "content without type and value",
			body:       strings.Replace(validBody, `{"type": "text/plain", "value": "Hi"}`, `{}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{
				{"content.0.type", "The content type must be a string at least one character in length."},
				{"content.0.value", "The content value must be a string at least one character in length."},
			},
		},
		{
			name:       "content type with parameters",
			body:       strings.Replace(validBody, `"text/plain"`, `"text/plain; charset=utf-8"`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content.0.type", "cannot contain ';'"}},
		},
		{
			name:       "html before plain",
			body:       strings.Replace(validBody, `{"type": "text/plain", "value": "Hi"}`, `{"type": "text/html", "value": "<b>Hi</b>"}, {"type": "text/plain", "value": "Hi"}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content", "text/plain needs to be first, followed by text/html"}},
		},
		{
			name:       "other type before html",
			body:       strings.Replace(validBody, `{"type": "text/plain", "value": "Hi"}`, `{"type": "text/calendar", "value": "x"}, {"type": "text/html", "value": "<b>Hi</b>"}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content", "text/plain needs to be first"}},
		},
		{
			name:       "plain twice",
			body:       strings.Replace(validBody, `{"type": "text/plain", "value": "Hi"}`, `{"type": "text/plain", "value": "Hi"}, {"type": "text/plain", "value": "Again"}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content", "may only be provided once"}},
		},
		{
			name: "template does not excuse empty content values",
			body: `{"personalizations": [{"to": [{"email": "a@example.com"}]}], "from": {"email": "from@example.com"},
				"template_id": "d-1", "content": [{"type": "text/plain", "value": ""}]}`,
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"content.0.value", ""}},
		},
		{
			name: "bad attachments",
			body: strings.Replace(validBody, `"subject"`, `"attachments": [
				{"filename": "a.txt"},
				{"content": "!!not base64!!"},
				{"content": "aGVsbG8=", "filename": "c.ics", "type": "text/calendar; method=REQUEST"}
			], "subject"`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{
				{"attachments.0.content", "The attachment content is required."},
				{"attachments.1.content", "The attachment content must be base64 encoded."},
				{"attachments.1.filename", "The attachment filename parameter is required."},
				{"attachments.2.type", "cannot contain ';'"},
			},
		},
		{
			name:       "dynamic_template_data must be an object",
			body:       strings.Replace(validBody, `{"to": [{"email": "to@example.com"}]}`, `{"to": [{"email": "to@example.com"}], "dynamic_template_data": [1]}`, 1),
			wantStatus: http.StatusBadRequest,
			wantErrors: []wantError{{"personalizations.0.dynamic_template_data", "Expected: object, given: array"}},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := NewServer(Config{})
			rec := send(t, srv, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantStatus == http.StatusAccepted {
				if rec.Body.Len() != 0 {
					t.Errorf("202 body = %q, want empty", rec.Body)
				}
				if len(rec.Header().Get("X-Message-Id")) != 22 {
					t.Errorf("X-Message-Id = %q, want 22 characters", rec.Header().Get("X-Message-Id"))
				}
				if got := len(srv.Messages()); got != 1 {
					t.Errorf("stored %d messages, want 1", got)
				}
				return
			}
			if got := len(srv.Messages()); got != 0 {
				t.Errorf("stored %d messages after a rejected send, want 0", got)
			}
			got := decodeErrors(t, rec.Body.Bytes())
			if len(got) != len(tt.wantErrors) {
				t.Fatalf("got %d errors, want %d: %s", len(got), len(tt.wantErrors), rec.Body)
			}
			for i, want := range tt.wantErrors {
				if gotField := deref(got[i].Field); gotField != want.field {
					t.Errorf("errors[%d].field = %q, want %q", i, gotField, want.field)
				}
				if !strings.Contains(got[i].Message, want.message) {
					t.Errorf("errors[%d].message = %q, want it to contain %q", i, got[i].Message, want.message)
				}
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"user@example.com", true},
		{"first.last+tag@sub.example.co.uk", true},
		{"o'brien@example.com", true},
		{"x@a-b.example", true},
		{"UPPER@EXAMPLE.COM", true},
		{"", false},
		{"plain", false},
		{"@example.com", false},
		{"user@", false},
		{"user@localhost", false},
		{"user@example", false},
		{"user@@example.com", false},
		{"a@b@example.com", false},
		{".user@example.com", false},
		{"user.@example.com", false},
		{"us..er@example.com", false},
		{"user@-example.com", false},
		{"user@example-.com", false},
		{"user@example..com", false},
		{"user@.example.com", false},
		{"user@example.com.", false},
		{"user@1.2.3.4", false},
		{"user@[1.2.3.4]", false},
		{"us er@example.com", false},
		{`"quoted"@example.com`, false},
		{"Name <user@example.com>", false},
		{"user@exa_mple.com", false},
		{"üser@example.com", false},
		{strings.Repeat("a", 65) + "@example.com", false},
		{strings.Repeat("a", 64) + "@example.com", true},
		{"a@" + strings.Repeat("b", 64) + ".com", false},
		{"a@" + strings.Repeat("b.", 126) + "com", false},
	}
	for _, tt := range tests {
		if got := validEmail(tt.in); got != tt.want {
			t.Errorf("validEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestErrorsCapped(t *testing.T) {
	to := make([]string, 3000)
	for i := range to {
		to[i] = `{"email":"bad"}`
	}
	body := strings.Replace(validBody, `[{"email": "to@example.com"}]`, "["+strings.Join(to, ",")+"]", 1)
	_, errs := parseSendRequest([]byte(body))
	if len(errs) != maxErrors {
		t.Fatalf("got %d errors, want the cap %d", len(errs), maxErrors)
	}
}

func TestErrorBodyShape(t *testing.T) {
	rec := send(t, NewServer(Config{}), `nope`)
	want := `{"errors":[{"message":"Bad Request","field":null,"help":null}]}` + "\n"
	if rec.Body.String() != want {
		t.Errorf("body = %s, want %s", rec.Body, want)
	}
	rec = send(t, NewServer(Config{}), strings.Replace(validBody, `"subject": "Hello",`, ``, 1))
	var raw map[string][]map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	e := raw["errors"][0]
	if e["field"] != "subject" || e["help"] != helpBase+"#message.subject" {
		t.Errorf("error = %v, want field subject and help link", e)
	}
}

func decodeErrors(t *testing.T, body []byte) []apiError {
	t.Helper()
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		t.Fatalf("decode errors body %q: %v", body, err)
	}
	if slices.ContainsFunc(eb.Errors, func(e apiError) bool { return e.Message == "" }) {
		t.Errorf("error without message in %s", body)
	}
	return eb.Errors
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
