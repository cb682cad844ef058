// Package logging builds log/slog loggers that write JSON lines Cloud Logging
// understands: severity, message, sourceLocation and the request's trace.
//
// Request-scoped fields (trace, span, request id) travel in the context; use
// the *Context logging methods (InfoContext, ErrorContext, …) so they are added.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
)

// Cloud Logging special field names.
const (
	TraceKey   = "logging.googleapis.com/trace"
	SpanKey    = "logging.googleapis.com/spanId"
	RequestKey = "requestId"
)

// New returns a JSON logger writing to w at the given level.
func New(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{
		AddSource:   true,
		Level:       level,
		ReplaceAttr: replaceAttr,
	})
	return slog.New(&contextHandler{Handler: h})
}

// ParseLevel maps "debug", "info", "warn"/"warning" and "error" to a level
// (info when empty or unknown).
func ParseLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

func replaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.LevelKey:
		return slog.String("severity", severity(a.Value.Any().(slog.Level)))
	case slog.MessageKey:
		a.Key = "message"
	case slog.SourceKey:
		if src, ok := a.Value.Any().(*slog.Source); ok {
			return slog.Group("logging.googleapis.com/sourceLocation",
				slog.String("file", src.File),
				slog.String("line", fmt.Sprint(src.Line)),
				slog.String("function", src.Function))
		}
	case slog.TimeKey:
		a.Key = "time"
	}
	return a
}

func severity(l slog.Level) string {
	switch {
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DEBUG"
}

type ctxKey struct{}

// Fields are the request-scoped values added to every record logged with a
// context that carries them.
type Fields struct {
	Trace     string // projects/P/traces/T
	SpanID    string
	RequestID string
}

// WithFields returns a context carrying f.
func WithFields(ctx context.Context, f Fields) context.Context {
	return context.WithValue(ctx, ctxKey{}, f)
}

// FieldsFrom returns the fields stored in ctx, if any.
func FieldsFrom(ctx context.Context) Fields {
	f, _ := ctx.Value(ctxKey{}).(Fields)
	return f
}

type contextHandler struct{ slog.Handler }

func (h *contextHandler) Handle(ctx context.Context, r slog.Record) error {
	f := FieldsFrom(ctx)
	if f.Trace != "" {
		r.AddAttrs(slog.String(TraceKey, f.Trace))
	}
	if f.SpanID != "" {
		r.AddAttrs(slog.String(SpanKey, f.SpanID))
	}
	if f.RequestID != "" {
		r.AddAttrs(slog.String(RequestKey, f.RequestID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h *contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &contextHandler{Handler: h.Handler.WithAttrs(as)}
}

func (h *contextHandler) WithGroup(name string) slog.Handler {
	return &contextHandler{Handler: h.Handler.WithGroup(name)}
}

var (
	cloudTraceRe  = regexp.MustCompile(`^([0-9a-fA-F]{32})(?:/([0-9]+))?`)
	traceparentRe = regexp.MustCompile(`^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$`)
)

// TraceFromRequest reads the W3C traceparent or X-Cloud-Trace-Context header
// and returns the Cloud Logging trace name and span id ("" when absent).
func TraceFromRequest(r *http.Request, projectID string) (trace, span string) {
	if m := traceparentRe.FindStringSubmatch(r.Header.Get("traceparent")); m != nil {
		return fmt.Sprintf("projects/%s/traces/%s", projectID, m[1]), m[2]
	}
	if m := cloudTraceRe.FindStringSubmatch(r.Header.Get("X-Cloud-Trace-Context")); m != nil {
		return fmt.Sprintf("projects/%s/traces/%s", projectID, strings.ToLower(m[1])), m[2]
	}
	return "", ""
}
