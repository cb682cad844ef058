//go:build integration

package catalog_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/catalog"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

const lead = "lead@support.example"

// TestCatalogChangesApplyAtOnce: through the gateway, a support admin
// creates a package and a product with classifications, a customer gets
// them, and every change — a package feature, a new classification, a
// deactivated one, a product's phone numbers — shows on the very next
// request of caseClassifications:search and productSupport (served by
// other functions, whose caches expire with the catalogue version).
func TestCatalogChangesApplyAtOnce(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tok := env.Token(t, lead)
	pkg := strings.ToUpper(testenv.UniqueID("PKG"))
	prod := testenv.UniqueID("prod")
	do := func(method, path string, body any, want int) testenv.Response {
		t.Helper()
		r := env.Do(t, method, path, tok, body)
		if r.Status != want {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
		return r
	}
	do("POST", "/v2/packages?packageId="+pkg, map[string]any{"displayName": "Bronze", "supportCenterAccess": true,
		"supportHours": "Mon-Fri 09:00-18:00", "serviceLevels": []map[string]any{{"priority": "P1", "firstResponseMinutes": 120, "nextResponseMinutes": 240}},
		"attachmentLimits": map[string]any{"maxBytes": "10485760", "maxPerCase": 20},
		"autoClose":        map[string]any{"reminderDays": 2, "closeDays": 5}}, http.StatusOK)
	do("POST", "/v2/packages?packageId="+pkg, map[string]any{"displayName": "Again"}, http.StatusConflict)
	do("POST", "/v2/products?productId="+prod, map[string]any{"displayName": "Widget", "supportHours": "Mon-Fri 08:00-20:00 KST",
		"phoneNumbers":    []map[string]string{{"region": "KR", "number": "+82 2-555-0300"}},
		"classifications": []map[string]any{{"id": prod + "-setup", "displayName": "Setup"}}}, http.StatusOK)
	do("POST", "/v2/products?productId="+testenv.UniqueID("bad"), map[string]any{"displayName": "Bad", "supportHours": "whenever"}, http.StatusBadRequest)
	do("POST", "/v2/products/"+prod+"/classifications?classificationId=clouddb-connectivity", map[string]any{"displayName": "Taken"}, http.StatusConflict)

	// A customer with them, and its admin.
	tn := env.NewCustomer(t, pkg, prod)
	admin := tn.Email("admin")
	env.AddUser(t, tn.OrgID, admin, store.StatusActive, store.Role{Role: store.RoleOrgAdmin})
	adminTok := env.Token(t, admin)
	support := func() string {
		r := env.Do(t, "GET", "/v2/organizations/"+tn.OrgID+"/productSupport", adminTok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("productSupport: %d %s", r.Status, r.Body)
		}
		return strings.ReplaceAll(string(r.Body), `\u003e`, ">")
	}
	search := func() string {
		r := env.Do(t, "GET", "/v2/caseClassifications:search?query="+prod, adminTok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("search: %d %s", r.Status, r.Body)
		}
		return string(r.Body)
	}
	if s := support(); !strings.Contains(s, "Widget > Setup") || strings.Contains(s, "+82 2-555-0300") {
		t.Fatalf("productSupport before (no phone support): %s", s)
	}
	if s := search(); !strings.Contains(s, prod+"-setup") {
		t.Fatalf("search before: %s", s)
	}

	// Phone support switched on for the package: the number shows at once.
	do("PATCH", "/v2/packages/"+pkg+"?updateMask=phoneSupport", map[string]any{"phoneSupport": true}, http.StatusOK)
	if s := support(); !strings.Contains(s, "+82 2-555-0300") {
		t.Fatalf("productSupport after phoneSupport: %s", s)
	}
	// A new classification is found; a deactivated one no longer is.
	do("POST", "/v2/products/"+prod+"/classifications?classificationId="+prod+"-billing", map[string]any{"displayName": "Widget > Billing"}, http.StatusOK)
	do("PATCH", "/v2/products/"+prod+"/classifications/"+prod+"-setup?updateMask=active", map[string]any{"active": false}, http.StatusOK)
	if s := search(); !strings.Contains(s, prod+"-billing") || strings.Contains(s, prod+"-setup") {
		t.Fatalf("search after: %s", s)
	}
	if s := support(); !strings.Contains(s, "Widget > Billing") || strings.Contains(s, "Widget > Setup") {
		t.Fatalf("productSupport after: %s", s)
	}
	// A renamed product renames its classifications.
	do("PATCH", "/v2/products/"+prod+"?updateMask=displayName,phoneNumbers", map[string]any{"displayName": "Gadget",
		"phoneNumbers": []map[string]string{{"region": "US", "number": "+1 650-555-0300"}}}, http.StatusOK)
	if s := support(); !strings.Contains(s, "Gadget > Billing") || !strings.Contains(s, "+1 650-555-0300") || strings.Contains(s, "+82 2-555-0300") {
		t.Fatalf("productSupport after rename: %s", s)
	}

	// Deactivated: not given to organisations anew, kept where it is.
	do("POST", "/v2/packages/"+pkg+":deactivate", nil, http.StatusOK)
	do("POST", "/v2/products/"+prod+":deactivate", nil, http.StatusOK)
	r := do("GET", "/v2/packages/"+pkg, nil, http.StatusOK)
	if !strings.Contains(string(r.Body), `"active":false`) {
		t.Fatalf("deactivated package: %s", r.Body)
	}
	other := testenv.UniqueID("late")
	for _, body := range []map[string]any{
		{"displayName": "Late", "kind": "CUSTOMER", "domains": []string{other + ".example"}, "packageId": pkg, "adminEmails": []string{"a@" + other + ".example"}},
		{"displayName": "Late", "kind": "CUSTOMER", "domains": []string{other + ".example"}, "packageId": "GOLD", "productIds": []string{prod}, "adminEmails": []string{"a@" + other + ".example"}},
	} {
		do("POST", "/v2/organizations?organizationId="+other, body, http.StatusBadRequest)
	}
	if s := support(); !strings.Contains(s, "Gadget") {
		t.Fatalf("the customer keeps its product: %s", s)
	}
	do("POST", "/v2/packages/"+pkg+":activate", nil, http.StatusOK)

	// Support agents and customer admins are refused.
	for _, who := range []string{"agent@support.example", admin} {
		if r := env.Do(t, "GET", "/v2/packages", env.Token(t, who), nil); r.Status != http.StatusForbidden {
			t.Fatalf("packages.list as %s: %d %s", who, r.Status, r.Body)
		}
	}
	// Validation names the field.
	r = env.Do(t, "PATCH", "/v2/packages/"+pkg+"?updateMask=serviceLevels", tok, map[string]any{"serviceLevels": []map[string]any{{"priority": "P9"}}})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "serviceLevels[0].priority") {
		t.Fatalf("bad service level: %d %s", r.Status, r.Body)
	}
	if r = env.Do(t, "PATCH", "/v2/packages/"+pkg, tok, map[string]any{}); r.Status != http.StatusBadRequest {
		t.Fatalf("no updateMask: %d %s", r.Status, r.Body)
	}
}

// TestCosts checks each operation's Firestore reads and writes against the
// package documentation (in-process handler over a counting connection).
func TestCosts(t *testing.T) {
	env := testenv.Get(t)
	fs, cnt := env.CountingFirestore(t)
	ids := testenv.StubVerifier{"lead": &auth.Identity{UID: "uid-lead", Email: lead, EmailVerified: true}}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testenv.CountingStore(fs), ids, clock.NewFake(time.Now().UTC()))
	srv := httptest.NewServer(catalog.New(deps).Routes())
	t.Cleanup(srv.Close)
	do := func(method, path, body string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer lead")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	pkg := strings.ToUpper(testenv.UniqueID("COST"))
	prod := testenv.UniqueID("cost")
	countProducts := func() int {
		t.Helper()
		ps, err := store.New(env.FS()).Products(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	// Tests running beside this one may add products: the two rows that
	// read every product allow for the ones added while they ran (extra).
	n := countProducts() + 1 // with the one this test creates
	const staff = 1          // the caller's vendor membership
	steps := []struct {
		name, method, path, body string
		reads, writes            int
		perProduct               bool
	}{
		// The id's existence; package, audit entry, catalogue version.
		{"packages.create", "POST", "/v2/packages?packageId=" + pkg, `{"displayName":"Cost"}`, staff + 1, 3, false},
		{"packages.get", "GET", "/v2/packages/" + pkg, "", staff + 1, 0, false},
		{"packages.patch", "PATCH", "/v2/packages/" + pkg + "?updateMask=escalation", `{"escalation":true}`, staff + 1, 3, false},
		{"packages.patch (no change)", "PATCH", "/v2/packages/" + pkg + "?updateMask=escalation", `{"escalation":true}`, staff + 1, 0, false},
		{"packages.deactivate", "POST", "/v2/packages/" + pkg + ":deactivate", "", staff + 1, 3, false},
		{"products.create", "POST", "/v2/products?productId=" + prod, `{"displayName":"Cost","supportHours":"24x7"}`, staff + 1, 3, false},
		{"products.get", "GET", "/v2/products/" + prod, "", staff + 1, 0, false},
		{"products.patch", "PATCH", "/v2/products/" + prod + "?updateMask=supportHours", `{"supportHours":"Mon-Fri 09:00-17:00 UTC"}`, staff + 1, 3, false},
		// The product, then every product (classification ids are unique
		// across the catalogue).
		{"classifications.create", "POST", "/v2/products/" + prod + "/classifications?classificationId=" + prod + "-x", `{"displayName":"X"}`, staff + 1 + n, 3, true},
		{"classifications.patch", "PATCH", "/v2/products/" + prod + "/classifications/" + prod + "-x?updateMask=active", `{"active":false}`, staff + 1, 3, false},
		{"classifications.list", "GET", "/v2/products/" + prod + "/classifications", "", staff + 1, 0, false},
		{"products.list", "GET", "/v2/products", "", staff + n, 0, true},
	}
	cnt.Take()
	for _, s := range steps {
		do(s.method, s.path, s.body)
		r, w := cnt.Take()
		t.Logf("%-28s reads %2d writes %d", s.name, r, w)
		extra := 0
		if s.perProduct {
			extra = countProducts() + 1 - n
		}
		if r < s.reads || r > s.reads+extra || w != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}
