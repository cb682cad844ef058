//go:build integration

package matrix

import (
	"net/http"
	"testing"
)

func init() {
	// The single sign-on callback is where identity providers send people
	// back: signed in or not, every actor gets the same app shell (the app
	// itself decides whether an answer belongs to a sign-in it started),
	// and anything but a provider's form is refused alike.
	register(
		Endpoint{
			Name: "portal.ssoCallback", Method: "GET", Route: "/__/auth/**",
			Build: func(testing.TB, *World, Actor) (string, any) { return "/__/auth/handler", nil },
			Want:  Uniform(http.StatusOK, AllActors...),
		},
		Endpoint{
			Name: "portal.ssoCallback.postJSON", Method: "POST", Route: "/__/auth/**",
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/__/auth/handler", map[string]string{"SAMLResponse": "not a form"}
			},
			Want: Uniform(http.StatusBadRequest, AllActors...),
		},
	)
}
