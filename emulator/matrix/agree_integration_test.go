//go:build integration

package matrix

import (
	"net/http"
	"net/url"
	"testing"
)

// TestMeAndOrganizationsAgree: for every actor, each organisation that both
// GET /v2/me (the account switcher) and GET /v2/organizations list carries
// the same capacity — both ask the access package, so they cannot drift.
// A vendor member without a staff role is a CUSTOMER of the vendor
// organisation in both, never SUPPORT.
func TestMeAndOrganizationsAgree(t *testing.T) {
	w := getWorld(t)
	type org struct {
		Name     string `json:"name"`
		Capacity string `json:"capacity"`
	}
	for _, a := range AllActors {
		if a == Anonymous {
			continue
		}
		t.Run(string(a), func(t *testing.T) {
			t.Parallel()
			var me struct {
				Organizations []org `json:"organizations"`
			}
			r := w.Env.Do(t, "GET", "/v2/me", w.Tokens[a], nil)
			if r.Status != http.StatusOK {
				t.Fatalf("GET /v2/me: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &me)
			listed := map[string]string{}
			token := ""
			for {
				path := "/v2/organizations?pageSize=100"
				if token != "" {
					path += "&pageToken=" + url.QueryEscape(token)
				}
				r := w.Env.Do(t, "GET", path, w.Tokens[a], nil)
				if r.Status == http.StatusForbidden {
					break // no usable access anywhere: nothing to compare
				}
				if r.Status != http.StatusOK {
					t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
				}
				var page struct {
					Organizations []org  `json:"organizations"`
					NextPageToken string `json:"nextPageToken"`
				}
				r.JSON(t, &page)
				for _, o := range page.Organizations {
					listed[o.Name] = o.Capacity
				}
				if token = page.NextPageToken; token == "" {
					break
				}
			}
			compared := 0
			for _, o := range me.Organizations {
				c, ok := listed[o.Name]
				if !ok {
					continue
				}
				compared++
				if c != o.Capacity {
					t.Errorf("%s: /v2/me says %s, /v2/organizations says %s", o.Name, o.Capacity, c)
				}
			}
			if a == VendorMember {
				if compared == 0 {
					t.Fatal("the vendor member's organisation is in neither list")
				}
				if listed["organizations/support"] != "CUSTOMER" {
					t.Errorf("vendor member lists the vendor organisation as %q, want CUSTOMER", listed["organizations/support"])
				}
			}
		})
	}
}
