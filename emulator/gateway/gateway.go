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
	"time"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// New returns a handler that forwards each request to
// functionsURL + "/" + <function name> + <original path>, streaming bodies
// both ways. The runner strips the "/<function name>" prefix again, so each
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
		Transport:     newTransport(),
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

// newTransport returns the gateway's own transport: keep-alives on, an idle
// pool sized for its load, and timeouts that fail fast on a dead local
// backend without cutting off long responses (bodies stream, so there is no
// overall response timeout).
func newTransport() *http.Transport {
	return &http.Transport{
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:          2 * maxIdlePerHost,
		MaxIdleConnsPerHost:   maxIdlePerHost,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
		ResponseHeaderTimeout: 6 * time.Minute, // above the longest function timeout (300 s)
	}
}
