// Package httpapi holds the HTTP plumbing every API function shares:
// request ids and trace fields for logs, panic recovery, CORS, request body
// limits, access logs, JSON decoding and encoding, and handlers that return
// errors so apierror is the one place that renders them.
package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/logging"
)

// DefaultBodyLimit bounds JSON request bodies (a comment is at most 12,800
// characters; a case with every intake field stays far below this).
const DefaultBodyLimit = 1 << 20

// Options configure Wrap.
type Options struct {
	Logger         *slog.Logger
	ProjectID      string   // for trace names
	AllowedOrigins []string // CORS; "*" allows any origin
	BodyLimit      int64    // bytes; 0 means DefaultBodyLimit, <0 means no limit here
}

// Wrap applies the shared middleware to h, outermost first: log fields,
// panic recovery, access log, CORS, body limit.
func Wrap(h http.Handler, o Options) http.Handler {
	limit := o.BodyLimit
	if limit == 0 {
		limit = DefaultBodyLimit
	}
	if limit > 0 {
		h = bodyLimit(h, limit, o.Logger)
	}
	h = cors(h, o.AllowedOrigins)
	h = accessLog(h, o.Logger)
	h = recoverPanic(h, o.Logger)
	return withLogFields(h, o.ProjectID)
}

// HandlerFunc is an HTTP handler that returns an error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts fn to http.Handler, writing any returned error with apierror.
func Handle(logger *slog.Logger, fn HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			apierror.Write(r.Context(), w, logger, err)
		}
	})
}

// Methods dispatches on the HTTP method and answers 405 in google.rpc.Status
// form for the others (http.ServeMux's own 405 is plain text).
type Methods map[string]http.Handler

func (m Methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h.ServeHTTP(w, r)
		return
	}
	allowed := make([]string, 0, len(m))
	for k := range m {
		allowed = append(allowed, k)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	apierror.Write(r.Context(), w, nil, apierror.MethodNotAllowed(r.Method))
}

// NotFoundHandler answers every request with a google.rpc.Status 404; mount
// it at "/" so unknown paths get the same error shape as everything else.
func NotFoundHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apierror.Write(r.Context(), w, nil, apierror.NotFound("no such resource: %s", r.URL.Path))
	})
}

// SplitVerb splits the last segment of a custom-method path (AIP-136),
// "123:close", into the resource id and the verb ("" when there is none):
// a ServeMux wildcard takes the whole segment, so handlers split it.
func SplitVerb(seg string) (id, verb string) {
	id, verb, _ = strings.Cut(seg, ":")
	return id, verb
}

// DecodeJSON reads a JSON request body into dst. Unknown fields, trailing
// data and bodies over the limit are refused with clear errors.
func DecodeJSON(r *http.Request, dst any) error {
	if r.Body == nil {
		return apierror.InvalidArgument("a JSON request body is required")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return apierror.InvalidArgument("the request body holds more than one JSON value")
	}
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		return decodeError(err)
	}
	return nil
}

func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return apierror.TooLarge(tooBig.Limit)
	case errors.Is(err, io.EOF):
		return apierror.InvalidArgument("a JSON request body is required")
	case errors.As(err, &syntax):
		return apierror.InvalidArgument("the request body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return apierror.InvalidArgument("field %q has the wrong type: want %s", typeErr.Field, typeErr.Type).
			WithFieldViolation(typeErr.Field, "wrong type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apierror.InvalidArgument("unknown field %q in the request body", field).
			WithFieldViolation(field, "unknown field")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apierror.InvalidArgument("the request body is truncated JSON")
	}
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return apierror.InvalidArgument("the request body could not be decoded: %v", err)
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return apierror.Internal(fmt.Errorf("encode response: %w", err))
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// A declared length lets the access log send the answer before it
	// logs (accessLog), and spares a large answer chunked encoding.
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return nil
}

func withLogFields(next http.Handler, projectID string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trace, span := logging.TraceFromRequest(r, projectID)
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := logging.WithFields(r.Context(), logging.Fields{Trace: trace, SpanID: span, RequestID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func recoverPanic(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil || p == http.ErrAbortHandler {
				if p != nil {
					panic(p)
				}
				return
			}
			if logger != nil {
				logger.ErrorContext(r.Context(), "panic serving request", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
			apierror.Write(r.Context(), w, nil, apierror.Internal(fmt.Errorf("panic: %v", p)))
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// complete reports whether the whole answer is written: a declared
// Content-Length that the body has reached (a later flush then sends it as
// it is, never switching it to chunked encoding).
func (s *statusRecorder) complete(r *http.Request) bool {
	if s.status == 0 || r.Method == http.MethodHead {
		return false
	}
	cl := s.Header().Get("Content-Length")
	return cl != "" && cl == strconv.FormatInt(s.bytes, 10)
}

func accessLog(next http.Handler, logger *slog.Logger) http.Handler {
	if logger == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		// A complete answer is sent before the log line is written, so
		// logging is not part of the caller's latency (the request, and the
		// instance's CPU, last until this returns).
		if rec.complete(r) {
			_ = http.NewResponseController(rec).Flush()
		}
		// The httpRequest group is what Cloud Logging shows as the request line.
		// Only the path is logged: query strings may hold search terms.
		logger.LogAttrs(r.Context(), levelFor(rec.status), "request",
			slog.Group("httpRequest",
				slog.String("requestMethod", r.Method),
				slog.String("requestUrl", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("responseSize", rec.bytes),
				slog.String("latency", fmt.Sprintf("%.6fs", time.Since(start).Seconds())),
				slog.String("userAgent", r.UserAgent()),
			))
	})
}

func levelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func cors(next http.Handler, allowed []string) http.Handler {
	anyOrigin := false
	set := make(map[string]bool, len(allowed))
	for _, o := range allowed {
		if o == "*" {
			anyOrigin = true
		}
		set[strings.TrimRight(o, "/")] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || (!anyOrigin && !set[origin]) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "X-Request-Id, Content-Disposition")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Goog-Api-Client, X-Goog-Request-Params, X-Request-Id, X-Upload-Content-Type, X-Upload-Content-Length")
			h.Set("Access-Control-Max-Age", "3600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func bodyLimit(next http.Handler, limit int64, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Refuse a declared oversize body before reading any of it.
		if r.ContentLength > limit {
			apierror.Write(r.Context(), w, logger, apierror.TooLarge(limit))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}
