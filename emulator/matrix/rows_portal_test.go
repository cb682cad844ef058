//go:build integration

package matrix

import (
	"net/http"
	"testing"
)

func init() {
	// The portal's routes serve the app shell and its static assets, which
	// hold no data: every actor, anonymous included, gets the same page
	// (what each may see is decided by the API calls the app then makes).
	// A deep link into another tenant's case is the same shell: the case
	// itself comes from cases.get, which answers 404.
	page := func(name, route, path string) Endpoint {
		return Endpoint{
			Name: name, Method: "GET", Route: route,
			Build: func(testing.TB, *World, Actor) (string, any) { return path, nil },
			Want:  Uniform(http.StatusOK, AllActors...),
		}
	}
	register(
		page("portal.root", "/", "/"),
		page("portal.organizations", "/organizations/**", "/organizations/acme/cases/1"),
		page("portal.support", "/support/**", "/support/queue"),
		Endpoint{
			Name: "portal.assets", Method: "GET", Route: "/assets/**",
			Build: func(testing.TB, *World, Actor) (string, any) { return "/assets/no-such-file.js", nil },
			Want:  Uniform(http.StatusNotFound, AllActors...),
		},
	)
}
