//go:build integration

package authadmin_test

import (
	"context"
	"errors"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/authadmin"
)

// TestProvidersOnAuthEmulator records what the Auth emulator does with
// provider configuration: it has no such API and answers 501, which the
// client reports as ErrUnimplemented (the sso function then keeps the
// configuration in Firestore only; the emulator signs in with any
// "oidc."/"saml." provider id anyway). When a firebase-tools upgrade
// implements the API this test fails, and the local stack can register
// providers as production does.
func TestProvidersOnAuthEmulator(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	c := env.Accounts(t)
	ctx := context.Background()
	id := testenv.UniqueID("org")
	calls := map[string]error{
		"oidc put": c.PutOIDCProvider(ctx, "oidc."+id, authadmin.OIDCProvider{Issuer: "https://idp.example", ClientID: "c"}),
		"saml put": c.PutSAMLProvider(ctx, "saml."+id, authadmin.SAMLProvider{IDPEntityID: "urn:x", SSOURL: "https://idp.example/sso"}),
		"delete":   c.DeleteProvider(ctx, "oidc."+id),
	}
	for name, err := range calls {
		if !errors.Is(err, authadmin.ErrUnimplemented) {
			t.Errorf("%s: %v, want ErrUnimplemented (the emulator's 501)", name, err)
		}
	}
}
