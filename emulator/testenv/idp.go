package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// IDPToken signs email in through the identity provider providerID
// ("oidc.…" or "saml.…") and returns a real Firebase ID token whose
// firebase.sign_in_provider is providerID. It sends the Auth emulator's
// fake IdP response to accounts:signInWithIdp: an id_token of plain JSON
// claims (sub, email, email_verified) and, for SAML, a SAMLResponse whose
// assertion names the address. The emulator accepts any provider id
// (it checks no provider configuration), and, as Identity Platform does for
// a provider that asserts a verified address, links the sign-in to an
// existing account with that address.
func (e *Env) IDPToken(t testing.TB, providerID, email string) string {
	t.Helper()
	claims, _ := json.Marshal(map[string]any{"sub": "idp-" + email, "email": email, "email_verified": true})
	post := url.Values{"providerId": {providerID}, "id_token": {string(claims)}}
	if strings.HasPrefix(providerID, "saml.") {
		saml, _ := json.Marshal(map[string]any{"assertion": map[string]any{"subject": map[string]any{"nameId": email}}})
		post.Set("SAMLResponse", string(saml))
	}
	body, _ := json.Marshal(map[string]any{"requestUri": "http://localhost", "postBody": post.Encode(), "returnSecureToken": true})
	u := fmt.Sprintf("http://%s/identitytoolkit.googleapis.com/v1/accounts:signInWithIdp?key=fake-api-key", e.AuthHost)
	resp, err := http.Post(u, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct {
		IDToken string `json:"idToken"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || out.IDToken == "" {
		t.Fatalf("sign in %s through %s: %s: %s", email, providerID, resp.Status, b)
	}
	return out.IDToken
}
