// Package objectstore is the one client of Cloud Storage: a small,
// explicit client over net/http for exactly what the functions do with
// objects — read one generation whole (hashing) or its first bytes
// (sniffing), create an object that must not exist yet (media uploads,
// streamed in chunks), and delete one generation. Signed URLs are made in
// package signedurl.
//
// It replaces cloud.google.com/go/storage, which links its gRPC,
// DirectPath and xDS stack (gRPC xDS, envoy's protos, the OpenTelemetry
// SDK and a Cloud Monitoring client: about 200 packages, 19 MB of every
// binary that uses it) even when only its JSON/XML client is used. The
// requests are the ones that library sends over HTTP, so Cloud Storage and
// fake-gcs-server answer them the same way:
//
//   - reads go to the XML API (GET /<bucket>/<object>?generation=N) with
//     Accept-Encoding: gzip, so a stored Content-Encoding is never decoded
//     (the bytes are the uploaded ones); a whole read is checked against
//     the object's CRC32C, and a read that breaks off is resumed from the
//     byte it stopped at (same generation);
//   - uploads go to the JSON API: one multipart request when the object
//     fits in one chunk, else a resumable session whose chunks are sent
//     in turn, the CRC32C of the whole object with the last;
//   - deletes to the JSON API, one generation.
//
// Transient failures (429, 408, 5xx, a reset or refused connection) are
// retried with exponential backoff, at most maxAttempts times per request.
// Requests carry Application Default Credentials (the function's service
// account); with STORAGE_EMULATOR_HOST set they go to the emulator
// (fake-gcs-server) without credentials.
package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// Host is production Cloud Storage.
const Host = "storage.googleapis.com"

// scope is the OAuth scope of every call (the library's too).
const scope = "https://www.googleapis.com/auth/cloud-platform"

// ErrNotExist is returned (matched with errors.Is) when the object or the
// generation asked for does not exist.
var ErrNotExist = errors.New("objectstore: object does not exist")

// ErrPrecondition is returned (matched with errors.Is) when a create
// finds the object already there.
var ErrPrecondition = errors.New("objectstore: precondition failed")

// Error is a refusal by Cloud Storage other than ErrNotExist and
// ErrPrecondition (which it also matches, by status).
type Error struct {
	Op     string // "read", "delete", "upload"
	Status int
	Body   string // the start of the answer, for the log
}

func (e *Error) Error() string {
	return fmt.Sprintf("objectstore: %s: HTTP %d: %s", e.Op, e.Status, e.Body)
}

// Is makes a 404 ErrNotExist and a 412 ErrPrecondition.
func (e *Error) Is(target error) bool {
	return (target == ErrNotExist && e.Status == http.StatusNotFound) ||
		(target == ErrPrecondition && e.Status == http.StatusPreconditionFailed)
}

// Config configures a Client; the zero value is production.
type Config struct {
	// EmulatorHost is STORAGE_EMULATOR_HOST ("http://host:port", or
	// "host:port" for http): calls go there, without credentials.
	EmulatorHost string
	// HTTPClient, if set, makes every call as is (tests).
	HTTPClient *http.Client
}

// Client talks to Cloud Storage (or its emulator). It is safe for
// concurrent use.
type Client struct {
	http *http.Client
	// base is "https://storage.googleapis.com" or the emulator's
	// "http://host:port": the XML API at /, the JSON API at /storage/v1,
	// uploads at /upload/storage/v1.
	base string
}

// New builds a Client. It makes no network call.
func New(ctx context.Context, cfg Config) (*Client, error) {
	base := "https://" + Host
	if cfg.EmulatorHost != "" {
		base = cfg.EmulatorHost
		if !strings.Contains(base, "://") {
			base = "http://" + base
		}
		base = strings.TrimRight(base, "/")
	}
	client := cfg.HTTPClient
	if client == nil {
		// Concurrent requests keep their connections (Google's clients
		// keep 100 idle per host too; net/http's default is 2).
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 100
		// No client timeout: a read of a large object streams for as long
		// as it takes; every request is bounded by its context.
		client = &http.Client{Transport: t}
		if cfg.EmulatorHost == "" {
			// The token source outlives ctx (often the first request's).
			ts, err := google.DefaultTokenSource(context.WithoutCancel(ctx), scope)
			if err != nil {
				return nil, fmt.Errorf("objectstore: credentials: %w", err)
			}
			client = &http.Client{Transport: &oauth2.Transport{Source: ts, Base: t}}
		}
	}
	return &Client{http: client, base: base}, nil
}

// NewFromEnv builds a Client, on the emulator when STORAGE_EMULATOR_HOST
// is set.
func NewFromEnv(ctx context.Context) (*Client, error) {
	return New(ctx, Config{EmulatorHost: os.Getenv("STORAGE_EMULATOR_HOST")})
}

// Bucket is one bucket of a Client.
type Bucket struct {
	c    *Client
	name string
}

// Bucket returns the bucket called name.
func (c *Client) Bucket(name string) *Bucket { return &Bucket{c: c, name: name} }

// Name is the bucket's name.
func (b *Bucket) Name() string { return b.name }

// objectJSONURL is the JSON API resource of object (the name is one
// escaped path segment there).
func (b *Bucket) objectJSONURL(object string) string {
	return b.c.base + "/storage/v1/b/" + url.PathEscape(b.name) + "/o/" + url.PathEscape(object)
}

// objectXMLURL is the XML API resource of object (as the library forms
// it: the name escaped as one path segment).
func (b *Bucket) objectXMLURL(object string) string {
	return b.c.base + "/" + url.PathEscape(b.name) + "/" + url.PathEscape(object)
}

// Delete deletes one generation of object; ErrNotExist if it is not there.
func (b *Bucket) Delete(ctx context.Context, object string, generation int64) error {
	u := b.objectJSONURL(object) + "?generation=" + fmt.Sprint(generation)
	res, err := b.c.do(ctx, "delete", func() (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodDelete, u, nil)
	})
	if err != nil {
		return err
	}
	drain(res)
	return nil
}

// do sends the request newReq builds, retrying transient failures, and
// returns a 2xx answer (the caller closes its body); any other answer is
// an *Error.
func (c *Client) do(ctx context.Context, op string, newReq func() (*http.Request, error)) (*http.Response, error) {
	return retry(ctx, func() (*http.Response, error) {
		req, err := newReq()
		if err != nil {
			return nil, err
		}
		res, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		if res.StatusCode/100 != 2 {
			return nil, errorOf(op, res)
		}
		return res, nil
	})
}

// errorOf turns a refusal into an *Error, closing its body.
func errorOf(op string, res *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	drain(res)
	return &Error{Op: op, Status: res.StatusCode, Body: strings.TrimSpace(string(b))}
}

// drain reads what is left of a small answer and closes it, so the
// connection is reused.
func drain(res *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
}
