package signedurl

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"cloud.google.com/go/compute/metadata"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// iamScope is the OAuth scope of the signBlob call.
const iamScope = "https://www.googleapis.com/auth/cloud-platform"

// signBlobURL is the IAM Credentials API's signBlob of an account.
var signBlobURL = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s:signBlob"

// identity returns who signs, settling it on first use: the local key, or
// the account found in the credentials (production). A failure is not
// remembered: the next signature tries again.
func (s *Signer) identity(ctx context.Context) (*identity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != nil {
		return s.id, nil
	}
	var id *identity
	var err error
	if s.emulated {
		id, err = localIdentity(s.localAccount)
	} else {
		id, err = detect(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("signedurl: no signing identity: %w", err)
	}
	s.id = id
	return id, nil
}

// detect finds the signing account in Application Default Credentials as
// Google's storage library does: a key file's client_email (and its key),
// an impersonated or external account's target, else the metadata
// server's default account; all but a key file sign through signBlob.
func detect(ctx context.Context) (*identity, error) {
	// The credentials outlive ctx (their token source refreshes later).
	creds, err := google.FindDefaultCredentials(context.Background(), iamScope)
	if err != nil {
		return nil, err
	}
	if len(creds.JSON) > 0 {
		var f struct {
			Type          string `json:"type"`
			ClientEmail   string `json:"client_email"`
			PrivateKey    string `json:"private_key"`
			Impersonation string `json:"service_account_impersonation_url"`
		}
		if err := json.Unmarshal(creds.JSON, &f); err != nil {
			return nil, err
		}
		switch f.Type {
		case "service_account":
			if f.ClientEmail == "" {
				return nil, errors.New("key file without client_email")
			}
			if key, err := parseKey(f.PrivateKey); err == nil {
				return &identity{account: f.ClientEmail, sign: keySigner(key)}, nil
			}
			return &identity{account: f.ClientEmail, sign: blobSigner(creds.TokenSource, f.ClientEmail)}, nil
		case "impersonated_service_account", "external_account":
			start, end := strings.LastIndex(f.Impersonation, "/"), strings.LastIndex(f.Impersonation, ":")
			if end <= start {
				return nil, errors.New("cannot read the impersonated account from the credentials")
			}
			email := f.Impersonation[start+1 : end]
			return &identity{account: email, sign: blobSigner(creds.TokenSource, email)}, nil
		}
	}
	email, err := metadata.EmailWithContext(ctx, "default")
	if err != nil {
		return nil, fmt.Errorf("default service account: %w", err)
	}
	if email == "" {
		return nil, errors.New("the metadata server names no default service account")
	}
	return &identity{account: email, sign: blobSigner(creds.TokenSource, email)}, nil
}

// parseKey reads a PEM PKCS #8 or PKCS #1 RSA key.
func parseKey(p string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return nil, errors.New("no PEM key")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if rk, ok := k.(*rsa.PrivateKey); ok {
			return rk, nil
		}
		return nil, errors.New("not an RSA key")
	}
	return x509.ParsePKCS1PrivateKey(block.Bytes)
}

// blobSigner signs through the IAM Credentials API as email, retrying a
// transient failure (429, 5xx, a failed connection) twice.
func blobSigner(ts oauth2.TokenSource, email string) func(context.Context, []byte) ([]byte, error) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &oauth2.Transport{Source: ts}}
	endpoint := fmt.Sprintf(signBlobURL, url.PathEscape(email))
	return func(ctx context.Context, b []byte) ([]byte, error) {
		body, _ := json.Marshal(map[string]string{"payload": base64.StdEncoding.EncodeToString(b)})
		var err error
		for attempt := range 3 {
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return nil, err
				case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
				}
			}
			var sig []byte
			var retry bool
			sig, retry, err = signBlob(ctx, client, endpoint, body)
			if err == nil || !retry {
				return sig, err
			}
		}
		return nil, err
	}
}

// signBlob makes one signBlob call; retry says whether another may succeed.
func signBlob(ctx context.Context, client *http.Client, endpoint string, body []byte) (sig []byte, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return nil, ctx.Err() == nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, true, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500,
			fmt.Errorf("signBlob: HTTP %d: %.300s", res.StatusCode, b)
	}
	var out struct {
		SignedBlob string `json:"signedBlob"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, false, fmt.Errorf("signBlob: %w", err)
	}
	sig, err = base64.StdEncoding.DecodeString(out.SignedBlob)
	return sig, false, err
}
