package apierror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStatus string
		wantMsg    string
	}{
		{"not found", NotFound("case %q not found", "1"), 404, "NOT_FOUND", `case "1" not found`},
		{"wrapped", fmt.Errorf("wrap: %w", PermissionDenied("no")), 403, "PERMISSION_DENIED", "no"},
		{"internal hides cause", errors.New("db password wrong"), 500, "INTERNAL", "internal error"},
		{"deadline", context.DeadlineExceeded, 504, "DEADLINE_EXCEEDED", "the request timed out, try again"},
		{"cancelled", fmt.Errorf("read: %w", context.Canceled), 499, "CANCELLED", "the request was cancelled"},
		{"grpc not found", status.Error(codes.NotFound, "projects/p/databases/(default)/documents/cases/1"), 404, "NOT_FOUND", "not found"},
		{"grpc aborted", status.Error(codes.Aborted, "too much contention"), 409, "ABORTED", "the request conflicted with another change, try again"},
		{"grpc unavailable", status.Error(codes.Unavailable, "connection refused"), 503, "UNAVAILABLE", "the service is temporarily unavailable, try again"},
		{"too large", TooLarge(10), 413, "RESOURCE_EXHAUSTED", "request body is larger than the limit of 10 bytes"},
		{"method", MethodNotAllowed("PUT"), 405, "INVALID_ARGUMENT", "method PUT is not supported on this resource"},
		{"conflict", AlreadyExists("x"), 409, "ALREADY_EXISTS", "x"},
		{"precondition", ConditionNotMet("etag"), 412, "FAILED_PRECONDITION", "etag"},
		{"rate", ResourceExhausted("slow down"), 429, "RESOURCE_EXHAUSTED", "slow down"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			Write(context.Background(), rec, nil, tc.err)
			if rec.Code != tc.wantCode {
				t.Fatalf("HTTP %d, want %d", rec.Code, tc.wantCode)
			}
			var got struct {
				Error struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
					Status  string `json:"status"`
				} `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body not JSON: %v", err)
			}
			if got.Error.Code != tc.wantCode || got.Error.Status != tc.wantStatus || got.Error.Message != tc.wantMsg {
				t.Fatalf("body %+v, want %d %s %q", got.Error, tc.wantCode, tc.wantStatus, tc.wantMsg)
			}
		})
	}
}

func TestDetails(t *testing.T) {
	t.Parallel()
	e := PermissionDenied("need access").
		WithReason(ReasonAccessRequired, map[string]string{"cause": "PENDING"}).
		WithFieldViolation("a", "bad").WithFieldViolation("b", "worse")
	if e.Reason() != ReasonAccessRequired {
		t.Fatalf("Reason() = %q", e.Reason())
	}
	rec := httptest.NewRecorder()
	Write(context.Background(), rec, nil, e)
	var got struct {
		Error struct {
			Details []map[string]any `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Error.Details) != 2 {
		t.Fatalf("details = %v", got.Error.Details)
	}
	if got.Error.Details[0]["@type"] != typeErrorInfo || got.Error.Details[0]["reason"] != ReasonAccessRequired {
		t.Errorf("ErrorInfo detail = %v", got.Error.Details[0])
	}
	fv := got.Error.Details[1]["fieldViolations"].([]any)
	if len(fv) != 2 {
		t.Errorf("field violations = %v", fv)
	}
}

// TestCanonicalPairs: every canonical code is answered with code.proto's
// HTTP status, and the only other HTTP statuses are the three transport
// answers, each with the code whose meaning it refines.
func TestCanonicalPairs(t *testing.T) {
	t.Parallel()
	want := map[codes.Code]int{
		codes.Canceled: 499, codes.Unknown: 500, codes.InvalidArgument: 400, codes.DeadlineExceeded: 504,
		codes.NotFound: 404, codes.AlreadyExists: 409, codes.PermissionDenied: 403, codes.ResourceExhausted: 429,
		codes.FailedPrecondition: 400, codes.Aborted: 409, codes.OutOfRange: 400, codes.Unimplemented: 501,
		codes.Internal: 500, codes.Unavailable: 503, codes.DataLoss: 500, codes.Unauthenticated: 401,
	}
	for c, h := range want {
		e := New(c, "x")
		if e.HTTPStatus != h || e.Code != c || e.Status != codeTable[c].name {
			t.Errorf("New(%v) = %d %s, want %d", c, e.HTTPStatus, e.Status, h)
		}
	}
	for _, e := range []*Error{ConditionNotMet("etag"), TooLarge(1), MethodNotAllowed("PUT")} {
		if transportStatus[e.HTTPStatus] != e.Code || e.Status != codeTable[e.Code].name {
			t.Errorf("%d %s is not a listed transport pair", e.HTTPStatus, e.Status)
		}
	}
}

func TestRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{Unavailable(errors.New("down")), true},
		{status.Error(codes.Unavailable, "down"), true},
		{status.Error(codes.Aborted, "contention"), true},
		{context.DeadlineExceeded, true},
		{ResourceExhausted("slow down"), true},
		{errors.New("unclassified"), true},
		{InvalidArgument("bad"), false},
		{NotFound("gone"), false},
		{FailedPrecondition("closed"), false},
		{PermissionDenied("no"), false},
		{fmt.Errorf("wrapped: %w", AlreadyExists("dup")), false},
	}
	for _, tc := range tests {
		if got := Retryable(tc.err); got != tc.want {
			t.Errorf("Retryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestWithRetryInfo(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]struct {
		delay      string
		retryAfter string
	}{
		90 * time.Second:                        {"90s", "90"},
		1500 * time.Millisecond:                 {"1.5s", "2"},
		time.Microsecond:                        {"0.001s", "1"},
		-time.Second:                            {"0s", ""},
		59*time.Minute + 59500*time.Millisecond: {"3599.5s", "3600"},
	}
	for d, tc := range tests {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			w := httptest.NewRecorder()
			Write(context.Background(), w, nil, ResourceExhausted("slow down").WithRetryInfo(d))
			if w.Code != 429 || w.Header().Get("Retry-After") != tc.retryAfter {
				t.Fatalf("%d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
			}
			var body struct {
				Error struct {
					Status  string
					Details []map[string]string
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Error.Status != "RESOURCE_EXHAUSTED" || len(body.Error.Details) != 1 ||
				body.Error.Details[0]["@type"] != "type.googleapis.com/google.rpc.RetryInfo" || body.Error.Details[0]["retryDelay"] != tc.delay {
				t.Fatalf("body %s", w.Body)
			}
		})
	}
}
