package apierror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
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
		{"deadline", context.DeadlineExceeded, 503, "UNAVAILABLE", "the request timed out, try again"},
		{"too large", TooLarge(10), 413, "INVALID_ARGUMENT", "request body is larger than the limit of 10 bytes"},
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
