package gateway

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// echoBackend answers every request with its method, path, Content-Length
// and body, counting the connections it accepts.
func echoBackend(t *testing.T) (*url.URL, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Query().Get("chunked") != "" { // a streamed answer, in two flushed parts
			_, _ = fmt.Fprintf(w, "%s %s ", r.Method, r.URL.Path)
			http.NewResponseController(w).Flush()
			_, _ = fmt.Fprintf(w, "%d %s", r.ContentLength, body)
			return
		}
		w.Header().Set("X-Seen-Expect", r.Header.Get("Expect"))
		_, _ = fmt.Fprintf(w, "%s %s %d %s", r.Method, r.URL.Path, r.ContentLength, body)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u, &conns
}

func do(t *testing.T, c *http.Client, req *http.Request) string {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, resp.StatusCode, b)
	}
	return string(b)
}

// TestBackendExchanges sends every kind of request through the backend
// transport, inline or through the fallback, and wants each answered as
// sent; the inline ones share one connection.
func TestBackendExchanges(t *testing.T) {
	t.Parallel()
	u, conns := echoBackend(t)
	c := &http.Client{Transport: newBackendTransport(u)}
	big := strings.Repeat("x", maxInlineBody+1)
	tests := []struct {
		name     string
		req      func() *http.Request
		want     string
		fallback bool
	}{
		{"get", func() *http.Request { r, _ := http.NewRequest("GET", u.String()+"/v2/a", nil); return r }, "GET /v2/a 0 ", false},
		{"post json", func() *http.Request {
			r, _ := http.NewRequest("POST", u.String()+"/v2/a", strings.NewReader(`{"a":1}`))
			return r
		}, `POST /v2/a 7 {"a":1}`, false},
		{"post empty", func() *http.Request { r, _ := http.NewRequest("POST", u.String()+"/v2/a:close", nil); return r }, "POST /v2/a:close 0 ", false},
		{"patch", func() *http.Request {
			r, _ := http.NewRequest("PATCH", u.String()+"/v2/a?updateMask=priority", strings.NewReader(`{"priority":"P1"}`))
			return r
		}, `PATCH /v2/a 17 {"priority":"P1"}`, false},
		{"chunked answer", func() *http.Request {
			r, _ := http.NewRequest("POST", u.String()+"/v2/c?chunked=1", strings.NewReader("abc"))
			return r
		}, "POST /v2/c 3 abc", false},
		{"body of unknown length", func() *http.Request {
			r, _ := http.NewRequest("POST", u.String()+"/v2/u", io.MultiReader(strings.NewReader("ab"), strings.NewReader("c")))
			return r
		}, "POST /v2/u -1 abc", true},
		{"large body", func() *http.Request {
			r, _ := http.NewRequest("PUT", u.String()+"/v2/big", strings.NewReader(big))
			return r
		}, fmt.Sprintf("PUT /v2/big %d %s", len(big), big), true},
		{"expect continue", func() *http.Request {
			r, _ := http.NewRequest("POST", u.String()+"/v2/e", strings.NewReader("abc"))
			r.Header.Set("Expect", "100-continue")
			return r
		}, "POST /v2/e 3 abc", true},
	}
	for _, tt := range tests {
		if got := do(t, c, tt.req()); got != tt.want {
			t.Errorf("%s: got %.80q, want %.80q", tt.name, got, tt.want)
		}
		if inline(tt.req()) == tt.fallback {
			t.Errorf("%s: inline = %v, want %v", tt.name, !tt.fallback, !tt.fallback)
		}
	}
	// The inline exchanges reused one connection; each fallback one has
	// its own transport's connection (one, reused too).
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (one per transport)", n)
	}
}

// TestBackendStaleConnection: a pooled connection the backend closed is
// noticed on the next request, which is sent again on a fresh connection
// when that is safe (nothing was sent, or the method is idempotent); a
// POST that may have been served is not repeated.
func TestBackendStaleConnection(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		method string
		retry  bool
	}{{"GET", true}, {"POST", false}} {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			// A backend that answers one request per connection and then
			// closes it without saying so (no "Connection: close").
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			var served atomic.Int64
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					req, err := http.ReadRequest(bufio.NewReader(conn))
					if err == nil {
						_, _ = io.Copy(io.Discard, req.Body)
						served.Add(1)
						_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
					}
					conn.Close()
				}
			}()
			u := &url.URL{Scheme: "http", Host: ln.Addr().String()}
			tr := newBackendTransport(u).(*backend)
			c := &http.Client{Transport: tr}
			first, _ := http.NewRequest("GET", u.String()+"/a", nil)
			if got := do(t, c, first); got != "ok" {
				t.Fatalf("first: %q", got)
			}
			// Wait until the pooled connection is surely closed by the peer.
			tr.mu.Lock()
			pooled := tr.idle[0]
			tr.mu.Unlock()
			if _, err := pooled.br.Peek(1); !errors.Is(err, io.EOF) {
				t.Fatalf("pooled connection: %v, want EOF", err)
			}
			second, _ := http.NewRequest(tt.method, u.String()+"/b", strings.NewReader("x"))
			resp, err := c.Do(second)
			if tt.retry {
				if err != nil {
					t.Fatalf("second %s: %v", tt.method, err)
				}
				resp.Body.Close()
				if n := served.Load(); n != 2 {
					t.Fatalf("served %d, want 2", n)
				}
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("second %s on a stale connection: %s, want an error (not sent twice)", tt.method, resp.Status)
			}
			if !errors.Is(err, errNoAnswer) {
				t.Fatalf("second %s: %v, want errNoAnswer", tt.method, err)
			}
		})
	}
}

// TestBackendCancel: a request whose client goes away ends at once, and the
// backend sees its connection closed (as with http.Transport).
func TestBackendCancel(t *testing.T) {
	t.Parallel()
	started, gone := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // the connection closed
		close(gone)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	c := &http.Client{Transport: newBackendTransport(u)}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/slow", nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled request: %v, want context.Canceled", err)
	}
	<-gone
}
