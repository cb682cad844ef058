//go:build integration

package matrix

import "testing"

func init() {
	// /v2/me answers every signed-in person (it is how they learn why they
	// have no access); only anonymous callers are refused.
	register(Endpoint{
		Name: "me.get", Method: "GET", Route: "/v2/me",
		Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/me", nil },
		Want:  Merge(Uniform(200, AllActors...), Uniform(401, Anonymous)),
	})
}
