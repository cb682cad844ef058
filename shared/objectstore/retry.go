package objectstore

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

const (
	// maxAttempts bounds the tries of one request.
	maxAttempts = 5
	// firstPause is the pause before the first retry; it doubles.
	firstPause = 200 * time.Millisecond
)

// retry calls attempt until it succeeds, fails for good, maxAttempts are
// spent or ctx ends. Every request retried is idempotent: reads and
// deletes of one generation, creates guarded by "does not exist", chunks
// of a session (Cloud Storage keeps what it already has).
func retry(ctx context.Context, attempt func() (*http.Response, error)) (*http.Response, error) {
	pause := firstPause
	for i := 1; ; i++ {
		res, err := attempt()
		if err == nil || i == maxAttempts || !transient(err) {
			return res, err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
		pause *= 2
	}
}

// transient reports whether err may go away if the request is sent again:
// 408, 429 and 5xx answers, a connection refused, reset or cut short (as
// Google's API clients decide).
func transient(err error) bool {
	var se *Error
	if errors.As(err, &se) {
		return se.Status == http.StatusRequestTimeout || se.Status == http.StatusTooManyRequests || se.Status >= 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
