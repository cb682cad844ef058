// Package apierror is the one place that maps domain errors to
// google.rpc.Status JSON bodies and HTTP status codes:
//
//	{"error":{"code":404,"message":"…","status":"NOT_FOUND","details":[…]}}
//
// That shape is what Google's API clients turn into a *googleapi.Error.
package apierror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Domain is the ErrorInfo domain for reasons this service defines.
const Domain = "supportcenter.dev"

// Machine-readable reasons carried in ErrorInfo details.
const (
	ReasonAccessRequired  = "ACCESS_REQUIRED"
	ReasonRequestTooLarge = "REQUEST_TOO_LARGE"
)

// Error is a failure with a google.rpc.Status code. Build one with the
// constructors below; Write turns it into a response.
type Error struct {
	HTTPStatus int
	Status     string // canonical code name, e.g. "NOT_FOUND"
	Message    string
	Details    []any
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Status, e.Message, e.cause)
	}
	return e.Status + ": " + e.Message
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// WithCause records an internal cause (logged, never sent to the client).
func (e *Error) WithCause(err error) *Error { e.cause = err; return e }

// WithReason adds a google.rpc.ErrorInfo detail.
func (e *Error) WithReason(reason string, metadata map[string]string) *Error {
	e.Details = append(e.Details, ErrorInfo{Type: typeErrorInfo, Reason: reason, Domain: Domain, Metadata: metadata})
	return e
}

// WithFieldViolation adds (or extends) a google.rpc.BadRequest detail.
func (e *Error) WithFieldViolation(field, description string) *Error {
	for _, d := range e.Details {
		if br, ok := d.(*BadRequest); ok {
			br.FieldViolations = append(br.FieldViolations, FieldViolation{Field: field, Description: description})
			return e
		}
	}
	e.Details = append(e.Details, &BadRequest{Type: typeBadRequest,
		FieldViolations: []FieldViolation{{Field: field, Description: description}}})
	return e
}

// Reason returns the ErrorInfo reason, if the error carries one.
func (e *Error) Reason() string {
	for _, d := range e.Details {
		if ei, ok := d.(ErrorInfo); ok {
			return ei.Reason
		}
	}
	return ""
}

const (
	typeErrorInfo  = "type.googleapis.com/google.rpc.ErrorInfo"
	typeBadRequest = "type.googleapis.com/google.rpc.BadRequest"
)

// ErrorInfo is google.rpc.ErrorInfo.
type ErrorInfo struct {
	Type     string            `json:"@type"`
	Reason   string            `json:"reason"`
	Domain   string            `json:"domain"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

// BadRequest is google.rpc.BadRequest.
type BadRequest struct {
	Type            string           `json:"@type"`
	FieldViolations []FieldViolation `json:"fieldViolations"`
}

// FieldViolation is google.rpc.BadRequest.FieldViolation.
type FieldViolation struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

func newError(httpStatus int, status, format string, args ...any) *Error {
	return &Error{HTTPStatus: httpStatus, Status: status, Message: fmt.Sprintf(format, args...)}
}

// InvalidArgument is 400: the request itself is malformed.
func InvalidArgument(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "INVALID_ARGUMENT", format, args...)
}

// FailedPrecondition is 400: the request is well formed but the resource is
// not in a state that allows it (e.g. commenting on a case closed long ago).
func FailedPrecondition(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "FAILED_PRECONDITION", format, args...)
}

// OutOfRange is 400 for values beyond an allowed range.
func OutOfRange(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, "OUT_OF_RANGE", format, args...)
}

// Unauthenticated is 401: no or invalid credentials.
func Unauthenticated(format string, args ...any) *Error {
	return newError(http.StatusUnauthorized, "UNAUTHENTICATED", format, args...)
}

// PermissionDenied is 403: the caller is known but not allowed.
func PermissionDenied(format string, args ...any) *Error {
	return newError(http.StatusForbidden, "PERMISSION_DENIED", format, args...)
}

// NotFound is 404; also used for other tenants' resources so their
// existence is never revealed.
func NotFound(format string, args ...any) *Error {
	return newError(http.StatusNotFound, "NOT_FOUND", format, args...)
}

// AlreadyExists is 409 for a create that collides.
func AlreadyExists(format string, args ...any) *Error {
	return newError(http.StatusConflict, "ALREADY_EXISTS", format, args...)
}

// Aborted is 409 for a concurrency conflict; the client may retry.
func Aborted(format string, args ...any) *Error {
	return newError(http.StatusConflict, "ABORTED", format, args...)
}

// ConditionNotMet is 412 for a failed request precondition (If-Match, etag).
func ConditionNotMet(format string, args ...any) *Error {
	return newError(http.StatusPreconditionFailed, "FAILED_PRECONDITION", format, args...)
}

// TooLarge is 413 for a request body over the limit.
func TooLarge(limit int64) *Error {
	return newError(http.StatusRequestEntityTooLarge, "INVALID_ARGUMENT",
		"request body is larger than the limit of %d bytes", limit).
		WithReason(ReasonRequestTooLarge, map[string]string{"limitBytes": fmt.Sprint(limit)})
}

// ResourceExhausted is 429: quota or rate limit.
func ResourceExhausted(format string, args ...any) *Error {
	return newError(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", format, args...)
}

// Unimplemented is 501.
func Unimplemented(format string, args ...any) *Error {
	return newError(http.StatusNotImplemented, "UNIMPLEMENTED", format, args...)
}

// Internal is 500; the message sent is generic, the cause is logged.
func Internal(cause error) *Error {
	return newError(http.StatusInternalServerError, "INTERNAL", "internal error").WithCause(cause)
}

// Unavailable is 503: a dependency is down; the client may retry.
func Unavailable(cause error) *Error {
	return newError(http.StatusServiceUnavailable, "UNAVAILABLE", "the service is temporarily unavailable, try again").WithCause(cause)
}

// MethodNotAllowed is 405 for a known path with an unsupported method.
func MethodNotAllowed(method string) *Error {
	return newError(http.StatusMethodNotAllowed, "UNIMPLEMENTED", "method %s is not supported on this resource", method)
}

// From converts any error to an *Error: *Error values pass through; context
// cancellation becomes 503 (retryable); everything else is INTERNAL.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return newError(http.StatusServiceUnavailable, "UNAVAILABLE", "the request timed out, try again").WithCause(err)
	}
	return Internal(err)
}

type body struct {
	Error status `json:"error"`
}

type status struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
	Details []any  `json:"details,omitempty"`
}

// Write sends err as a google.rpc.Status JSON response. Server-side errors
// (5xx) are logged with their cause; client errors are logged at debug.
func Write(ctx context.Context, w http.ResponseWriter, logger *slog.Logger, err error) {
	e := From(err)
	if logger != nil {
		if e.HTTPStatus >= 500 {
			logger.ErrorContext(ctx, "request failed", "status", e.Status, "error", err.Error())
		} else {
			logger.DebugContext(ctx, "request refused", "status", e.Status, "error", err.Error())
		}
	}
	b, _ := json.Marshal(body{Error: status{Code: e.HTTPStatus, Message: e.Message, Status: e.Status, Details: e.Details}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(e.HTTPStatus)
	_, _ = w.Write(append(b, '\n'))
}
