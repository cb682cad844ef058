//go:build integration

package knownissues_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// TestCosts checks that each operation reads and writes what the package
// documentation says (caches warm: support packages, product catalogue;
// every request reads the catalogue version once to keep them current).
func TestCosts(t *testing.T) {
	t.Parallel()
	d := newDirect(t)
	product := testenv.UniqueID("p")
	tn := d.env.NewCustomer(t, "GOLD", "clouddb", product)
	admin := d.person(t, tn.OrgID, tn.Email("admin"), store.Role{Role: store.RoleOrgAdmin})
	lead := d.person(t, "support", testenv.UniqueID("lead")+"@support.example", store.Role{Role: store.RoleSupportAdmin})
	d.issue(t, product) // the one issue the list step finds
	id := d.issue(t, "clouddb")
	// Warm the caches (package, catalogue).
	if code, body := d.do(t, "GET", "/v2/knownIssues/"+id, admin, ""); code != http.StatusOK {
		t.Fatalf("warm-up: %d %s", code, body)
	}
	d.do(t, "POST", "/v2/knownIssues", lead, `{"title":"warm","summary":"s","productIds":["clouddb"]}`)
	tok := d.signer.Token(id, store.SubscriberKey(tn.Email("admin")))

	steps := []struct {
		name, method, path, token, body string
		reads, writes                   int
	}{
		{"create", "POST", "/v2/knownIssues", lead, `{"title":"t","summary":"s","productIds":["clouddb"]}`, 1 + 1, 1},
		// + 1 aggregation per issue (not seen by the interceptor, as for get).
		{"list (1 membership, 1 issue)", "GET", "/v2/knownIssues?filter=productId%3D" + product, admin, "", 3 + 1, 0},
		// + the subscriber count: one aggregation query (billed one read per
		// 1,000 bucket documents), which the interceptor does not count.
		{"get", "GET", "/v2/knownIssues/" + id, admin, "", 3 + 1 + 1, 0},
		{"meToo (first in the organisation)", "POST", "/v2/knownIssues/" + id + ":meToo", admin, `{"parent":"organizations/` + tn.OrgID + `"}`, 4 + 1 + 1 + 1 + 1 + 1, 1 + 3 + 1},
		{"meToo (again)", "POST", "/v2/knownIssues/" + id + ":meToo", admin, `{"parent":"organizations/` + tn.OrgID + `"}`, 4 + 1 + 1 + 1 + 2, 0},
		{"updates.create", "POST", "/v2/knownIssues/" + id + "/updates", lead, `{"body":"b"}`, 1 + 1, 3 + 1},
		{"updates.list (1 update)", "GET", "/v2/knownIssues/" + id + "/updates", admin, "", 3 + 1 + 1, 0},
		{"one-click GET", "GET", "/v2/unsubscribe?token=" + tok, "", "", 2, 0},
		{"one-click POST", "POST", "/v2/unsubscribe?token=" + tok, "", "List-Unsubscribe=One-Click", 2, 1},
		{"unsubscribe (not subscribed any more)", "POST", "/v2/knownIssues/" + id + ":unsubscribe", admin, "", 3 + 1 + 1, 0},
	}
	d.count.Take()
	for _, s := range steps {
		code, body := d.do(t, s.method, s.path, s.token, s.body)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", s.name, code, body)
		}
		r, w := d.count.Take()
		t.Logf("%-40s reads %2d writes %d", s.name, r, w)
		if r != s.reads || w != s.writes {
			t.Errorf("%s: %d reads %d writes, documented %d and %d", s.name, r, w, s.reads, s.writes)
		}
	}
}

// TestMeTooBurst: many people clicking "me too" on one issue at the same
// moment, from several organisations, are all subscribed (none lost, none
// counted twice) and each organisation gets exactly one linked case.
func TestMeTooBurst(t *testing.T) {
	t.Parallel()
	d := newDirect(t)
	id := d.issue(t, "clouddb")
	const n, orgs = 200, 8
	res := d.burst(t, id, n, orgs)
	if res.ok != n {
		t.Fatalf("%d of %d clicks succeeded", res.ok, n)
	}
	for org, cases := range res.cases {
		if len(cases) != 1 {
			t.Fatalf("organisation %s got %d linked cases: %v", org, len(cases), cases)
		}
	}
	count, err := d.store.SubscriberCount(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("subscriberCount %d, want %d", count, n)
	}
	t.Logf("me-too burst: %d clicks, %d contention retries, p50 %v, p99 %v", n, res.retries, res.percentile(0.5), res.percentile(0.99))
}
