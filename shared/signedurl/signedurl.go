// Package signedurl signs the V4 Cloud Storage URLs that let clients move
// large files without passing them through a function: a resumable upload
// that can create one object only (case attachments' upload sessions,
// published resources), and a short-lived download of one validated
// generation with the Content-Disposition the caller chose.
//
// In production the signer has no key: BucketHandle.SignedURL finds the
// function's service account and signs through the IAM Credentials
// signBlob API (the account needs roles/iam.serviceAccountTokenCreator on
// itself; the manifest's signs_urls grants it). Locally there are no
// credentials, so a key generated at start signs; fake-gcs-server does not
// verify signatures.
package signedurl

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/storage"
)

// UploadTTL is how long a signed upload URL can start an upload. Once
// started, Cloud Storage keeps the resumable session (its Location URI)
// for up to a week; the object is validated whenever it is finalized.
const UploadTTL = 15 * time.Minute

// Signer signs V4 URLs for one bucket.
type Signer struct {
	bucket *storage.BucketHandle
	opts   storage.SignedURLOptions
	// emulated: upload URLs also carry a signed name=<object> query
	// parameter, because fake-gcs-server (v1.56.1) takes a resumable
	// upload's object name from that parameter and ignores the URL path
	// (without it the object is created with an empty name). Real Cloud
	// Storage takes the name from the path, as it should.
	emulated bool
}

// New returns the signer for this environment: emulatorHost is
// STORAGE_EMULATOR_HOST ("" in production); account names the local key's
// made-up service account (e.g. the function's name).
func New(bucket *storage.BucketHandle, emulatorHost, projectID, account string) (*Signer, error) {
	s := &Signer{bucket: bucket}
	if emulatorHost == "" {
		return s, nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("local signing key: %w", err)
	}
	s.emulated = true
	s.opts.GoogleAccessID = account + "-local@" + projectID + ".iam.gserviceaccount.com"
	s.opts.PrivateKey = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	s.opts.Insecure = !strings.HasPrefix(emulatorHost, "https://")
	return s, nil
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
	opts := s.opts
	opts.Scheme = storage.SigningSchemeV4
	opts.Method = UploadMethod
	opts.Expires = expires
	for k, v := range resumableStartHeaders {
		opts.Headers = append(opts.Headers, k+":"+v)
	}
	if s.emulated {
		opts.QueryParameters = url.Values{"name": {object}}
	}
	return s.bucket.SignedURL(object, &opts)
}

// DownloadURL signs a GET of one generation of object, valid until
// expires, whose response carries the given Content-Disposition (Cloud
// Storage's response-content-disposition parameter, covered by the
// signature, so the holder of the URL cannot change it).
func (s *Signer) DownloadURL(object string, generation int64, disposition string, expires time.Time) (string, error) {
	opts := s.opts
	opts.Scheme = storage.SigningSchemeV4
	opts.Method = http.MethodGet
	opts.Expires = expires
	opts.QueryParameters = url.Values{"response-content-disposition": {disposition}}
	if generation > 0 {
		opts.QueryParameters.Set("generation", strconv.FormatInt(generation, 10))
	}
	return s.bucket.SignedURL(object, &opts)
}
