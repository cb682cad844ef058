// Package portal is the "portal" HTTP function: the Support Center's web
// client, a single-page app served on the API's own origin. It is the
// manifest's default function, so every path no API route claims reaches it.
//
//	GET /assets/{file}   the bundled app (content-hashed names, cached for a year)
//	GET /config.json     what the app needs at run time: Firebase project, API
//	                     key, auth domain and, locally, the Auth emulator's URL
//	GET, POST /__/auth/handler
//	                     single sign-on: where an organisation's identity
//	                     provider sends the person back (below)
//	GET /v2/…, /upload/… a google.rpc.Status 404: an API path no function serves
//	GET anything else    the app's index.html; the app routes on the client, so
//	                     deep links such as /organizations/{org}/cases/{case}
//	                     (the links in our e-mails) open that page after sign-in
//
// The bundle in dist/ is built by web/build.mjs from web/src and committed,
// so `go build` works on a fresh clone; a test rebuilds it and fails when the
// committed bundle differs from what the sources produce.
//
// Single sign-on needs no third-party script: the app asks Identity
// Platform for the provider's sign-in address (accounts:createAuthUri, with
// this origin's /__/auth/handler to come back to) and, when the provider
// sends the person back here, hands its response to Identity Platform
// (accounts:signInWithIdp) itself. Providers answer with a GET (OIDC: the
// response in the query) or a POST (SAML's HTTP-POST binding, OIDC's
// form_post): a GET gets the app, a POST gets the app with the posted form
// in <meta name="sc-idp-response">, since script cannot read a request
// body. Both are never stored (no-store); the app takes the response out of
// the page and the address bar before doing anything else.
//
// Every response carries strict security headers: a Content-Security-Policy
// without inline script, inline style or eval, frame-ancestors 'none',
// nosniff and no referrer. The app calls the API with the ID token in the
// Authorization header, never in a URL.
package portal

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/config"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/logging"
)

func init() { functions.HTTP("portal", Entry) }

//go:embed dist
var dist embed.FS

// Entry is the function's entry point.
var Entry = lazy(Build)

// Build loads the configuration and returns the function's HTTP handler.
func Build(context.Context) (http.Handler, error) {
	var cfg Config
	if err := config.Load(&cfg, config.OSLookuper()); err != nil {
		return nil, err
	}
	if err := config.CheckEmulators(cfg.ProjectID, os.Environ()); err != nil {
		return nil, err
	}
	logger := logging.New(os.Stdout, logging.ParseLevel(cfg.LogLevel))
	h, err := New(cfg, Bundle())
	if err != nil {
		return nil, err
	}
	return httpapi.Wrap(h, httpapi.Options{Logger: logger, ProjectID: cfg.ProjectID}), nil
}

// Bundle is the committed, embedded build of the app (dist/).
func Bundle() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees dist exists
	}
	return sub
}

// Config is the portal's environment.
type Config struct {
	ProjectID string `env:"GOOGLE_CLOUD_PROJECT,required"`
	// APIKey is the Firebase Web API key (public by design: it names the
	// project to Identity Toolkit, it grants nothing). Locally any value works.
	APIKey string `env:"FIREBASE_API_KEY"`
	// AuthDomain defaults to "<project>.firebaseapp.com".
	AuthDomain string `env:"FIREBASE_AUTH_DOMAIN"`
	// AuthEmulatorHost (host:port), set by the local stack, points the
	// browser's Auth SDK at the Auth emulator.
	AuthEmulatorHost string `env:"FIREBASE_AUTH_EMULATOR_HOST"`
	// StorageEmulatorHost (a URL), set by the local stack: large attachments
	// go there through signed upload sessions, so the CSP must allow it.
	StorageEmulatorHost string `env:"STORAGE_EMULATOR_HOST"`
	LogLevel            string `env:"LOG_LEVEL" default:"info"`
}

// Validate requires a real API key outside the emulator.
func (c *Config) Validate() error {
	if c.APIKey == "" && c.AuthEmulatorHost == "" {
		return errors.New("FIREBASE_API_KEY is required (unless FIREBASE_AUTH_EMULATOR_HOST is set)")
	}
	return nil
}

// ClientConfig is GET /config.json.
type ClientConfig struct {
	ProjectID       string `json:"projectId"`
	APIKey          string `json:"apiKey"`
	AuthDomain      string `json:"authDomain"`
	AuthEmulatorURL string `json:"authEmulatorUrl,omitempty"`
}

// asset is one embedded file, with its gzip form computed once.
type asset struct {
	body, gz    []byte
	contentType string
	cache       string
}

// Handler serves the app.
type Handler struct {
	assets map[string]*asset // by path, "/assets/…"
	index  *asset
	config []byte
	csp    string
}

// New builds the handler over a bundle (dist/ or a test's files): every
// file is read and compressed once, here.
func New(cfg Config, bundle fs.FS) (*Handler, error) {
	h := &Handler{assets: map[string]*asset{}}
	err := fs.WalkDir(bundle, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(bundle, p)
		if err != nil {
			return err
		}
		a, err := newAsset(b, contentType(p), "public, max-age=31536000, immutable")
		if err != nil {
			return err
		}
		if p == "index.html" {
			a.cache = "no-cache"
			h.index = a
			return nil
		}
		h.assets["/"+p] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("portal bundle: %w", err)
	}
	if h.index == nil {
		return nil, errors.New("portal bundle: no index.html")
	}
	cc := ClientConfig{ProjectID: cfg.ProjectID, APIKey: cfg.APIKey, AuthDomain: cfg.AuthDomain}
	if cc.AuthDomain == "" {
		cc.AuthDomain = cfg.ProjectID + ".firebaseapp.com"
	}
	connect := []string{"'self'"}
	if cfg.AuthEmulatorHost != "" {
		cc.AuthEmulatorURL = "http://" + cfg.AuthEmulatorHost
		if cc.APIKey == "" {
			cc.APIKey = "local-emulator-key"
		}
		connect = append(connect, cc.AuthEmulatorURL)
	} else {
		connect = append(connect, "https://identitytoolkit.googleapis.com", "https://securetoken.googleapis.com")
	}
	if cfg.StorageEmulatorHost != "" {
		connect = append(connect, strings.TrimRight(cfg.StorageEmulatorHost, "/"))
	} else {
		connect = append(connect, "https://storage.googleapis.com")
	}
	if h.config, err = json.Marshal(cc); err != nil {
		return nil, err
	}
	h.csp = strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src " + strings.Join(connect, " "),
		"manifest-src 'self'",
		"form-action 'self'",
		"base-uri 'none'",
		"object-src 'none'",
		"frame-ancestors 'none'",
	}, "; ")
	return h, nil
}

func newAsset(body []byte, ctype, cache string) (*asset, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &asset{body: body, gz: buf.Bytes(), contentType: ctype, cache: cache}, nil
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".json":
		return "application/json"
	default:
		return "text/plain; charset=utf-8"
	}
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", h.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if r.Header.Get("X-Forwarded-Proto") == "https" || r.TLS != nil {
		hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	p := r.URL.Path
	if p == CallbackPath {
		h.callback(w, r)
		return
	}
	if isAPIPath(p) {
		apierror.Write(r.Context(), w, nil, apierror.NotFound("no such resource: %s", p))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		apierror.Write(r.Context(), w, nil, apierror.MethodNotAllowed(r.Method))
		return
	}
	switch {
	case p == "/config.json":
		hd.Set("Content-Type", "application/json")
		hd.Set("Cache-Control", "no-store")
		_, _ = w.Write(h.config)
	case strings.HasPrefix(p, "/assets/"):
		a, ok := h.assets[p]
		if !ok {
			// An old bundle's file (names carry a content hash), or a typo:
			// not the app, and in the API's error shape.
			hd.Set("Cache-Control", "no-store")
			apierror.Write(r.Context(), w, nil, apierror.NotFound("no such file: %s", p))
			return
		}
		serve(w, r, a)
	default:
		serve(w, r, h.index)
	}
}

// CallbackPath is where identity providers send people back after single
// sign-on: Identity Platform's own handler path, so a provider registered
// with "https://<auth domain>/__/auth/handler" (a SAML provider's
// callbackUri, shown by GET …/ssoConfig) reaches the portal when the auth
// domain is the portal's host.
const CallbackPath = "/__/auth/handler"

// maxIDPResponse bounds a posted provider response (a signed SAML
// assertion is a few kilobytes to some tens).
const maxIDPResponse = 256 << 10

// idpMeta is the element carrying a posted provider response to the app.
const idpMeta = `<meta name="sc-idp-response" content="`

// callback serves CallbackPath: the app for a GET, the app with the posted
// form for a POST; never cached, never anything else.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		hd.Set("Content-Type", h.index.contentType)
		hd.Set("Content-Length", fmt.Sprint(len(h.index.body)))
		if r.Method == http.MethodGet {
			_, _ = w.Write(h.index.body)
		}
	case http.MethodPost:
		body, err := idpResponse(w, r)
		if err != nil {
			apierror.Write(r.Context(), w, nil, err)
			return
		}
		page := bytes.Replace(h.index.body, []byte("</head>"), []byte(idpMeta+html.EscapeString(body)+"\">\n</head>"), 1)
		hd.Set("Content-Type", h.index.contentType)
		hd.Set("Content-Length", fmt.Sprint(len(page)))
		_, _ = w.Write(page)
	default:
		hd.Set("Allow", "GET, HEAD, POST")
		apierror.Write(r.Context(), w, nil, apierror.MethodNotAllowed(r.Method))
	}
}

// idpResponse reads a provider's posted response: a form
// (application/x-www-form-urlencoded) of at most maxIDPResponse bytes,
// returned as sent (Identity Platform reads it, the portal does not).
func idpResponse(w http.ResponseWriter, r *http.Request) (string, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0]))
	if ct != "application/x-www-form-urlencoded" {
		return "", apierror.InvalidArgument("an identity provider's response is a form (application/x-www-form-urlencoded)")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxIDPResponse))
	if err != nil {
		return "", apierror.InvalidArgument("an identity provider's response is at most %d bytes", maxIDPResponse)
	}
	form, err := url.ParseQuery(string(b))
	if err != nil || len(form) == 0 {
		return "", apierror.InvalidArgument("an identity provider's response must be a non-empty form")
	}
	return string(b), nil
}

// isAPIPath: paths in the API's namespaces that no API route matched keep
// the API's error shape rather than receiving the app.
func isAPIPath(p string) bool {
	return p == "/v2" || strings.HasPrefix(p, "/v2/") || p == "/upload" || strings.HasPrefix(p, "/upload/")
}

func serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.contentType)
	hd.Set("Cache-Control", a.cache)
	hd.Add("Vary", "Accept-Encoding")
	body := a.body
	if acceptsGzip(r) {
		hd.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	hd.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// lazy builds the handler on the first request, once, safely under
// concurrency; a failed build answers 503 until the instance is replaced.
// (shared/runtime does this for every other function, but importing it
// would link the Firestore and Auth clients into a function that uses
// neither: the portal only serves files and its run-time config.)
func lazy(build func(context.Context) (http.Handler, error)) http.HandlerFunc {
	get := sync.OnceValues(func() (http.Handler, error) { return build(context.Background()) })
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := get()
		if err != nil {
			apierror.Write(r.Context(), w, slog.Default(), apierror.Unavailable(err))
			return
		}
		h.ServeHTTP(w, r)
	}
}
