package attachments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// part is one part of a test multipart body.
type part struct {
	header map[string]string
	body   string
}

// multipartBody builds a multipart/related body as Google's discovery
// client sends it (JSON part, then the media part).
func multipartBody(t *testing.T, parts ...part) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		for k, v := range p.header {
			h.Set(k, v)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), "multipart/related; boundary=" + mw.Boundary()
}

var (
	jsonPart  = func(s string) part { return part{map[string]string{"Content-Type": "application/json"}, s} }
	mediaPart = func(s string) part { return part{map[string]string{"Content-Type": "image/png"}, s} }
	goodMeta  = jsonPart(`{"attachment":{"filename":"cat.png"}}`)
)

func uploadRequest(body []byte, contentType, query string) *http.Request {
	r := httptest.NewRequest("POST", "/upload/v2/organizations/o/cases/123456789/attachments?"+query, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	return r
}

// readAll parses an upload and reads its file, as the handler does.
func readAll(r *http.Request, limit int64) (*upload, []byte, error) {
	typ, err := uploadTypeOf(r)
	if err != nil {
		return nil, nil, err
	}
	u, err := parseUpload(r, typ)
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(&capReader{r: u.media, n: limit})
	if err != nil {
		return u, nil, copyError(err, limit)
	}
	return u, b, u.done()
}

func httpStatus(err error) int {
	var ae *apierror.Error
	if errors.As(err, &ae) {
		return ae.HTTPStatus
	}
	return 0
}

func TestParseUploadMultipart(t *testing.T) {
	t.Parallel()
	body, ct := multipartBody(t, goodMeta, mediaPart("\x89PNG bytes"))
	u, got, err := readAll(uploadRequest(body, ct, "uploadType=multipart&alt=json"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if u.filename != "cat.png" || u.declaredType != "image/png" || string(got) != "\x89PNG bytes" {
		t.Fatalf("got filename %q type %q bytes %q", u.filename, u.declaredType, got)
	}
}

func TestParseUploadSimple(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"uploadType=media&attachment.filename=a.txt", "attachment.filename=a.txt"} {
		u, got, err := readAll(uploadRequest([]byte("hello"), "text/plain", q), 1<<20)
		if err != nil || u.filename != "a.txt" || string(got) != "hello" {
			t.Fatalf("%s: %v %+v %q", q, err, u, got)
		}
	}
}

func TestParseUploadLimits(t *testing.T) {
	t.Parallel()
	bigMeta := jsonPart(`{"attachment":{"filename":"` + strings.Repeat("a", maxPreambleBytes) + `"}}`)
	bigHeader := part{map[string]string{"Content-Type": "application/json", "X-Pad": strings.Repeat("p", maxPreambleBytes)}, `{}`}
	tests := []struct {
		name   string
		parts  []part
		ct     string // overrides the multipart content type
		query  string
		limit  int64
		status int
		msg    string
	}{
		{name: "resumable refused", parts: []part{goodMeta, mediaPart("x")}, query: "uploadType=resumable", status: 400, msg: "uploadSession"},
		{name: "unknown upload type", parts: []part{goodMeta, mediaPart("x")}, query: "uploadType=chunked", status: 400, msg: "unknown uploadType"},
		{name: "not multipart", parts: []part{goodMeta, mediaPart("x")}, ct: "application/json", status: 400, msg: "multipart/related"},
		{name: "no boundary", parts: []part{goodMeta, mediaPart("x")}, ct: "multipart/related", status: 400, msg: "boundary"},
		{name: "metadata over the preamble limit", parts: []part{bigMeta, mediaPart("x")}, status: 400, msg: "too large"},
		{name: "part header over the preamble limit", parts: []part{bigHeader, mediaPart("x")}, status: 400, msg: "too large"},
		{name: "metadata not JSON", parts: []part{{map[string]string{"Content-Type": "text/plain"}, "x"}, mediaPart("x")}, status: 400, msg: "must be JSON"},
		{name: "metadata malformed", parts: []part{jsonPart(`{"attachment":`), mediaPart("x")}, status: 400, msg: "CreateAttachmentRequest"},
		{name: "metadata unknown field", parts: []part{jsonPart(`{"attachment":{"filename":"a"},"x":1}`), mediaPart("x")}, status: 400, msg: "unknown field"},
		{name: "no file part", parts: []part{goodMeta}, status: 400, msg: "ended before the file part"},
		{name: "a third part", parts: []part{goodMeta, mediaPart("x"), mediaPart("y")}, status: 400, msg: "exactly two parts"},
		{name: "file over the limit", parts: []part{goodMeta, mediaPart(strings.Repeat("x", 101))}, limit: 100, status: 413},
		{name: "file at the limit", parts: []part{goodMeta, mediaPart(strings.Repeat("x", 100))}, limit: 100, status: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, tc.parts...)
			if tc.ct != "" {
				ct = tc.ct
			}
			q := tc.query
			if q == "" {
				q = "uploadType=multipart"
			}
			limit := tc.limit
			if limit == 0 {
				limit = 1 << 20
			}
			_, _, err := readAll(uploadRequest(body, ct, q), limit)
			if got := httpStatus(err); got != tc.status {
				t.Fatalf("status %d (%v), want %d", got, err, tc.status)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

// TestUploadRequestLimit: a body over MaxRequestBytes is refused with 413
// before it is read when its length is declared, and as soon as it crosses
// the limit when it is chunked.
func TestUploadRequestLimit(t *testing.T) {
	t.Parallel()
	h := &Handler{}
	declared := &countingBody{}
	r := httptest.NewRequest("POST", "/upload/v2/organizations/o/cases/123456789/attachments", declared)
	r.ContentLength = MaxRequestBytes + 1
	err := h.upload(httptest.NewRecorder(), r)
	if httpStatus(err) != http.StatusRequestEntityTooLarge || declared.n != 0 {
		t.Fatalf("declared oversize body: %v after reading %d bytes", err, declared.n)
	}

	// Chunked: the same cap the handler installs (http.MaxBytesReader).
	meta, ct := multipartBody(t, goodMeta)
	meta = bytes.TrimSuffix(meta, []byte("--"+strings.TrimPrefix(ct, "multipart/related; boundary=")+"--\r\n"))
	prefix := fmt.Sprintf("%s--%s\r\nContent-Type: image/png\r\n\r\n", meta, strings.TrimPrefix(ct, "multipart/related; boundary="))
	chunked := io.MultiReader(strings.NewReader(prefix), zeros{})
	r = uploadRequest(nil, ct, "uploadType=multipart")
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(chunked), 1<<20)
	r.ContentLength = -1
	_, _, err = readAll(r, 8<<20)
	if httpStatus(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked oversize body: %v", err)
	}
}

type countingBody struct{ n int }

func (c *countingBody) Read(p []byte) (int, error) { c.n += len(p); return len(p), nil }

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
