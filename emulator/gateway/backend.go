package gateway

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// backend is the gateway's transport to its one local functions origin.
// It makes an ordinary exchange (no body, or a body of known length up to
// maxInlineBody) in the calling goroutine: it writes the request on an idle
// keep-alive connection and reads the response from the same connection.
// http.Transport instead hands every request to a writer goroutine and
// every response back from a reader goroutine of the connection; on a
// loaded two-core machine those two hand-offs were a large part of the
// gateway's latency. Everything else (bodies of unknown or large size,
// upgrades, "Expect: 100-continue") goes through http.Transport (fallback),
// which streams both ways at once.
type backend struct {
	addr     string // host:port
	dialer   *net.Dialer
	fallback http.RoundTripper
	maxIdle  int
	idleFor  time.Duration // an idle connection older than this is closed, not reused
	// headerTimeout bounds the wait for a response to begin.
	headerTimeout time.Duration

	mu   sync.Mutex
	idle []*backendConn // most recently used last
}

// maxInlineBody is the largest request body the backend sends itself; it is
// read into memory first (API bodies are JSON of at most 1 MiB).
const maxInlineBody = 1 << 20

// backendConn is one keep-alive connection to the backend.
type backendConn struct {
	conn     net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	lastUsed time.Time
}

func newBackend(addr string, dialer *net.Dialer, fallback http.RoundTripper, maxIdle int, idleFor, headerTimeout time.Duration) *backend {
	return &backend{addr: addr, dialer: dialer, fallback: fallback, maxIdle: maxIdle, idleFor: idleFor, headerTimeout: headerTimeout}
}

// inline reports whether the backend sends r itself.
func inline(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Header.Get("Expect") != "" || len(r.TransferEncoding) > 0 {
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	// A client request's Content-Length 0 with a body means "unknown".
	return r.ContentLength > 0 && r.ContentLength <= maxInlineBody
}

// RoundTrip implements http.RoundTripper.
func (b *backend) RoundTrip(r *http.Request) (*http.Response, error) {
	if !inline(r) {
		return b.fallback.RoundTrip(r)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, r.ContentLength+1))
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		if int64(len(body)) != r.ContentLength {
			return nil, fmt.Errorf("request body of %d bytes, Content-Length %d", len(body), r.ContentLength)
		}
	}
	for {
		c, reused, err := b.get(r.Context())
		if err != nil {
			return nil, err
		}
		// A cancelled request (the client went away) ends the exchange at
		// once, as http.Transport would.
		stop := context.AfterFunc(r.Context(), func() { _ = c.conn.SetDeadline(time.Unix(1, 0)) })
		resp, err := c.exchange(r, body, b.headerTimeout)
		if err == nil {
			resp.Body = &backendBody{rc: resp.Body, b: b, c: c, stop: stop, reuse: !resp.Close && !r.Close}
			return resp, nil
		}
		stop()
		_ = c.conn.Close()
		if ctxErr := r.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		// A connection the backend closed while it was idle fails on the
		// write (the request was not sent) or before any answer (it was not
		// served, or, rarely, the backend failed serving it). The request
		// goes again on a fresh connection when it surely was not served,
		// or when serving it twice is harmless — http.Transport's rule.
		if !reused || !(errors.Is(err, errNotSent) || errors.Is(err, errNoAnswer) && idempotent(r)) {
			return nil, err
		}
	}
}

var (
	// errNotSent: the connection failed before the whole request was written.
	errNotSent = errors.New("backend connection failed while sending the request")
	// errNoAnswer: the connection ended before a byte of the response.
	errNoAnswer = errors.New("backend closed the connection before answering")
)

// idempotent reports whether sending r twice is harmless.
func idempotent(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != ""
}

// exchange writes r (with body) on c and reads the response head, which
// must begin within headerTimeout.
func (c *backendConn) exchange(r *http.Request, body []byte, headerTimeout time.Duration) (*http.Response, error) {
	out := *r // shallow: Write only reads it
	out.Body, out.GetBody = nil, nil
	out.ContentLength = int64(len(body))
	if len(body) > 0 {
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := c.conn.SetReadDeadline(time.Now().Add(headerTimeout)); err != nil {
		return nil, err
	}
	// A failed write means the backend did not get the whole request, so
	// it cannot have served it.
	if err := out.Write(c.bw); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotSent, err)
	}
	if err := c.bw.Flush(); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotSent, err)
	}
	if _, err := c.br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
			return nil, fmt.Errorf("%w: %w", errNoAnswer, err)
		}
		return nil, err
	}
	for {
		resp, err := http.ReadResponse(c.br, r)
		if err != nil {
			return nil, err
		}
		// 1xx informational answers (other than 101, which is never sent
		// inline) precede the real one.
		if resp.StatusCode >= 100 && resp.StatusCode < 200 {
			continue
		}
		// The body streams for as long as it takes.
		if err := c.conn.SetReadDeadline(time.Time{}); err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// get returns an idle connection (reused) or a new one.
func (b *backend) get(ctx context.Context) (c *backendConn, reused bool, err error) {
	now := time.Now()
	b.mu.Lock()
	for len(b.idle) > 0 {
		c = b.idle[len(b.idle)-1]
		b.idle = b.idle[:len(b.idle)-1]
		if now.Sub(c.lastUsed) < b.idleFor {
			b.mu.Unlock()
			return c, true, nil
		}
		_ = c.conn.Close()
	}
	b.mu.Unlock()
	conn, err := b.dialer.DialContext(ctx, "tcp", b.addr)
	if err != nil {
		return nil, false, err
	}
	return &backendConn{conn: conn, br: bufio.NewReader(conn), bw: bufio.NewWriter(conn)}, false, nil
}

// put returns c to the idle pool (or closes it when the pool is full).
func (b *backend) put(c *backendConn) {
	c.lastUsed = time.Now()
	b.mu.Lock()
	if len(b.idle) < b.maxIdle {
		b.idle = append(b.idle, c)
		c = nil
	}
	b.mu.Unlock()
	if c != nil {
		_ = c.conn.Close()
	}
}

// backendBody is a response body. Read to its end, its connection goes
// back to the pool at once (before the proxy has finished writing to its
// client, so the client's next request finds it idle, as with
// http.Transport); closed earlier, the connection is closed.
type backendBody struct {
	rc    io.ReadCloser
	b     *backend
	c     *backendConn
	stop  func() bool // unregisters the cancellation of the exchange
	reuse bool
	done  bool // the connection is released (pooled or closed)
}

func (bb *backendBody) Read(p []byte) (int, error) {
	if bb.done {
		return 0, io.EOF
	}
	n, err := bb.rc.Read(p)
	if errors.Is(err, io.EOF) {
		bb.release(true)
	}
	return n, err
}

func (bb *backendBody) Close() error {
	if bb.done {
		return nil
	}
	bb.release(false)
	return nil
}

// release pools the connection after a body read to its end, or closes it.
func (bb *backendBody) release(atEOF bool) {
	bb.done = true
	// stop is false when the request was cancelled: the connection's
	// deadline is in the past, so it is not reused.
	if bb.stop() && atEOF && bb.reuse {
		bb.b.put(bb.c)
		return
	}
	_ = bb.c.conn.Close()
}
