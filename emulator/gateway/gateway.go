// Package gateway is the local stand-in for production's load balancer: one
// origin whose path templates (from infra/functions.yaml, the same table
// Terraform builds the URL map from) pick the function that serves a request.
package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// New returns a handler that forwards each request to
// functionsURL + "/" + <function name> + <original path>, streaming response
// bodies (request bodies of known length up to 1 MiB are sent whole, larger
// or unknown ones stream; see backend). The runner strips the "/<function name>" prefix again, so each
// function sees the production path.
func New(m *manifest.Manifest, functionsURL *url.URL, logger *slog.Logger) http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			fn, _ := manifest.RouteFromContext(pr.In.Context())
			pr.SetURL(functionsURL)
			pr.Out.URL.Path = "/" + fn + pr.In.URL.Path
			pr.Out.URL.RawPath = ""
			if pr.In.URL.RawPath != "" {
				pr.Out.URL.RawPath = "/" + fn + pr.In.URL.RawPath
			}
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		Transport:     newBackendTransport(functionsURL),
		BufferPool:    &bufferPool{},
		FlushInterval: -1,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			apierror.Write(r.Context(), w, logger, apierror.Unavailable(err))
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("ok\n"))
			return
		}
		fn, ok := m.Route(r.URL.Path)
		if !ok {
			apierror.Write(r.Context(), w, nil, apierror.NotFound("no such resource: %s", r.URL.Path))
			return
		}
		proxy.ServeHTTP(w, r.WithContext(manifest.WithRoute(r.Context(), fn)))
	})
}

// maxIdlePerHost is how many idle connections the gateway keeps to the one
// functions origin. The default transport keeps 2, so above two concurrent
// clients most requests opened (and the backend accepted) a fresh connection;
// 64 covers the 32-client load the benchmarks drive, with room to spare.
const maxIdlePerHost = 64

// newBackendTransport returns the transport to the functions origin: the
// backend's in-goroutine exchanges over plain HTTP, falling back to
// newTransport's for what the backend does not send itself (and for an
// https origin).
func newBackendTransport(functionsURL *url.URL) http.RoundTripper {
	t := newTransport()
	if functionsURL.Scheme != "http" {
		return t
	}
	addr := functionsURL.Host
	if functionsURL.Port() == "" {
		addr = net.JoinHostPort(functionsURL.Hostname(), "80")
	}
	return newBackend(addr, dialer(), t, maxIdlePerHost, idleTimeout, responseHeaderTimeout)
}

// newTransport returns the gateway's own transport: keep-alives on, an idle
// pool sized for its load, and timeouts that fail fast on a dead local
// backend without cutting off long responses (bodies stream, so there is no
// overall response timeout).
func newTransport() *http.Transport {
	return &http.Transport{
		DialContext:           dialer().DialContext,
		MaxIdleConns:          2 * maxIdlePerHost,
		MaxIdleConnsPerHost:   maxIdlePerHost,
		IdleConnTimeout:       idleTimeout,
		ExpectContinueTimeout: 1 * time.Second,
		ResponseHeaderTimeout: responseHeaderTimeout,
	}
}

const (
	idleTimeout           = 90 * time.Second
	responseHeaderTimeout = 6 * time.Minute // above the longest function timeout (300 s)
)

func dialer() *net.Dialer {
	return &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
}

// bufferPool recycles the proxy's body-copy buffers (32 KiB each, otherwise
// allocated per request).
type bufferPool struct{ p sync.Pool }

func (bp *bufferPool) Get() []byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		return *b
	}
	return make([]byte, 32<<10)
}

func (bp *bufferPool) Put(b []byte) { bp.p.Put(&b) }
