package seed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SignIn signs email in with password at the Auth emulator (authHost,
// host:port) and returns the ID token.
func SignIn(ctx context.Context, authHost, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]any{"email": email, "password": password, "returnSecureToken": true})
	url := fmt.Sprintf("http://%s/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key", authHost)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("auth emulator: %s: %s", resp.Status, b)
	}
	var out struct {
		IDToken string `json:"idToken"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", err
	}
	return out.IDToken, nil
}

// Content files the demo's cases, comments, known issue and a document through the
// public API at gatewayURL as the demo people, so `make dev` opens on an
// organisation with history: everything is made (and e-mailed, into the
// mail capture) exactly as people make it in the portal. It does nothing
// when Acme already has cases (a stack started on kept data).
func Content(ctx context.Context, gatewayURL, authHost string) error {
	c := &apiClient{ctx: ctx, base: gatewayURL, authHost: authHost, tokens: map[string]string{}}
	var existing struct {
		Cases []struct{ Name string } `json:"cases"`
	}
	if err := c.do("admin@acme.example", "GET", "/v2/organizations/acme/cases?pageSize=1", nil, &existing); err != nil {
		return err
	}
	if len(existing.Cases) > 0 {
		return nil
	}
	var pool, slow, restore struct{ Name string }
	steps := []struct {
		who, method, path string
		body              any
		out               any
	}{
		{"dev@acme.example", "POST", "/v2/organizations/acme/cases", map[string]any{
			"displayName": "Connection pool exhausted after upgrading to 7.2",
			"description": "Since the upgrade from 7.1 to 7.2 last night our API servers run out of database connections " +
				"within an hour of a restart. Connections stay in the pool as 'idle in transaction'.",
			"classification": map[string]any{"id": "clouddb-connectivity"}, "priority": "P1",
			"productVersion": "7.2.0", "usersAffectedPercent": 30, "userImpact": "Checkout fails for about a third of our users",
			"reproductionSteps": "1. Restart the API servers\n2. Run the usual traffic for an hour\n3. Watch the pool metrics",
		}, &pool},
		{"agent@support.example", "POST", "{pool}/comments", map[string]any{
			"body": "Thank you for the details. Could you attach the server log from the hour before the pool ran out, " +
				"and tell us whether you use the new statement cache (cache.statements=on)?"}, nil},
		{"dev@acme.example", "POST", "{pool}/comments", map[string]any{
			"body": "Yes, the statement cache is on. Turning it off keeps the pool healthy, so that is our workaround for now."}, nil},
		{"admin@acme.example", "POST", "/v2/organizations/acme/cases", map[string]any{
			"displayName":    "Dashboards take a minute to load on Mondays",
			"description":    "The weekly revenue dashboard takes 60–90 seconds on Monday mornings; other days 5 seconds.",
			"classification": map[string]any{"id": "analytics-dashboards"}, "priority": "P3",
		}, &slow},
		{"admin@acme.example", "POST", "{slow}:close", map[string]any{}, nil},
		{"admin@globex.example", "POST", "/v2/organizations/globex/cases", map[string]any{
			"displayName":    "Restore from last night's backup fails with a checksum error",
			"description":    "Restoring backup 2026-11-29T02:00 stops at 40 % with 'checksum mismatch in segment 17'.",
			"classification": map[string]any{"id": "clouddb-backup"}, "priority": "P2",
		}, &restore},
		{"partner@resellco.example", "POST", "{restore}/comments", map[string]any{
			"body": "Resellco here: we see the same on another customer's cluster with 7.2; older backups restore fine."}, nil},
		{"lead@support.example", "POST", "/v2/knownIssues", map[string]any{
			"title":      "CloudDB 7.2: connection pool leaks with the statement cache on",
			"summary":    "With cache.statements=on, connections can stay 'idle in transaction' until the pool is exhausted.",
			"details":    "Workaround: set cache.statements=off and restart. A fix is planned for 7.2.1.",
			"productIds": []string{"clouddb"},
		}, nil},
	}
	for _, s := range steps {
		path := s.path
		for key, v := range map[string]string{"{pool}": pool.Name, "{slow}": slow.Name, "{restore}": restore.Name} {
			if len(path) >= len(key) && path[:len(key)] == key {
				path = "/v2/" + v + path[len(key):]
			}
		}
		if err := c.do(s.who, s.method, path, s.body, s.out); err != nil {
			return err
		}
	}
	return c.publishGuide()
}

// publishGuide publishes a document for Gold and Platinum customers of
// CloudDB as the support lead: created, then uploaded through its signed
// resumable session as the portal does; finalize-resource makes it READY.
func (c *apiClient) publishGuide() error {
	guide := []byte("CloudDB 7.2 administration guide\n\n1. Connection pools\n" +
		"Keep cache.statements=off until 7.2.1 (see the known issue).\n")
	sum := sha256.Sum256(guide)
	var created struct {
		UploadURI     string            `json:"uploadUri"`
		UploadMethod  string            `json:"uploadMethod"`
		UploadHeaders map[string]string `json:"uploadHeaders"`
	}
	if err := c.do("lead@support.example", "POST", "/v2/resources", map[string]any{
		"title": "CloudDB 7.2 administration guide", "description": "Installing, tuning and upgrading CloudDB 7.2.",
		"kind": "DOCUMENT", "version": "7.2", "productIds": []string{"clouddb"}, "packageIds": []string{"GOLD", "PLATINUM"},
		"filename": "clouddb-7.2-admin-guide.txt", "sizeBytes": strconv.Itoa(len(guide)), "sha256": hex.EncodeToString(sum[:]),
	}, &created); err != nil {
		return err
	}
	start, err := http.NewRequestWithContext(c.ctx, created.UploadMethod, created.UploadURI, nil)
	if err != nil {
		return err
	}
	for k, v := range created.UploadHeaders {
		start.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(start)
	if err != nil {
		return fmt.Errorf("start the guide's upload: %w", err)
	}
	resp.Body.Close()
	session := resp.Header.Get("Location")
	if resp.StatusCode/100 != 2 || session == "" {
		return fmt.Errorf("start the guide's upload: %s", resp.Status)
	}
	put, err := http.NewRequestWithContext(c.ctx, http.MethodPut, session, bytes.NewReader(guide))
	if err != nil {
		return err
	}
	if resp, err = http.DefaultClient.Do(put); err != nil {
		return fmt.Errorf("upload the guide: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("upload the guide: %s", resp.Status)
	}
	return nil
}

// apiClient calls the gateway as demo people (tokens cached per person).
type apiClient struct {
	ctx            context.Context
	base, authHost string
	tokens         map[string]string
}

func (c *apiClient) do(who, method, path string, in, out any) error {
	tok, ok := c.tokens[who]
	if !ok {
		var err error
		if tok, err = SignIn(c.ctx, c.authHost, who, DemoPassword); err != nil {
			return fmt.Errorf("sign in %s: %w", who, err)
		}
		c.tokens[who] = tok
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(c.ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s as %s: %s: %s", method, path, who, resp.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
