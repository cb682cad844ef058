// Package unsubscribe makes and checks the tokens of one-click
// unsubscribe links (RFC 8058): each names one known issue and one
// subscriber and is signed with HMAC-SHA256, so it cannot be forged or
// turned into another person's or another issue's.
//
// Token: "<keyId>.<issueId>.<subscriberKey>.<mac>", every part URL-safe
// (issue ids are DNS labels, subscriber keys hex, the MAC base64url); the
// MAC covers "v1", the key id, the issue id and the subscriber key.
//
// Keys come from UNSUBSCRIBE_KEYS (in production the Secret Manager
// secret "unsubscribe-keys"; locally the stack sets a fixed development
// value): "id1:base64key1,id2:base64key2". The first key signs; every
// listed key verifies, so a rotation adds the new key first, keeps the old
// one second while mails signed with it may still be clicked, then drops
// it.
package unsubscribe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// MinKeyBytes is the shortest key accepted.
const MinKeyBytes = 32

// ErrInvalid is any token that does not verify.
var ErrInvalid = errors.New("unsubscribe: invalid token")

var (
	keyIDShape   = regexp.MustCompile(`^[a-z0-9]{1,16}$`)
	issueIDShape = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	subKeyShape  = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// Config is what the signer reads from the environment.
type Config struct {
	Keys string `env:"UNSUBSCRIBE_KEYS,required"`
}

type key struct {
	id     string
	secret []byte
}

// Signer makes and checks tokens.
type Signer struct {
	keys []key // keys[0] signs
}

// New parses spec ("id:base64,id:base64"; standard or URL base64).
func New(spec string) (*Signer, error) {
	s := &Signer{}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok || !keyIDShape.MatchString(id) {
			return nil, fmt.Errorf("unsubscribe: UNSUBSCRIBE_KEYS: each key is id:base64 with a lower-case alphanumeric id of at most 16 characters")
		}
		if seen[id] {
			return nil, fmt.Errorf("unsubscribe: UNSUBSCRIBE_KEYS: key id %q twice", id)
		}
		seen[id] = true
		secret, err := decodeKey(b64)
		if err != nil || len(secret) < MinKeyBytes {
			return nil, fmt.Errorf("unsubscribe: UNSUBSCRIBE_KEYS: key %q must be base64 of at least %d bytes", id, MinKeyBytes)
		}
		s.keys = append(s.keys, key{id: id, secret: secret})
	}
	if len(s.keys) == 0 {
		return nil, errors.New("unsubscribe: UNSUBSCRIBE_KEYS holds no key")
	}
	return s, nil
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

func mac(secret []byte, keyID, issueID, subKey string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("v1\x00" + keyID + "\x00" + issueID + "\x00" + subKey))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Token returns the token naming subscriber subKey of known issue issueID.
func (s *Signer) Token(issueID, subKey string) string {
	k := s.keys[0]
	return k.id + "." + issueID + "." + subKey + "." + mac(k.secret, k.id, issueID, subKey)
}

// Parse checks token and returns the issue and subscriber it names, or
// ErrInvalid.
func (s *Signer) Parse(token string) (issueID, subKey string, err error) {
	if len(token) > 256 {
		return "", "", ErrInvalid
	}
	parts := strings.Split(token, ".")
	if len(parts) != 4 || !issueIDShape.MatchString(parts[1]) || !subKeyShape.MatchString(parts[2]) {
		return "", "", ErrInvalid
	}
	for _, k := range s.keys {
		if k.id != parts[0] {
			continue
		}
		want := mac(k.secret, k.id, parts[1], parts[2])
		if hmac.Equal([]byte(want), []byte(parts[3])) {
			return parts[1], parts[2], nil
		}
	}
	return "", "", ErrInvalid
}

// LocalKeys is the development key set the local stack uses (never in
// production: infra reads the secret).
const LocalKeys = "local1:bG9jYWwtdW5zdWJzY3JpYmUta2V5LW5vdC1hLXNlY3JldC0wMDAx"
