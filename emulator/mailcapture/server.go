// Package mailcapture is a local mail capture server that speaks the
// SendGrid v3 Mail Send API. The local emulator stack points the SendGrid
// client at it instead of api.sendgrid.com: sends are authenticated and
// validated the way SendGrid does it, then kept in memory so tests and
// developers can inspect them instead of delivering them.
//
// HTTP API:
//
//	POST   /v3/mail/send   SendGrid-compatible send (Bearer API key).
//	                       202 + X-Message-Id on success; 400/401/413/415
//	                       with SendGrid's {"errors":[...]} body otherwise.
//	GET    /api/messages   {"messages":[...]} oldest first; ?to=address
//	                       keeps messages with that to/cc/bcc recipient.
//	DELETE /api/messages   Forget all captured messages.
//	POST   /api/fail       {"status":429,"count":2}: fail the next count
//	                       sends with that status.
//	GET    /api/fail       The pending failure, {"status":0,"count":0} if none.
//	DELETE /api/fail       Cancel the pending failure.
//	GET    /healthz        200 "ok".
//	GET    /               HTML list of captured messages.
//
// The /api endpoints are not authenticated; bind the server to loopback.
// Only the standard library is used.
package mailcapture

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// DefaultAPIKey is the API key used when Config.APIKey is empty.
	DefaultAPIKey = "local-sendgrid-key"
	// DefaultMaxMessages is how many messages are kept when
	// Config.MaxMessages is zero. Older messages are dropped first.
	DefaultMaxMessages = 10000
)

// Error messages outside the validation rules.
const (
	msgUnauthorized    = "The provided authorization grant is invalid, expired, or revoked"
	msgUnsupportedType = "Content-Type should be application/json."
	msgTooLarge        = "The JSON payload you have included in your request is too large."
	msgTooManyRequests = "too many requests"
)

// Config configures a Server.
type Config struct {
	// APIKey is the key clients must send as "Authorization: Bearer <key>".
	// Empty means DefaultAPIKey.
	APIKey string
	// FailNext, when non-zero, makes the first sends fail, exactly as
	// POST /api/fail does. NewServer panics if it is invalid (see Failure).
	FailNext Failure
	// MaxMessages bounds the store; zero means DefaultMaxMessages.
	MaxMessages int
	// Logger receives one line per send. Message bodies, addresses and the
	// API key are never logged. Nil discards logs.
	Logger *slog.Logger
}

// Failure makes the next Count send requests fail with HTTP status Status
// (400-599) and a SendGrid-style errors body. A zero Count means 1; the zero
// Failure means "no failure".
type Failure struct {
	Status int `json:"status"`
	Count  int `json:"count"`
}

func (f Failure) normalize() (Failure, error) {
	if f == (Failure{}) {
		return f, nil
	}
	if f.Status < 400 || f.Status > 599 {
		return Failure{}, fmt.Errorf("status must be between 400 and 599, got %d", f.Status)
	}
	if f.Count < 0 {
		return Failure{}, fmt.Errorf("count must not be negative, got %d", f.Count)
	}
	if f.Count == 0 {
		f.Count = 1
	}
	return f, nil
}

// Message is a captured send, as listed by GET /api/messages.
type Message struct {
	ID         string    `json:"id"`         // also sent as X-Message-Id
	ReceivedAt time.Time `json:"receivedAt"` // UTC, RFC 3339 in JSON
	From       Address   `json:"from"`
	ReplyTo    *Address  `json:"replyTo,omitempty"`
	// Subject is the effective subject of the first personalization: its
	// own subject, else the top-level one. Every personalization's effective
	// subject is in Personalizations[i].EffectiveSubject.
	Subject          string            `json:"subject"`
	TemplateID       string            `json:"templateId,omitempty"`
	Personalizations []Personalization `json:"personalizations"`
	Content          []Content         `json:"content"`
	Categories       []string          `json:"categories"`
	CustomArgs       map[string]string `json:"customArgs"`
	Headers          map[string]string `json:"headers"`
	Attachments      []Attachment      `json:"attachments"`
}

// Attachment describes a captured attachment; its content is not kept.
type Attachment struct {
	Filename string `json:"filename"`
	Type     string `json:"type,omitempty"`
	Size     int64  `json:"size"`
}

// Part returns the value of the first content part of the given MIME type
// (for example "text/plain"), or "" if there is none.
func (m Message) Part(mimeType string) string {
	for _, c := range m.Content {
		if strings.EqualFold(strings.TrimSpace(c.Type), mimeType) {
			return c.Value
		}
	}
	return ""
}

// HasRecipient reports whether address is a to, cc or bcc recipient of any
// personalization, ignoring case.
func (m Message) HasRecipient(address string) bool {
	for _, p := range m.Personalizations {
		for _, list := range [][]Address{p.To, p.Cc, p.Bcc} {
			for _, a := range list {
				if strings.EqualFold(a.Email, address) {
					return true
				}
			}
		}
	}
	return false
}

// Server is the mail capture HTTP handler. It is safe for concurrent use.
type Server struct {
	apiKey      string
	maxMessages int
	log         *slog.Logger
	mux         *http.ServeMux

	mu       sync.Mutex
	messages []Message // oldest first
	fail     Failure
}

// NewServer returns a Server configured by cfg.
func NewServer(cfg Config) *Server {
	fail, err := cfg.FailNext.normalize()
	if err != nil {
		panic("mailcapture: invalid Config.FailNext: " + err.Error())
	}
	s := &Server{
		apiKey:      cfg.APIKey,
		maxMessages: cfg.MaxMessages,
		log:         cfg.Logger,
		fail:        fail,
	}
	if s.apiKey == "" {
		s.apiKey = DefaultAPIKey
	}
	if s.maxMessages <= 0 {
		s.maxMessages = DefaultMaxMessages
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /v3/mail/send", s.handleSend)
	s.mux.HandleFunc("GET /api/messages", s.handleListMessages)
	s.mux.HandleFunc("DELETE /api/messages", s.handleDeleteMessages)
	s.mux.HandleFunc("GET /api/fail", s.handleGetFailure)
	s.mux.HandleFunc("POST /api/fail", s.handleSetFailure)
	s.mux.HandleFunc("DELETE /api/fail", s.handleClearFailure)
	s.mux.HandleFunc("GET /healthz", handleHealth)
	s.mux.HandleFunc("GET /{$}", s.handlePage)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// Messages returns the captured messages, oldest first. The messages share
// memory with the store and must be treated as read-only.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Reset forgets all captured messages and cancels any pending failure.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = nil
	s.fail = Failure{}
}

// FailNext makes the next f.Count sends fail with f.Status, replacing any
// pending failure. The zero Failure cancels it.
func (s *Server) FailNext(f Failure) error {
	f, err := f.normalize()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = f
	return nil
}

func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		s.reject(w, http.StatusUnauthorized, []apiError{{Message: msgUnauthorized}})
		return
	}
	if f, ok := s.takeFailure(); ok {
		writeInjectedFailure(w, f.Status)
		s.log.Info("mail send failed by injection", "status", f.Status)
		return
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		s.reject(w, http.StatusUnsupportedMediaType, []apiError{{Message: msgUnsupportedType}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.reject(w, http.StatusRequestEntityTooLarge, []apiError{{Message: msgTooLarge}})
			return
		}
		s.reject(w, http.StatusBadRequest, []apiError{{Message: msgBadRequest}})
		return
	}
	req, errs := parseSendRequest(body)
	if len(errs) > 0 {
		s.reject(w, http.StatusBadRequest, errs)
		return
	}
	if req.sandbox() {
		// SendGrid answers a valid sandbox-mode send with 200 and delivers nothing.
		s.log.Info("mail accepted in sandbox mode, not stored")
		w.WriteHeader(http.StatusOK)
		return
	}
	msg := newMessage(req, newID(), time.Now().UTC())
	s.store(msg)
	s.log.Info("mail accepted",
		"id", msg.ID,
		"personalizations", len(msg.Personalizations),
		"recipients", recipientCount(msg),
		"attachments", len(msg.Attachments))
	w.Header().Set("X-Message-Id", msg.ID)
	w.WriteHeader(http.StatusAccepted)
}

// authorized checks "Authorization: Bearer <APIKey>" in constant time.
func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	token = strings.TrimSpace(token)
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.apiKey)) == 1
}

// takeFailure consumes one pending injected failure, if any.
func (s *Server) takeFailure() (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail.Count <= 0 {
		return Failure{}, false
	}
	f := s.fail
	s.fail.Count--
	if s.fail.Count == 0 {
		s.fail = Failure{}
	}
	return f, true
}

func writeInjectedFailure(w http.ResponseWriter, status int) {
	message := http.StatusText(status)
	switch status {
	case http.StatusTooManyRequests:
		// SendGrid's rate limit headers; the limit resets a second from now.
		message = msgTooManyRequests
		w.Header().Set("X-RateLimit-Limit", "600")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10))
	case http.StatusUnauthorized:
		message = msgUnauthorized
	}
	if message == "" {
		message = "error"
	}
	writeJSON(w, status, errorBody{Errors: []apiError{{Message: message}}})
}

// reject writes a SendGrid error response and logs which fields failed
// (never the values).
func (s *Server) reject(w http.ResponseWriter, status int, errs []apiError) {
	fields := make([]string, 0, len(errs))
	for _, e := range errs {
		if e.Field != nil && len(fields) < 20 {
			fields = append(fields, *e.Field)
		}
	}
	s.log.Info("mail rejected", "status", status, "errors", len(errs), "fields", fields)
	writeJSON(w, status, errorBody{Errors: errs})
}

func (s *Server) store(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	for len(s.messages) > s.maxMessages {
		s.messages[0] = Message{} // release the dropped message's memory
		s.messages = s.messages[1:]
	}
}

func (s *Server) handleListMessages(w http.ResponseWriter, r *http.Request) {
	messages := s.Messages()
	if to := strings.TrimSpace(r.URL.Query().Get("to")); to != "" {
		messages = slices.DeleteFunc(messages, func(m Message) bool { return !m.HasRecipient(to) })
	}
	if messages == nil {
		messages = []Message{}
	}
	writeJSON(w, http.StatusOK, struct {
		Messages []Message `json:"messages"`
	}{messages})
}

func (s *Server) handleDeleteMessages(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.messages = nil
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleGetFailure(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	f := s.fail
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) handleSetFailure(w http.ResponseWriter, r *http.Request) {
	var f Failure
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Errors: []apiError{{Message: "invalid JSON: " + err.Error()}}})
		return
	}
	if f == (Failure{}) {
		writeJSON(w, http.StatusBadRequest, errorBody{Errors: []apiError{{Message: "status is required"}}})
		return
	}
	if err := s.FailNext(f); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Errors: []apiError{{Message: err.Error()}}})
		return
	}
	s.handleGetFailure(w, r)
}

func (s *Server) handleClearFailure(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.fail = Failure{}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func handleHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newMessage builds the stored form of a validated request.
func newMessage(req *sendRequest, id string, now time.Time) Message {
	m := Message{
		ID:               id,
		ReceivedAt:       now,
		ReplyTo:          req.ReplyTo,
		TemplateID:       req.TemplateID,
		Personalizations: make([]Personalization, len(req.Personalizations)),
		Content:          req.Content,
		Categories:       req.Categories,
		CustomArgs:       req.CustomArgs,
		Headers:          req.Headers,
		Attachments:      make([]Attachment, 0, len(req.Attachments)),
	}
	if req.From != nil {
		m.From = *req.From
	}
	for i, p := range req.Personalizations {
		p.EffectiveSubject = p.Subject
		if p.EffectiveSubject == "" {
			p.EffectiveSubject = req.Subject
		}
		m.Personalizations[i] = p
	}
	m.Subject = req.Subject
	if len(m.Personalizations) > 0 {
		m.Subject = m.Personalizations[0].EffectiveSubject
	}
	for _, a := range req.Attachments {
		size, _ := decodedSize(a.Content) // already validated
		m.Attachments = append(m.Attachments, Attachment{Filename: a.Filename, Type: a.Type, Size: size})
	}
	if m.Content == nil {
		m.Content = []Content{}
	}
	if m.Categories == nil {
		m.Categories = []string{}
	}
	if m.CustomArgs == nil {
		m.CustomArgs = map[string]string{}
	}
	if m.Headers == nil {
		m.Headers = map[string]string{}
	}
	return m
}

func recipientCount(m Message) int {
	n := 0
	for _, p := range m.Personalizations {
		n += len(p.To) + len(p.Cc) + len(p.Bcc)
	}
	return n
}

// newID returns a random 22-character id shaped like SendGrid's X-Message-Id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b[:])
}
