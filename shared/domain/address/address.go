// Package address validates e-mail addresses and domains an administrator
// gives: people added to an organisation (plain ASCII addresses at one of
// its verified domains) and the domains themselves.
package address

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// maxAddressLen is the longest address SMTP allows (RFC 5321 path limit
// less the angle brackets).
const maxAddressLen = 254

// Address problems; each is shown to the admin as the reason.
var (
	errAddrEmpty     = errors.New("an e-mail address is required")
	errAddrLong      = fmt.Errorf("the address is longer than %d characters", maxAddressLen)
	errAddrForm      = errors.New("give a plain address like name@example.com (no display name, quotes, spaces or angle brackets)")
	errAddrASCII     = errors.New("the address must be plain ASCII (internationalised addresses are not supported; use the punycode form of the domain)")
	errAddrLocalPart = errors.New("the part before @ is not a valid address")
	errAddrDomain    = errors.New("the domain is not a valid host name")
	errDomain        = errors.New("give a plain host name like example.com (ASCII, punycode for internationalised names, no trailing dot)")
)

// domainError says the address is outside the organisation's domains.
type domainError struct{ domains []string }

func (e *domainError) Error() string {
	return "the address must be at one of the organization's verified domains: " + strings.Join(e.domains, ", ")
}

// Check validates an address a user is added with and returns it
// normalised (lower case). It must be a plain ASCII addr-spec whose domain
// equals one of the organisation's verified domains exactly, ignoring ASCII
// case: no sub-domains (unless listed), no trailing dot, no look-alike
// Unicode (which case folding could otherwise turn into ASCII, e.g. the
// Kelvin sign), no display-name or quoted forms, exactly one @.
func Check(raw string, domains []string) (string, error) {
	addr := strings.TrimSpace(raw)
	switch {
	case addr == "":
		return "", errAddrEmpty
	case len(addr) > maxAddressLen:
		return "", errAddrLong
	}
	for i := 0; i < len(addr); i++ {
		if addr[i] >= 0x80 {
			return "", errAddrASCII
		}
	}
	// Only now is lower-casing safe: every byte is ASCII.
	addr = strings.ToLower(addr)
	if strings.ContainsAny(addr, " \t\r\n\"<>(),:;[]\\") || strings.Count(addr, "@") != 1 {
		return "", errAddrForm
	}
	local, domain, _ := strings.Cut(addr, "@")
	if !validLocal(local) {
		return "", errAddrLocalPart
	}
	if !ValidDomain(domain) {
		return "", errAddrDomain
	}
	allowed := make([]string, 0, len(domains))
	for _, d := range domains {
		allowed = append(allowed, strings.ToLower(strings.TrimSpace(d)))
	}
	if !slices.Contains(allowed, domain) {
		return "", &domainError{domains: allowed}
	}
	return addr, nil
}

// validLocal accepts an RFC 5322 dot-atom of at most 64 characters.
func validLocal(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// ValidDomain accepts a host name of LDH labels (punycode "xn--" labels
// included, compared as written), without a trailing dot.
func ValidDomain(s string) bool {
	if s == "" || len(s) > 253 || strings.HasSuffix(s, ".") {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Domain validates a domain an organisation is given and returns it in
// lower case: a plain ASCII host name of at least two labels.
func Domain(raw string) (string, error) {
	d := strings.TrimSpace(raw)
	for i := 0; i < len(d); i++ {
		if d[i] >= 0x80 {
			return "", errAddrASCII
		}
	}
	d = strings.ToLower(d)
	if !ValidDomain(d) {
		return "", errDomain
	}
	return d, nil
}
