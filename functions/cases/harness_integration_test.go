//go:build integration

package cases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	support "cloud.google.com/go/support/apiv2"
	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/cases"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// googleClients returns Google's Cloud Support REST clients pointed at
// endpoint with token as the bearer token — exactly as a user's script
// would build them.
func googleClients(t *testing.T, endpoint, token string) (*support.CaseClient, *support.CommentClient) {
	t.Helper()
	ctx := context.Background()
	opts := []option.ClientOption{option.WithEndpoint(endpoint),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))}
	cc, err := support.NewCaseRESTClient(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := support.NewCommentRESTClient(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close(); cm.Close() })
	return cc, cm
}

// httpCode is the HTTP status of a Google client error (0 if none).
func httpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

// rpcStatus is the google.rpc.Status code name of a Google client error,
// read from the error body the client kept.
func rpcStatus(err error) string {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return ""
	}
	var body struct {
		Error struct {
			Status string `json:"status"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(ge.Body), &body)
	return body.Error.Status
}

// direct is the cases Handler served in-process (not through the gateway)
// over the emulator's Firestore, with a fake clock, an event recorder and a
// read/write counter, for rules about time and for cost measurements.
type direct struct {
	URL     string
	Clock   *clock.Fake
	Events  *events.Recorder
	Count   *testenv.OpCounter
	OrgID   string
	Admin   string // bearer tokens
	Agent   string
	Store   *store.Store
	tenant  *testenv.Tenant
	verifer testenv.StubVerifier
	handler http.Handler // the function's routes, for a gateway in front (benchmarks)
}

func newDirect(t testing.TB, start time.Time) *direct {
	t.Helper()
	return newDirectPublishing(t, start, nil)
}

// newDirectPublishing is newDirect publishing with pub (nil: the event
// recorder d.Events), for benchmarks that include the real publish.
func newDirectPublishing(t testing.TB, start time.Time, pub events.Publisher) *direct {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	fs, cnt := env.CountingFirestore(t)

	tn := env.NewCustomer(t, "PLATINUM", "clouddb", "analytics")
	admin := tn.Email("admin")
	if err := env.Writer.Membership(ctx, store.Membership{OrgID: tn.OrgID, Email: admin, DisplayName: "Direct Admin",
		Status: store.StatusActive, Roles: []store.Role{{Role: store.RoleOrgAdmin}}}); err != nil {
		t.Fatal(err)
	}
	v := testenv.StubVerifier{
		"admin": {UID: "uid-admin-" + tn.OrgID, Email: admin, EmailVerified: true},
		"agent": {UID: "uid-agent", Email: "agent@support.example", EmailVerified: true},
	}
	fake := clock.NewFake(start)
	rec := &events.Recorder{}
	cfg := runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	deps := runtime.Assemble(cfg, logger, testenv.CountingStore(fs), v, fake)
	if pub == nil {
		pub = rec
	}
	h := cases.New(deps, pub).Routes()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &direct{URL: srv.URL, Clock: fake, Events: rec, Count: cnt, OrgID: tn.OrgID, Admin: "admin", Agent: "agent",
		Store: deps.Store, tenant: tn, verifer: v, handler: h}
}

// do sends a raw JSON request to the direct server.
func (d *direct) do(t testing.TB, method, path, token string, body any) (int, []byte) {
	t.Helper()
	return rawDo(t, d.URL, method, path, token, body)
}

func rawDo(t testing.TB, base, method, path, token string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// costs collects "operation → reads/writes" lines for the report.
type costs struct {
	mu   sync.Mutex
	rows map[string]string
}

func (c *costs) record(name string, reads, writes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows == nil {
		c.rows = map[string]string{}
	}
	c.rows[name] = fmt.Sprintf("%3d reads %3d writes", reads, writes)
}

func (c *costs) log(t *testing.T) {
	keys := make([]string, 0, len(c.rows))
	for k := range c.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %-48s %s", k, c.rows[k])
	}
	t.Logf("Firestore cost per operation (counted by a gRPC interceptor):%s", b.String())
}
