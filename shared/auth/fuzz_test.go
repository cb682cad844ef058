package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// FuzzDecodeToken: the decoder never panics, and what it accepts splits
// the token exactly (the signed part is the token up to the last dot).
func FuzzDecodeToken(f *testing.F) {
	fx := newFixture(f)
	f.Add(mint(f, rs256("k0"), fx.claims(), signingKeys(f)[0]))
	f.Add(mint(f, map[string]any{"alg": "none"}, fx.claims(), nil))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("eyJ9.eyJ9.")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := decodeToken(raw)
		if err != nil {
			return
		}
		if i := strings.LastIndex(raw, "."); tok.signed != raw[:i] {
			t.Fatalf("signed part %q of %q", tok.signed, raw)
		}
		_ = tok.claims.check(testProject, fx.now)
	})
}

// FuzzVerify: whatever the bearer value, Verify answers 401 or an identity
// with a uid of 1 to 128 characters; never a panic or another status
// (the fake key and account servers are up).
func FuzzVerify(f *testing.F) {
	fx := newFixture(f)
	keys := signingKeys(f)
	f.Add(mint(f, rs256("k0"), fx.claims(), keys[0]))
	f.Add(mint(f, rs256("k0"), with(fx.claims(), map[string]any{"sub": "ghost"}), keys[0]))
	f.Add(mint(f, map[string]any{"alg": "none"}, fx.claims(), nil))
	f.Add("not-a-jwt")
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := fx.v.Verify(context.Background(), raw)
		if err != nil {
			if s := apierror.From(err).HTTPStatus; s != 401 {
				t.Fatalf("status %d for %q: %v", s, raw, err)
			}
			return
		}
		if id.UID == "" || len(id.UID) > maxUIDLen {
			t.Fatalf("identity %+v from %q", id, raw)
		}
	})
}

// BenchmarkVerify is the per-request cost in steady state: an RS256 check
// against cached keys and a cached account state, no network call.
func BenchmarkVerify(b *testing.B) {
	fx := newFixture(b)
	tok := mint(b, rs256("k0"), fx.claims(), signingKeys(b)[0])
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fx.v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(fx.accounts.lookups.Load()+fx.keys.fetches.Load())/float64(b.N), "backendcalls/op")
}
