//go:build integration

package attachments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"
	cloudsupport "google.golang.org/api/cloudsupport/v2"
	"google.golang.org/api/option"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/store"
)

// org is an isolated customer organisation with an admin and a viewer,
// and the package it runs on.
type org struct {
	env    *testenv.Env
	tenant *testenv.Tenant
	admin  string // bearer tokens
	viewer string
}

// newOrg writes a customer on packageID with an admin and a viewer.
func newOrg(t *testing.T, packageID string) *org {
	t.Helper()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, packageID, "clouddb", "analytics")
	env.AddUser(t, tn.OrgID, tn.Email("admin"), store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	env.AddUser(t, tn.OrgID, tn.Email("viewer"), store.StatusActive, store.Role{Role: store.RoleViewer})
	return &org{env: env, tenant: tn, admin: env.Token(t, tn.Email("admin")), viewer: env.Token(t, tn.Email("viewer"))}
}

// smallPackage writes a package with tiny attachment limits and returns its id.
func smallPackage(t *testing.T, maxBytes int64, maxPerCase int) string {
	t.Helper()
	env := testenv.Get(t)
	id := testenv.UniqueID("TINY")
	if err := env.Writer.Package(context.Background(), id, store.Package{DisplayName: "Tiny", SupportCenterAccess: true,
		MaxAttachmentBytes: maxBytes, MaxAttachmentsPerCase: maxPerCase}); err != nil {
		t.Fatal(err)
	}
	return id
}

// newCase files a case about clouddb directly in Firestore and returns its
// resource name.
func (o *org) newCase(t *testing.T) string {
	t.Helper()
	now := time.Now().UTC()
	c := &store.Case{OrgID: o.tenant.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-performance",
		ClassificationName: "CloudDB > Performance", DisplayName: "Attachment test", Description: "Files attached here.",
		LanguageCode: "en", Priority: "P3", State: casestate.New, Open: true, SubscriberEmailAddresses: []string{},
		CreatorUID: "test", CreatorEmail: o.tenant.Email("admin"), CreateTime: now, UpdateTime: now}
	if _, err := store.New(o.env.FS()).CreateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return "organizations/" + o.tenant.OrgID + "/cases/" + c.ID
}

// discovery returns Google's discovery client for Cloud Support pointed at
// the gateway with token as the bearer — as a user's script would build it.
func discovery(t *testing.T, env *testenv.Env, token string) *cloudsupport.Service {
	t.Helper()
	svc, err := cloudsupport.NewService(context.Background(), option.WithEndpoint(env.GatewayURL+"/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// response is a raw HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request to url with an optional bearer token, headers and body.
func do(t *testing.T, method, url, token string, header map[string]string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// apiJSON sends a JSON request through the gateway.
func (o *org) apiJSON(t *testing.T, method, path, token string, in any) response {
	t.Helper()
	var body io.Reader
	hdr := map[string]string{}
	if in != nil {
		b, _ := json.Marshal(in)
		body, hdr["Content-Type"] = bytes.NewReader(b), "application/json"
	}
	return do(t, method, o.env.GatewayURL+path, token, hdr, body)
}

// attachment is the JSON of an attachment with our extension fields.
type attachment struct {
	Name          string `json:"name"`
	Filename      string `json:"filename"`
	MimeType      string `json:"mimeType"`
	SizeBytes     string `json:"sizeBytes"`
	State         string `json:"state"`
	RejectReason  string `json:"rejectReason"`
	RejectMessage string `json:"rejectMessage"`
}

// session is the answer of :uploadSession.
type session struct {
	Attachment    attachment        `json:"attachment"`
	UploadURI     string            `json:"uploadUri"`
	UploadMethod  string            `json:"uploadMethod"`
	UploadHeaders map[string]string `json:"uploadHeaders"`
	ExpireTime    time.Time         `json:"expireTime"`
}

// startSession asks for an upload session on caseName.
func (o *org) startSession(t *testing.T, caseName, filename string, size int64) session {
	t.Helper()
	r := o.apiJSON(t, "POST", "/v2/"+caseName+"/attachments:uploadSession", o.admin,
		map[string]any{"filename": filename, "sizeBytes": size})
	if r.status != http.StatusOK {
		t.Fatalf("uploadSession: %d %s", r.status, r.body)
	}
	var s session
	r.json(t, &s)
	return s
}

// sendToStorage uploads body through a session the way a browser or CLI
// would: POST the signed URL with its headers, then PUT the bytes (with
// contentType, if not "") to the session URI from Location.
func sendToStorage(t *testing.T, s session, body io.Reader, size int64, contentType string) {
	t.Helper()
	start := do(t, s.UploadMethod, s.UploadURI, "", s.UploadHeaders, nil)
	loc := start.header.Get("Location")
	if start.status/100 != 2 || loc == "" {
		t.Fatalf("start resumable upload: %d %s (Location %q)", start.status, start.body, loc)
	}
	req, err := http.NewRequest("PUT", loc, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("PUT to the session: %s %s", resp.Status, b)
	}
}

// waitState polls GET attachment (as token) until it leaves PENDING.
func (o *org) waitState(t *testing.T, name, token string, within time.Duration) attachment {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		r := o.apiJSON(t, "GET", "/v2/"+name, token, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", name, r.status, r.body)
		}
		var a attachment
		r.json(t, &a)
		if a.State != store.AttachmentPending {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still PENDING after %s", name, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
