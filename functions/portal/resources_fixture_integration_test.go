//go:build integration

package portal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
)

// publishResource publishes a private resource for the analytics product
// under the Platinum package as the demo support admin, sends its file
// through the signed upload session and waits until it is READY; it
// returns the resource's title and file name.
func publishResource(t *testing.T, env *testenv.Env, id string) (title, filename string) {
	t.Helper()
	tok := env.Token(t, "lead@support.example")
	body := []byte("analytics connector " + id + "\n")
	sum := sha256.Sum256(body)
	title, filename = "Analytics connector "+id, "analytics-connector-"+id+".tar.gz"
	r := env.Do(t, "POST", "/v2/resources", tok, map[string]any{"title": title, "description": "The connector for on-premises data.",
		"kind": "DOWNLOAD", "version": "2.1.0", "productIds": []string{"analytics"}, "packageIds": []string{"PLATINUM"},
		"filename": filename, "sizeBytes": strconv.Itoa(len(body)), "sha256": hex.EncodeToString(sum[:])})
	var created struct {
		Resource      struct{ Name string }
		UploadURI     string
		UploadMethod  string
		UploadHeaders map[string]string
	}
	if err := json.Unmarshal(r.Body, &created); err != nil || r.Status != 200 || created.UploadURI == "" {
		t.Fatalf("publish resource: %d %s", r.Status, r.Body)
	}
	start, err := http.NewRequestWithContext(t.Context(), created.UploadMethod, created.UploadURI, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range created.UploadHeaders {
		start.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(start)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode/100 != 2 || loc == "" {
		t.Fatalf("start the resource upload: %d (Location %q)", resp.StatusCode, loc)
	}
	put, err := http.NewRequestWithContext(t.Context(), "PUT", loc, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err = http.DefaultClient.Do(put); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("upload the resource: %d", resp.StatusCode)
	}
	// finalize-resource checks size and SHA-256, then marks it READY.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		r := env.Do(t, "GET", "/v2/"+created.Resource.Name, tok, nil)
		var got struct{ State string }
		if err := json.Unmarshal(r.Body, &got); err != nil || r.Status != 200 {
			t.Fatalf("GET %s: %d %s", created.Resource.Name, r.Status, r.Body)
		}
		if got.State == "READY" {
			return title, filename
		}
		if got.State != "PENDING" || time.Now().After(deadline) {
			t.Fatalf("%s is %s, not READY", created.Resource.Name, got.State)
		}
	}
}
