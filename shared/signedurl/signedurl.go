// Package signedurl signs the V4 Cloud Storage URLs that let clients move
// large files without passing them through a function: a resumable upload
// that can create one object only (case attachments' upload sessions,
// published resources), and a short-lived download of one validated
// generation with the Content-Disposition the caller chose.
//
// The signature is Cloud Storage's V4 scheme (GOOG4-RSA-SHA256, path-style
// URLs, unsigned payload), computed here as Google's storage library
// computes it (a test holds the two to the same URL). In production the
// signer has no key: on first use it finds the function's service account
// (the metadata server's default account, or the client_email of a key
// file) and signs through the IAM Credentials signBlob API (the account
// needs roles/iam.serviceAccountTokenCreator on itself; the manifest's
// signs_urls grants it); a key file's own key signs locally. Locally there
// are no credentials, so a key generated at start signs; fake-gcs-server
// does not verify signatures.
package signedurl

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// UploadTTL is how long a signed upload URL can start an upload. Once
// started, Cloud Storage keeps the resumable session (its Location URI)
// for up to a week; the object is validated whenever it is finalized.
const UploadTTL = 15 * time.Minute

// maxTTL is the longest a V4 signature can be valid.
const maxTTL = 7 * 24 * time.Hour

// storageHost is production Cloud Storage's (path-style URLs).
const storageHost = "storage.googleapis.com"

// Signer signs V4 URLs for one bucket. It is safe for concurrent use.
type Signer struct {
	bucket string
	scheme string // "https", or "http" for a plain emulator
	host   string // what the URL names: storageHost or the emulator's host:port
	// emulated: upload URLs also carry a signed name=<object> query
	// parameter, because fake-gcs-server (v1.56.1) takes a resumable
	// upload's object name from that parameter and ignores the URL path
	// (without it the object is created with an empty name). Real Cloud
	// Storage takes the name from the path, as it should.
	emulated bool
	// localAccount is the made-up account of the local key (emulated).
	localAccount string
	now          func() time.Time

	mu sync.Mutex
	id *identity // nil until the first signature
}

// identity is who signs: the account named in the credential and how its
// signature is made.
type identity struct {
	account string
	sign    func(ctx context.Context, b []byte) ([]byte, error)
}

// New returns the signer for bucket in this environment: emulatorHost is
// STORAGE_EMULATOR_HOST ("" in production); account names the local key's
// made-up service account (e.g. the function's name). It makes no network
// call and generates no key: who signs is settled on the first signature
// (a 2048-bit RSA key takes tens of milliseconds to generate, which a
// cold start that signs nothing need not pay).
func New(bucket, emulatorHost, projectID, account string) (*Signer, error) {
	s := &Signer{bucket: bucket, scheme: "https", host: storageHost, now: time.Now}
	if emulatorHost == "" {
		return s, nil
	}
	s.emulated = true
	s.host = emulatorHost
	if h, ok := strings.CutPrefix(emulatorHost, "https://"); ok {
		s.host = h
	} else if _, h, ok := strings.Cut(emulatorHost, "://"); ok {
		s.scheme, s.host = "http", h
	} else {
		s.scheme = "http"
	}
	s.localAccount = account + "-local@" + projectID + ".iam.gserviceaccount.com"
	return s, nil
}

// localIdentity is a key generated for account (locally, where nothing
// verifies signatures).
func localIdentity(account string) (*identity, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("local signing key: %w", err)
	}
	return &identity{account: account, sign: keySigner(key)}, nil
}

// keySigner signs with an RSA key (PKCS #1 v1.5 over SHA-256, as signBlob
// does).
func keySigner(key *rsa.PrivateKey) func(context.Context, []byte) ([]byte, error) {
	return func(_ context.Context, b []byte) ([]byte, error) {
		sum := sha256.Sum256(b)
		return rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	}
}

// resumableStartHeaders are the headers the client must send (and the
// signature covers) when it starts the upload. The generation precondition
// 0 (the object must not exist) makes the signed URL good for one object
// only: used again after the upload, Cloud Storage refuses it (412), so a
// validated file's bytes cannot be replaced. (fake-gcs-server, locally,
// checks no signature; the finalize functions' "first decided generation
// wins" refuses and deletes a later generation wherever it comes from.)
var resumableStartHeaders = map[string]string{"x-goog-resumable": "start", "x-goog-if-generation-match": "0"}

// UploadHeaders returns (a copy of) the headers a client sends with the
// POST that starts a signed resumable upload.
func UploadHeaders() map[string]string { return maps.Clone(resumableStartHeaders) }

// UploadMethod is the method of a signed upload URL.
const UploadMethod = http.MethodPost

// UploadURL signs a POST that starts a resumable upload of object (XML
// API: POST with x-goog-resumable: start answers with the session URI in
// Location), valid until expires. The client must send UploadHeaders.
func (s *Signer) UploadURL(object string, expires time.Time) (string, error) {
	var q url.Values
	if s.emulated {
		q = url.Values{"name": {object}}
	}
	return s.signedURL(UploadMethod, object, resumableStartHeaders, q, expires)
}

// DownloadURL signs a GET of one generation of object, valid until
// expires, whose response carries the given Content-Disposition (Cloud
// Storage's response-content-disposition parameter, covered by the
// signature, so the holder of the URL cannot change it).
func (s *Signer) DownloadURL(object string, generation int64, disposition string, expires time.Time) (string, error) {
	q := url.Values{"response-content-disposition": {disposition}}
	if generation > 0 {
		q.Set("generation", strconv.FormatInt(generation, 10))
	}
	return s.signedURL(http.MethodGet, object, nil, q, expires)
}

// signTimeout bounds finding the account and one signature.
const signTimeout = 30 * time.Second

func (s *Signer) signedURL(method, object string, headers map[string]string, query url.Values, expires time.Time) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), signTimeout)
	defer cancel()
	id, err := s.identity(ctx)
	if err != nil {
		return "", err
	}
	return s.signV4(ctx, id, s.now().UTC(), method, object, headers, query, expires)
}

// signV4 is Cloud Storage's V4 signing of a path-style URL with an
// unsigned payload: the canonical request (method, path, query with the
// X-Goog-* parameters, the signed headers with host, UNSIGNED-PAYLOAD),
// its SHA-256 in the string to sign, the signature in hex as
// X-Goog-Signature.
func (s *Signer) signV4(ctx context.Context, id *identity, now time.Time, method, object string, headers map[string]string, query url.Values, expires time.Time) (string, error) {
	if ttl := expires.Sub(now); ttl <= 0 || ttl > maxTTL {
		return "", fmt.Errorf("signedurl: expiry %s is not within seven days", expires.Format(time.RFC3339))
	}
	path := pathEncode(s.bucket + "/" + object)
	canonHeaders := map[string]string{"host": hostname(s.host)}
	for k, v := range headers {
		canonHeaders[strings.ToLower(k)] = strings.Join(strings.Fields(v), " ")
	}
	names := slices.Sorted(maps.Keys(canonHeaders))
	signedHeaders := strings.Join(names, ";")
	timestamp := now.Format("20060102T150405Z")
	scope := now.Format("20060102") + "/auto/storage/goog4_request"
	q := url.Values{
		"X-Goog-Algorithm":     {"GOOG4-RSA-SHA256"},
		"X-Goog-Credential":    {id.account + "/" + scope},
		"X-Goog-Date":          {timestamp},
		"X-Goog-Expires":       {strconv.Itoa(int(expires.Sub(now).Seconds()))},
		"X-Goog-SignedHeaders": {signedHeaders},
	}
	for k, v := range query {
		q[k] = append(q[k], v...)
	}
	var canon strings.Builder
	canon.WriteString(method + "\n/" + path + "\n")
	// url.Values.Encode escapes as V4 wants, but for a space (%20, not +).
	canon.WriteString(strings.ReplaceAll(q.Encode(), "+", "%20") + "\n")
	for _, k := range names {
		canon.WriteString(k + ":" + canonHeaders[k] + "\n")
	}
	canon.WriteString("\n" + signedHeaders + "\nUNSIGNED-PAYLOAD")
	digest := sha256.Sum256([]byte(canon.String()))
	toSign := "GOOG4-RSA-SHA256\n" + timestamp + "\n" + scope + "\n" + hex.EncodeToString(digest[:])
	sig, err := id.sign(ctx, []byte(toSign))
	if err != nil {
		return "", fmt.Errorf("signedurl: sign: %w", err)
	}
	q.Set("X-Goog-Signature", hex.EncodeToString(sig))
	return s.scheme + "://" + s.host + "/" + path + "?" + q.Encode(), nil
}

// pathEncode escapes each segment of a path as V4 signing wants (query
// escaping, a space as %20).
func pathEncode(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
	}
	return strings.Join(segs, "/")
}

// hostname is host without its port (the signed host header's value).
func hostname(host string) string {
	return (&url.URL{Host: host}).Hostname()
}
