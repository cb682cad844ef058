package signedurl

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cloud.google.com/go/storage"
)

// TestSignatureMatchesStorageLibrary holds the V4 signing here to Google's
// storage library's (the one the functions used before): for the same
// key, account, time and request, both produce the same URL, byte for
// byte — in production (https, storage.googleapis.com) and locally (http,
// the emulator's host and port), for uploads and downloads, with names and
// dispositions that need escaping.
func TestSignatureMatchesStorageLibrary(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	const account = "fn@proj.iam.gserviceaccount.com"
	tests := []struct {
		name        string
		emulator    string
		method      string
		object      string
		generation  int64
		disposition string
	}{
		{"production upload", "", UploadMethod, "orgs/acme/cases/c1/attachments/a1", 0, ""},
		{"production download", "", "GET", "resources/r1", 42, `attachment; filename="a b.pdf"; filename*=UTF-8''a%20b.pdf`},
		{"emulator upload", "http://127.0.0.1:4443", UploadMethod, "orgs/acme/cases/c 2/attachments/a+2", 0, ""},
		{"emulator download", "http://127.0.0.1:4443", "GET", "resources/r=1&x", 7, "attachment"},
		{"download without generation", "", "GET", "resources/ü", 0, "inline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := New("proj-attachments", tc.emulator, "proj", "fn")
			if err != nil {
				t.Fatal(err)
			}
			id := &identity{account: account, sign: keySigner(key)}
			opts := &storage.SignedURLOptions{
				GoogleAccessID: account, PrivateKey: pemKey, Scheme: storage.SigningSchemeV4,
				Method: tc.method, Expires: time.Now().Add(15 * time.Minute), Hostname: s.host, Insecure: s.scheme == "http",
			}
			var headers map[string]string
			query := url.Values{}
			if tc.method == UploadMethod {
				headers = resumableStartHeaders
				for k, v := range headers {
					opts.Headers = append(opts.Headers, k+":"+v)
				}
				if s.emulated {
					query.Set("name", tc.object)
				}
			} else {
				query.Set("response-content-disposition", tc.disposition)
				if tc.generation > 0 {
					query.Set("generation", strconv.FormatInt(tc.generation, 10))
				}
			}
			opts.QueryParameters = query
			want, err := storage.SignedURL("proj-attachments", tc.object, opts)
			if err != nil {
				t.Fatal(err)
			}
			// Sign at the library's time, for the same lifetime.
			u, err := url.Parse(want)
			if err != nil {
				t.Fatal(err)
			}
			now, err := time.Parse("20060102T150405Z", u.Query().Get("X-Goog-Date"))
			if err != nil {
				t.Fatal(err)
			}
			secs, err := strconv.Atoi(u.Query().Get("X-Goog-Expires"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.signV4(context.Background(), id, now, tc.method, tc.object, headers, query, now.Add(time.Duration(secs)*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("signed URL differs from the storage library's:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestSignedURLs: the public methods sign for the right host, scheme,
// method and lifetime, with the emulator's name parameter only locally.
func TestSignedURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, emulator, wantPrefix string
		wantName                   bool
	}{
		{"emulator", "http://127.0.0.1:4443", "http://127.0.0.1:4443/b/o/x?", true},
		{"emulator without scheme", "localhost:9000", "http://localhost:9000/b/o/x?", true},
		{"emulator over https", "https://gcs.local", "https://gcs.local/b/o/x?", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := New("b", tc.emulator, "proj", "fn")
			if err != nil {
				t.Fatal(err)
			}
			expires := time.Now().Add(UploadTTL)
			up, err := s.UploadURL("o/x", expires)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(up)
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Scheme + "://" + u.Host + u.EscapedPath() + "?"; got != tc.wantPrefix {
				t.Errorf("upload URL %s, want it to start %s", up, tc.wantPrefix)
			}
			q := u.Query()
			// Valid until expires (signing time + lifetime, both in whole seconds).
			date, _ := time.Parse("20060102T150405Z", q.Get("X-Goog-Date"))
			secs, _ := strconv.Atoi(q.Get("X-Goog-Expires"))
			if until := date.Add(time.Duration(secs) * time.Second); until.After(expires) || until.Before(expires.Add(-2*time.Second)) {
				t.Errorf("upload URL valid until %s, want %s", until, expires)
			}
			if (q.Get("name") == "o/x") != tc.wantName || q.Get("X-Goog-SignedHeaders") != "host;x-goog-if-generation-match;x-goog-resumable" || q.Get("X-Goog-Signature") == "" ||
				q.Get("X-Goog-Credential")[:len("fn-local@proj.iam.gserviceaccount.com/")] != "fn-local@proj.iam.gserviceaccount.com/" {
				t.Errorf("upload URL query %v", q)
			}
			down, err := s.DownloadURL("o/x", 5, "attachment", time.Now().Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			d, _ := url.Parse(down)
			if dq := d.Query(); dq.Get("generation") != "5" || dq.Get("response-content-disposition") != "attachment" || dq.Get("X-Goog-SignedHeaders") != "host" || dq.Has("name") {
				t.Errorf("download URL query %v", dq)
			}
			if _, err := s.DownloadURL("o/x", 5, "attachment", time.Now().Add(8*24*time.Hour)); err == nil {
				t.Error("a signature valid for more than seven days was made")
			}
		})
	}
}
