// Package gateway is the local stand-in for production's load balancer: one
// origin whose path templates (from infra/functions.yaml, the same table
// Terraform builds the URL map from) pick the function that serves a request.
package gateway

import (
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"

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
