package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Limits of what a Firebase ID token may be.
const (
	// maxTokenLen bounds the work spent on a bearer value before anything is
	// verified. Firebase ID tokens are about 1 KB; custom claims add at most
	// 1,000 bytes.
	maxTokenLen = 16 << 10
	// maxUIDLen is Firebase's limit on a uid (the "sub" claim).
	maxUIDLen = 128
	// ClockSkew is how far the issuing server's clock may be ahead of ours
	// for iat and auth_time, and how long after exp a token is still taken.
	ClockSkew = time.Minute
)

// Signing algorithms: production tokens are RS256; the Auth emulator's are
// unsigned ("none") and accepted only in emulator mode (see Config).
const (
	algRS256 = "RS256"
	algNone  = "none"
)

// b64 decodes JWS parts: base64url without padding, refusing non-zero
// trailing bits so each token has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

// errMalformed is "the ID token is not valid"; errExpired
// has its own message so a client knows to refresh the token.
var (
	errMalformed = errors.New("malformed token")
	errExpired   = errors.New("token expired")
)

// tokenHeader is the JOSE header of an ID token.
type tokenHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// tokenClaims are the claims of a Firebase ID token that this package
// reads. Editable profile claims ("name", "picture") are deliberately not
// decoded.
type tokenClaims struct {
	Issuer        string `json:"iss"`
	Audience      string `json:"aud"`
	Subject       string `json:"sub"`
	IssuedAt      int64  `json:"iat"`
	Expires       int64  `json:"exp"`
	AuthTime      int64  `json:"auth_time"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Firebase      struct {
		SignInProvider string `json:"sign_in_provider"`
	} `json:"firebase"`
}

// token is a decoded but not yet verified ID token.
type token struct {
	header    tokenHeader
	claims    tokenClaims
	signed    string // "<header>.<payload>", what the signature covers
	signature []byte
}

// decodeToken splits and decodes a compact JWS. It checks the shape only;
// the signature and the claims are checked by the verifier.
func decodeToken(raw string) (*token, error) {
	if len(raw) > maxTokenLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", errMalformed, maxTokenLen)
	}
	h, rest, ok1 := strings.Cut(raw, ".")
	p, s, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s, ".") {
		return nil, fmt.Errorf("%w: not three dot-separated parts", errMalformed)
	}
	t := &token{signed: raw[:len(h)+1+len(p)]}
	if err := decodePart(h, &t.header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", errMalformed, err)
	}
	if err := decodePart(p, &t.claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", errMalformed, err)
	}
	sig, err := b64.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: signature: %v", errMalformed, err)
	}
	t.signature = sig
	return t, nil
}

// decodePart decodes one base64url (unpadded) JSON object.
func decodePart(part string, v any) error {
	b, err := b64.DecodeString(part)
	if err != nil {
		return err
	}
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// check applies Firebase's rules for ID token claims at time now: issuer
// and audience name the project, a uid is present, the token was issued
// and the user signed in no later than now (give or take ClockSkew), and it
// has not expired.
func (c *tokenClaims) check(projectID string, now time.Time) error {
	skew := int64(ClockSkew / time.Second)
	unix := now.Unix()
	switch {
	case c.Audience != projectID:
		return fmt.Errorf("%w: audience %q is not this project", errMalformed, c.Audience)
	case c.Issuer != "https://securetoken.google.com/"+projectID:
		return fmt.Errorf("%w: issuer %q is not this project's", errMalformed, c.Issuer)
	case c.Subject == "" || len(c.Subject) > maxUIDLen:
		return fmt.Errorf("%w: subject must be 1 to %d characters", errMalformed, maxUIDLen)
	case c.IssuedAt <= 0 || c.IssuedAt > unix+skew:
		return fmt.Errorf("%w: issued in the future or without iat", errMalformed)
	case c.AuthTime <= 0 || c.AuthTime > unix+skew:
		return fmt.Errorf("%w: signed in in the future or without auth_time", errMalformed)
	case c.Expires <= 0:
		return fmt.Errorf("%w: no exp", errMalformed)
	case c.Expires+skew < unix:
		return errExpired
	}
	return nil
}
