package unsubscribe

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const sub = "0123456789abcdef0123456789abcdef"

func keyOf(b byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune(b)), 32)))
}

func TestTokens(t *testing.T) {
	t.Parallel()
	oldOnly, err := New("old:" + keyOf('a'))
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := New("new:" + keyOf('b') + ",old:" + keyOf('a'))
	if err != nil {
		t.Fatal(err)
	}
	newOnly, err := New("new:" + keyOf('b'))
	if err != nil {
		t.Fatal(err)
	}
	oldTok := oldOnly.Token("ki-1", sub)
	newTok := rotated.Token("ki-1", sub)
	other := strings.Replace(sub, "0", "1", 1)
	tests := []struct {
		name   string
		signer *Signer
		token  string
		ok     bool
	}{
		{"own token", oldOnly, oldTok, true},
		{"old key still valid during rotation", rotated, oldTok, true},
		{"new key signs after rotation", rotated, newTok, true},
		{"old key dropped", newOnly, oldTok, false},
		{"other subscriber", rotated, strings.Replace(newTok, sub, other, 1), false},
		{"other issue", rotated, strings.Replace(newTok, "ki-1", "ki-2", 1), false},
		{"unknown key id", rotated, strings.Replace(newTok, "new.", "zzz.", 1), false},
		{"truncated mac", rotated, newTok[:len(newTok)-2], false},
		{"empty", rotated, "", false},
		{"garbage", rotated, "a.b.c.d", false},
		{"too long", rotated, strings.Repeat("a", 300), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			issue, key, err := tc.signer.Parse(tc.token)
			if tc.ok {
				if err != nil || issue != "ki-1" || key != sub {
					t.Fatalf("Parse = %q, %q, %v; want ki-1, %s", issue, key, err, sub)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) err = %v, want ErrInvalid", tc.token, err)
			}
		})
	}
}

func TestKeySpec(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"", "nocolon", "UPPER:" + keyOf('a'), "k:" + base64.StdEncoding.EncodeToString([]byte("short")),
		"k:" + keyOf('a') + ",k:" + keyOf('b'), "k:not base64!"} {
		if _, err := New(spec); err == nil {
			t.Errorf("New(%q) accepted", spec)
		}
	}
	if _, err := New(LocalKeys); err != nil {
		t.Fatalf("LocalKeys: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	s, err := New(LocalKeys)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.Token("ki-1", sub))
	f.Add("local1.ki-1." + sub + ".AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		issue, key, err := s.Parse(tok)
		if err != nil {
			return
		}
		// Whatever verifies is exactly what the signer would have made.
		if s.Token(issue, key) != tok {
			t.Fatalf("token %q verified but is not the signer's for %s/%s", tok, issue, key)
		}
	})
}
