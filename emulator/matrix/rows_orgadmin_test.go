//go:build integration

package matrix

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Organisation and catalogue administration rows: every route and verb ×
// every actor. Only support admins may; support agents, customers' and
// resellers' people are refused (403, 404 for other tenants on an
// organisation's URL), without usable access ACCESS_REQUIRED. The one
// allowed cell acts on something of its own (a fresh organisation,
// package or product), so no other cell sees a change.

func init() {
	orgPath := func(w *World, a Actor) string { return "/v2/organizations/" + w.Targets[a].OrgID }
	resellers := []Actor{ResellerGranted, ResellerNoGrant, ResellerRevoked, ResellerNew}
	ownMembers := []Actor{Viewer, OtherProduct, Member, OrgAdmin, ProductAdmin}
	var notAdmins []Actor
	for _, a := range AllActors {
		if a != SupportAdminActor && a != Anonymous && a != NonMember && a != Pending {
			notAdmins = append(notAdmins, a)
		}
	}
	// An organisation's URL: other tenants 404, its own people and its
	// reseller 403, agents 403.
	orgAdmin := Merge(Baseline(),
		Uniform(http.StatusForbidden, append(append(append([]Actor{}, ownMembers...), resellers...), SupportAgent)...),
		Uniform(http.StatusOK, SupportAdminActor))
	// Vendor-wide routes: no tenant to hide, so everyone else is 403.
	vendorAdmin := Merge(Uniform(http.StatusForbidden, notAdmins...),
		Uniform(http.StatusUnauthorized, Anonymous), Uniform(http.StatusForbidden, NonMember, Pending),
		Uniform(http.StatusOK, SupportAdminActor))

	freshOrg := func(t testing.TB, w *World, a Actor) string {
		if a == SupportAdminActor {
			return "/v2/organizations/" + freshCustomer(t, w, false, "")
		}
		return orgPath(w, a)
	}
	freshPackage := func(t testing.TB, w *World, a Actor) string {
		if a != SupportAdminActor {
			return "GOLD"
		}
		id := strings.ToUpper(testenv.UniqueID("MX"))
		if err := w.Env.Writer.Package(context.Background(), id, store.Package{DisplayName: "Matrix", SupportCenterAccess: true}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	freshProduct := func(t testing.TB, w *World, a Actor) string {
		if a != SupportAdminActor {
			return ProductA
		}
		id := testenv.UniqueID("mx")
		if err := w.Env.Writer.Product(context.Background(), id, store.Product{DisplayName: "Matrix", SupportHours: "24x7",
			Classifications: []store.Classification{{ID: id + "-c", DisplayName: "Matrix > C", Active: true}}}); err != nil {
			t.Fatal(err)
		}
		return id
	}

	register(
		Endpoint{Name: "organizations.create", Method: "POST", Route: "/v2/organizations", Want: vendorAdmin,
			Build: func(_ testing.TB, _ *World, a Actor) (string, any) {
				id := testenv.UniqueID("new")
				return "/v2/organizations?organizationId=" + id, map[string]any{"displayName": "New customer", "kind": "CUSTOMER",
					"domains": []string{id + ".example"}, "packageId": "GOLD", "productIds": []string{ProductA},
					"adminEmails": []string{"admin@" + id + ".example"}}
			}},
		Endpoint{Name: "organizations.patch", Method: "PATCH", Route: "/v2/organizations/*", Want: orgAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return freshOrg(t, w, a) + "?updateMask=displayName", map[string]any{"displayName": "Renamed"}
			}},
		Endpoint{Name: "organizations.suspend", Method: "POST", Route: "/v2/organizations/*", Want: orgAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return freshOrg(t, w, a) + ":suspend", map[string]any{"reason": "matrix"}
			}},
		Endpoint{Name: "organizations.resume", Method: "POST", Route: "/v2/organizations/*", Want: orgAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) { return freshOrg(t, w, a) + ":resume", nil }},

		Endpoint{Name: "packages.list", Method: "GET", Route: "/v2/packages", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/packages", nil }},
		Endpoint{Name: "packages.create", Method: "POST", Route: "/v2/packages", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/packages?packageId=" + strings.ToUpper(testenv.UniqueID("NEW")), map[string]any{"displayName": "New",
					"supportCenterAccess": true, "attachmentLimits": map[string]any{"maxBytes": "1048576", "maxPerCase": 10}}
			}},
		Endpoint{Name: "packages.get", Method: "GET", Route: "/v2/packages/*", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/packages/GOLD", nil }},
		Endpoint{Name: "packages.patch", Method: "PATCH", Route: "/v2/packages/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/packages/" + freshPackage(t, w, a) + "?updateMask=escalation", map[string]any{"escalation": true}
			}},
		Endpoint{Name: "packages.deactivate", Method: "POST", Route: "/v2/packages/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/packages/" + freshPackage(t, w, a) + ":deactivate", nil
			}},
		Endpoint{Name: "packages.activate", Method: "POST", Route: "/v2/packages/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/packages/" + freshPackage(t, w, a) + ":activate", nil
			}},

		Endpoint{Name: "products.list", Method: "GET", Route: "/v2/products", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/products", nil }},
		Endpoint{Name: "products.create", Method: "POST", Route: "/v2/products", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/products?productId=" + testenv.UniqueID("new"), map[string]any{"displayName": "New product",
					"supportHours": "Mon-Fri 09:00-18:00 Asia/Seoul", "phoneNumbers": []map[string]string{{"region": "KR", "number": "+82 2-555-0199"}}}
			}},
		Endpoint{Name: "products.get", Method: "GET", Route: "/v2/products/*", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/products/" + ProductA, nil }},
		Endpoint{Name: "products.patch", Method: "PATCH", Route: "/v2/products/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/products/" + freshProduct(t, w, a) + "?updateMask=supportHours", map[string]any{"supportHours": "24x7"}
			}},
		Endpoint{Name: "products.deactivate", Method: "POST", Route: "/v2/products/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/products/" + freshProduct(t, w, a) + ":deactivate", nil
			}},
		Endpoint{Name: "products.activate", Method: "POST", Route: "/v2/products/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/products/" + freshProduct(t, w, a) + ":activate", nil
			}},

		Endpoint{Name: "classifications.list", Method: "GET", Route: "/v2/products/*/classifications", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/products/" + ProductA + "/classifications", nil
			}},
		Endpoint{Name: "classifications.create", Method: "POST", Route: "/v2/products/*/classifications", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				p := freshProduct(t, w, a)
				return "/v2/products/" + p + "/classifications?classificationId=" + testenv.UniqueID("cls"),
					map[string]any{"displayName": "Networking"}
			}},
		Endpoint{Name: "classifications.get", Method: "GET", Route: "/v2/products/*/classifications/*", Want: vendorAdmin,
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/products/" + ProductA + "/classifications/clouddb-connectivity", nil
			}},
		Endpoint{Name: "classifications.patch", Method: "PATCH", Route: "/v2/products/*/classifications/*", Want: vendorAdmin,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				p := freshProduct(t, w, a)
				c := "clouddb-connectivity"
				if a == SupportAdminActor {
					c = p + "-c"
				}
				return "/v2/products/" + p + "/classifications/" + c + "?updateMask=active", map[string]any{"active": false}
			}},
	)
}
