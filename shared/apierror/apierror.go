// Package apierror is the one place that maps errors to google.rpc.Status
// JSON bodies and HTTP status codes:
//
//	{"error":{"code":404,"message":"…","status":"NOT_FOUND","details":[…]}}
//
// That shape is what Google's API clients turn into a *googleapi.Error.
//
// Every failure the service reports is an *Error carrying a canonical
// google.rpc code (typed errors). Domain, store and platform packages build
// them with the constructors below; From turns anything else — gRPC status
// errors from Google clients, context cancellation, plain errors — into one,
// using the single table of canonical codes (codeTable); Retryable answers
// the one question event functions ask of an error.
package apierror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Domain is the ErrorInfo domain for reasons this service defines.
const Domain = "supportcenter.dev"

// Machine-readable reasons carried in ErrorInfo details.
const (
	ReasonAccessRequired  = "ACCESS_REQUIRED"
	ReasonRequestTooLarge = "REQUEST_TOO_LARGE"
	ReasonRateLimited     = "RATE_LIMITED"
)

// canonical is one row of the table: a google.rpc code, its name on the
// wire, its HTTP status (google/rpc/code.proto's mapping), whether a caller
// may retry the same request unchanged, and the message sent when the error
// did not come from one of our constructors (internals are never sent).
type canonical struct {
	name      string
	http      int
	retryable bool
	message   string
}

// codeTable is the one mapping of canonical codes. 499 is the de-facto
// "client closed request" status Google's front ends use for CANCELLED.
var codeTable = map[codes.Code]canonical{
	codes.OK:                 {"OK", http.StatusOK, false, "ok"},
	codes.Canceled:           {"CANCELLED", 499, true, "the request was cancelled"},
	codes.Unknown:            {"UNKNOWN", http.StatusInternalServerError, true, "internal error"},
	codes.InvalidArgument:    {"INVALID_ARGUMENT", http.StatusBadRequest, false, "invalid argument"},
	codes.DeadlineExceeded:   {"DEADLINE_EXCEEDED", http.StatusGatewayTimeout, true, "the request timed out, try again"},
	codes.NotFound:           {"NOT_FOUND", http.StatusNotFound, false, "not found"},
	codes.AlreadyExists:      {"ALREADY_EXISTS", http.StatusConflict, false, "already exists"},
	codes.PermissionDenied:   {"PERMISSION_DENIED", http.StatusForbidden, false, "permission denied"},
	codes.ResourceExhausted:  {"RESOURCE_EXHAUSTED", http.StatusTooManyRequests, true, "too many requests, try again later"},
	codes.FailedPrecondition: {"FAILED_PRECONDITION", http.StatusBadRequest, false, "the resource is not in a state that allows this"},
	codes.Aborted:            {"ABORTED", http.StatusConflict, true, "the request conflicted with another change, try again"},
	codes.OutOfRange:         {"OUT_OF_RANGE", http.StatusBadRequest, false, "out of range"},
	codes.Unimplemented:      {"UNIMPLEMENTED", http.StatusNotImplemented, false, "not implemented"},
	codes.Internal:           {"INTERNAL", http.StatusInternalServerError, true, "internal error"},
	codes.Unavailable:        {"UNAVAILABLE", http.StatusServiceUnavailable, true, "the service is temporarily unavailable, try again"},
	codes.DataLoss:           {"DATA_LOSS", http.StatusInternalServerError, false, "internal error"},
	codes.Unauthenticated:    {"UNAUTHENTICATED", http.StatusUnauthorized, false, "sign-in required"},
}

// transportStatus lists the only HTTP statuses answered outside the
// canonical table, each with the canonical code whose meaning it refines:
// HTTP clients and proxies act on 405 (Allow header), 412 and 413, which
// code.proto has no row for. The body's status is that code's name.
var transportStatus = map[int]codes.Code{
	http.StatusMethodNotAllowed:      codes.InvalidArgument,    // a known path, a method it does not have
	http.StatusPreconditionFailed:    codes.FailedPrecondition, // a request precondition (etag) failed
	http.StatusRequestEntityTooLarge: codes.ResourceExhausted,  // gRPC's own code for an oversize message
}

// Error is a failure with a google.rpc code. Build one with the
// constructors below; Write turns it into a response.
type Error struct {
	Code       codes.Code
	HTTPStatus int
	Status     string // canonical code name, e.g. "NOT_FOUND"
	Message    string
	Details    []any
	// RetryAfter, if positive, is sent as the Retry-After header (seconds).
	RetryAfter int64
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

// WithRetryInfo adds a google.rpc.RetryInfo detail: the client should wait
// at least delay before retrying (rounded up to whole milliseconds), and
// sets the Retry-After header's value (whole seconds, rounded up).
func (e *Error) WithRetryInfo(delay time.Duration) *Error {
	if delay < 0 {
		delay = 0
	}
	ms := (delay + time.Millisecond - 1) / time.Millisecond
	e.Details = append(e.Details, RetryInfo{Type: typeRetryInfo,
		RetryDelay: strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + "s"})
	e.RetryAfter = int64((delay + time.Second - 1) / time.Second)
	return e
}

// RetryInfo is google.rpc.RetryInfo (retryDelay as a JSON Duration, "1.5s").
type RetryInfo struct {
	Type       string `json:"@type"`
	RetryDelay string `json:"retryDelay"`
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
	typeRetryInfo  = "type.googleapis.com/google.rpc.RetryInfo"
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

// New returns an error with canonical code c, answered with c's HTTP status.
func New(c codes.Code, format string, args ...any) *Error {
	row, ok := codeTable[c]
	if !ok {
		c, row = codes.Unknown, codeTable[codes.Unknown]
	}
	return &Error{Code: c, HTTPStatus: row.http, Status: row.name, Message: fmt.Sprintf(format, args...)}
}

// newTransport returns an error answered with one of the transportStatus
// HTTP statuses.
func newTransport(httpStatus int, format string, args ...any) *Error {
	e := New(transportStatus[httpStatus], format, args...)
	e.HTTPStatus = httpStatus
	return e
}

// InvalidArgument is 400: the request itself is malformed.
func InvalidArgument(format string, args ...any) *Error {
	return New(codes.InvalidArgument, format, args...)
}

// FailedPrecondition is 400: the request is well formed but the resource is
// not in a state that allows it (e.g. commenting on a case closed long ago).
func FailedPrecondition(format string, args ...any) *Error {
	return New(codes.FailedPrecondition, format, args...)
}

// OutOfRange is 400 for values beyond an allowed range.
func OutOfRange(format string, args ...any) *Error { return New(codes.OutOfRange, format, args...) }

// Unauthenticated is 401: no or invalid credentials.
func Unauthenticated(format string, args ...any) *Error {
	return New(codes.Unauthenticated, format, args...)
}

// PermissionDenied is 403: the caller is known but not allowed.
func PermissionDenied(format string, args ...any) *Error {
	return New(codes.PermissionDenied, format, args...)
}

// NotFound is 404; also used for other tenants' resources so their
// existence is never revealed.
func NotFound(format string, args ...any) *Error { return New(codes.NotFound, format, args...) }

// AlreadyExists is 409 for a create that collides.
func AlreadyExists(format string, args ...any) *Error {
	return New(codes.AlreadyExists, format, args...)
}

// Aborted is 409 for a concurrency conflict; the client may retry.
func Aborted(format string, args ...any) *Error { return New(codes.Aborted, format, args...) }

// ConditionNotMet is 412 FAILED_PRECONDITION for a failed request
// precondition (If-Match, etag).
func ConditionNotMet(format string, args ...any) *Error {
	return newTransport(http.StatusPreconditionFailed, format, args...)
}

// TooLarge is 413 RESOURCE_EXHAUSTED for a request body over the limit.
func TooLarge(limit int64) *Error {
	return newTransport(http.StatusRequestEntityTooLarge,
		"request body is larger than the limit of %d bytes", limit).
		WithReason(ReasonRequestTooLarge, map[string]string{"limitBytes": fmt.Sprint(limit)})
}

// MethodNotAllowed is 405 INVALID_ARGUMENT for a known path with an
// unsupported method (the caller sets the Allow header).
func MethodNotAllowed(method string) *Error {
	return newTransport(http.StatusMethodNotAllowed, "method %s is not supported on this resource", method)
}

// ResourceExhausted is 429: quota or rate limit.
func ResourceExhausted(format string, args ...any) *Error {
	return New(codes.ResourceExhausted, format, args...)
}

// Unimplemented is 501.
func Unimplemented(format string, args ...any) *Error {
	return New(codes.Unimplemented, format, args...)
}

// Internal is 500; the message sent is generic, the cause is logged.
func Internal(cause error) *Error {
	return New(codes.Internal, "%s", codeTable[codes.Internal].message).WithCause(cause)
}

// Unavailable is 503: a dependency is down; the client may retry.
func Unavailable(cause error) *Error {
	return New(codes.Unavailable, "%s", codeTable[codes.Unavailable].message).WithCause(cause)
}

// From converts any error to an *Error: *Error values pass through; a
// cancelled context is CANCELLED and a passed deadline DEADLINE_EXCEEDED;
// gRPC status errors (Google's clients: Firestore, Pub/Sub) keep their
// canonical code with a generic message; everything else is INTERNAL.
func From(err error) *Error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e
	case errors.Is(err, context.Canceled):
		return fromCode(codes.Canceled, err)
	case errors.Is(err, context.DeadlineExceeded):
		return fromCode(codes.DeadlineExceeded, err)
	}
	if s, ok := status.FromError(err); ok && s.Code() != codes.OK && s.Code() != codes.Unknown {
		return fromCode(s.Code(), err)
	}
	return Internal(err)
}

func fromCode(c codes.Code, cause error) *Error {
	return New(c, "%s", codeTable[c].message).WithCause(cause)
}

// CodeOf returns err's canonical code (codes.OK for nil).
func CodeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	return From(err).Code
}

// Is reports whether err has canonical code c.
func Is(err error, c codes.Code) bool { return err != nil && CodeOf(err) == c }

// Retryable reports whether the same request or event may succeed if tried
// again unchanged: the one question event functions ask before returning an
// error (redelivery) or recording and acknowledging it (permanent).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	return codeTable[CodeOf(err)].retryable
}

type body struct {
	Error statusBody `json:"error"`
}

type statusBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
	Details []any  `json:"details,omitempty"`
}

// Write sends err as a google.rpc.Status JSON response. Server-side errors
// (5xx) are logged with their cause at ERROR; a request the client
// cancelled is logged at INFO (nothing failed on our side); client errors
// at DEBUG.
func Write(ctx context.Context, w http.ResponseWriter, logger *slog.Logger, err error) {
	e := From(err)
	if logger != nil {
		switch {
		case e.Code == codes.Canceled:
			logger.InfoContext(ctx, "request cancelled by the client", "status", e.Status)
		case e.HTTPStatus >= 500:
			logger.ErrorContext(ctx, "request failed", "status", e.Status, "error", err.Error())
		default:
			logger.DebugContext(ctx, "request refused", "status", e.Status, "error", err.Error())
		}
	}
	b, _ := json.Marshal(body{Error: statusBody{Code: e.HTTPStatus, Message: e.Message, Status: e.Status, Details: e.Details}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(e.RetryAfter, 10))
	}
	b = append(b, '\n')
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.HTTPStatus)
	_, _ = w.Write(b)
}

// Describe is From for a read of one named thing: a missing document becomes
// NOT_FOUND "<what> not found"; anything else keeps its code.
func Describe(err error, what string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) && CodeOf(err) == codes.NotFound {
		return NotFound("%s not found", what).WithCause(err)
	}
	return From(err)
}
