package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
)

func TestCloudLoggingFields(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := New(&buf, slog.LevelInfo)
	ctx := WithFields(context.Background(), Fields{Trace: "projects/p/traces/abc", SpanID: "7", RequestID: "r1"})
	logger.WarnContext(ctx, "hello", "k", "v")

	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v: %s", err, buf.String())
	}
	want := map[string]any{
		"severity": "WARNING", "message": "hello", "k": "v",
		TraceKey: "projects/p/traces/abc", SpanKey: "7", RequestKey: "r1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	src, ok := got["logging.googleapis.com/sourceLocation"].(map[string]any)
	if !ok || src["file"] == "" || src["line"] == "" {
		t.Errorf("sourceLocation missing: %v", got)
	}
}

func TestTraceFromRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header, value, trace, span string
	}{
		{"traceparent", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
			"projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"},
		{"cloud trace", "X-Cloud-Trace-Context", "105445AA7843BC8BF206B12000100000/1;o=1",
			"projects/p/traces/105445aa7843bc8bf206b12000100000", "1"},
		{"garbage", "X-Cloud-Trace-Context", "zzz", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set(tc.header, tc.value)
			trace, span := TraceFromRequest(r, "p")
			if trace != tc.trace || span != tc.span {
				t.Fatalf("got (%q,%q), want (%q,%q)", trace, span, tc.trace, tc.span)
			}
		})
	}
}
