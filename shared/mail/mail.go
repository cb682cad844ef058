// Package mail sends e-mail through SendGrid's v3 Mail Send API and renders
// Korean and English messages from templates.
//
// Sender is built on github.com/sendgrid/sendgrid-go. The API host comes
// from SENDGRID_HOST (the local stack points it at emulator/mailcapture) and
// the key from SENDGRID_API_KEY (a Secret Manager secret in production).
// Send reports failures as *Error, which tells a retryable failure (429, 5xx,
// timeouts, connection errors) from a permanent one (other 4xx): event
// functions return the first so Pub/Sub redelivers, and record and
// acknowledge the second.
//
// SendGrid has no idempotency key: callers dedupe before sending (package
// dedupe). Message bodies, addresses and the API key are never logged here.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
	sgmail "github.com/sendgrid/sendgrid-go/helpers/mail"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// MaxRecipients is SendGrid's limit of personalizations per request.
const MaxRecipients = 1000

// Config is what a Sender reads from the environment.
type Config struct {
	Host     string        `env:"SENDGRID_HOST" default:"https://api.sendgrid.com"`
	APIKey   string        `env:"SENDGRID_API_KEY,required"`
	From     string        `env:"MAIL_FROM" default:"support@support.example"`
	FromName string        `env:"MAIL_FROM_NAME" default:"Support Center"`
	Timeout  time.Duration `env:"SENDGRID_TIMEOUT" default:"10s"`
}

// Address is an e-mail address with an optional display name.
type Address struct {
	Email string
	Name  string
}

// Message is one e-mail. Each recipient in To gets its own personalization,
// so recipients never see each other's addresses.
type Message struct {
	To      []Address
	Subject string
	Text    string // text/plain part (required)
	HTML    string // text/html part (optional)
	// Categories label the message in SendGrid's statistics.
	Categories []string
	// Headers are extra headers, e.g. List-Unsubscribe.
	Headers map[string]string
	ReplyTo *Address
	// Personal, when set, replaces To: one personalization per recipient
	// with its own subject, headers (e.g. a personal List-Unsubscribe) and
	// substitutions (SendGrid replaces each key in the content with the
	// recipient's value).
	Personal []Personalization
}

// Personalization is one recipient's part of a bulk message.
type Personalization struct {
	To            Address
	Subject       string // "" = the message's
	Headers       map[string]string
	Substitutions map[string]string
}

// Sender sends messages through SendGrid.
type Sender struct {
	host   string
	key    string
	from   Address
	client *rest.Client
}

// New returns a Sender for cfg; it checks the configuration, not the key.
func New(cfg Config) (*Sender, error) {
	var errs []error
	if cfg.APIKey == "" {
		errs = append(errs, errors.New("mail: SENDGRID_API_KEY is empty"))
	}
	if !strings.HasPrefix(cfg.Host, "https://") && !strings.HasPrefix(cfg.Host, "http://") {
		errs = append(errs, fmt.Errorf("mail: SENDGRID_HOST %q is not an http(s) URL", cfg.Host))
	}
	if !strings.Contains(cfg.From, "@") {
		errs = append(errs, fmt.Errorf("mail: MAIL_FROM %q is not an address", cfg.From))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Sender{
		host:   strings.TrimRight(cfg.Host, "/"),
		key:    cfg.APIKey,
		from:   Address{Email: cfg.From, Name: cfg.FromName},
		client: &rest.Client{HTTPClient: &http.Client{Timeout: timeout}},
	}, nil
}

// Send sends m and returns SendGrid's message id (X-Message-Id, may be "").
// Failures are *Error.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	body, err := s.body(m)
	if err != nil {
		return "", &Error{Code: codes.InvalidArgument, Message: err.Error()}
	}
	req := sendgrid.GetRequest(s.key, "/v3/mail/send", s.host)
	req.Method = rest.Post
	req.Body = body
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		code := codes.FailedPrecondition // a bad URL will not get better by waiting
		if isTransient(ctx, err) {
			code = codes.Unavailable
		}
		return "", &Error{Code: code, Message: "send failed", cause: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return header(resp.Headers, "X-Message-Id"), nil
	}
	return "", &Error{
		StatusCode: resp.StatusCode,
		Code:       codeOf(resp.StatusCode),
		Message:    fmt.Sprintf("SendGrid answered %d", resp.StatusCode),
		// The body holds SendGrid's error list (field names, never content).
		Detail: truncate(resp.Body, 500),
	}
}

func (s *Sender) body(m Message) ([]byte, error) {
	n := len(m.To) + len(m.Personal)
	switch {
	case n == 0:
		return nil, errors.New("mail: no recipients")
	case len(m.To) > 0 && len(m.Personal) > 0:
		return nil, errors.New("mail: both To and Personal set")
	case n > MaxRecipients:
		return nil, fmt.Errorf("mail: %d recipients, at most %d per request", n, MaxRecipients)
	case strings.TrimSpace(m.Subject) == "":
		return nil, errors.New("mail: empty subject")
	case m.Text == "":
		return nil, errors.New("mail: empty text part")
	}
	v3 := sgmail.NewV3Mail()
	v3.SetFrom(sgmail.NewEmail(s.from.Name, s.from.Email))
	v3.Subject = oneLine(m.Subject)
	for _, to := range m.To {
		p := sgmail.NewPersonalization()
		p.AddTos(sgmail.NewEmail(oneLine(to.Name), to.Email))
		v3.AddPersonalizations(p)
	}
	for _, pp := range m.Personal {
		p := sgmail.NewPersonalization()
		p.AddTos(sgmail.NewEmail(oneLine(pp.To.Name), pp.To.Email))
		if pp.Subject != "" {
			p.Subject = oneLine(pp.Subject)
		}
		for k, v := range pp.Headers {
			p.SetHeader(k, oneLine(v))
		}
		for k, v := range pp.Substitutions {
			p.SetSubstitution(k, v)
		}
		v3.AddPersonalizations(p)
	}
	// SendGrid wants text/plain before text/html.
	v3.AddContent(sgmail.NewContent("text/plain", m.Text))
	if m.HTML != "" {
		v3.AddContent(sgmail.NewContent("text/html", m.HTML))
	}
	if m.ReplyTo != nil {
		v3.SetReplyTo(sgmail.NewEmail(oneLine(m.ReplyTo.Name), m.ReplyTo.Email))
	}
	if len(m.Categories) > 0 {
		v3.AddCategories(m.Categories...)
	}
	for k, v := range m.Headers {
		v3.SetHeader(k, oneLine(v))
	}
	// Links may carry one-time codes (sign-in, unsubscribe): never let
	// SendGrid rewrite them through its click tracker, nor track opens.
	off := false
	v3.SetTrackingSettings(&sgmail.TrackingSettings{
		ClickTracking: &sgmail.ClickTrackingSetting{Enable: &off, EnableText: &off},
		OpenTracking:  &sgmail.OpenTrackingSetting{Enable: &off},
	})
	return sgmail.GetRequestBody(v3), nil
}

// Error is a failed send. Its canonical code (GRPCStatus) says whether
// trying again can help, so callers ask apierror.Retryable like for any
// other error: RESOURCE_EXHAUSTED (429) and UNAVAILABLE (5xx, timeouts,
// network) are retryable; FAILED_PRECONDITION (another 4xx: bad address,
// bad key, payload refused) and INVALID_ARGUMENT (a message that cannot
// be rendered) are not.
type Error struct {
	StatusCode int // HTTP status from SendGrid; 0 when no response came
	Code       codes.Code
	Message    string
	Detail     string // SendGrid's error body, truncated
	cause      error
}

func (e *Error) Error() string {
	s := "mail: " + e.Message
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.cause }

// GRPCStatus gives the failure its canonical code (see Error); without
// one, SendGrid's status decides.
func (e *Error) GRPCStatus() *status.Status {
	c := e.Code
	if c == codes.OK {
		c = codeOf(e.StatusCode)
	}
	return status.New(c, e.Error())
}

// codeOf is the canonical code of a SendGrid answer that is not a success.
func codeOf(httpStatus int) codes.Code {
	switch {
	case httpStatus == http.StatusTooManyRequests:
		return codes.ResourceExhausted
	case httpStatus >= 500:
		return codes.Unavailable
	}
	return codes.FailedPrecondition
}

func isTransient(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	// Connection refused/reset and DNS failures surface as *net.OpError,
	// which is a net.Error; anything else from the transport (a bad URL)
	// will not get better by waiting.
	return errors.Is(err, context.DeadlineExceeded)
}

func header(h map[string][]string, key string) string {
	for k, v := range h {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// oneLine removes line breaks, so a value can never start a new header.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
