//go:build integration

package me_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
)

// TestDeletedAccountIs401: a still-valid ID token of an Auth account that
// was deleted is 401 UNAUTHENTICATED (the client must sign in again), not a
// retryable 503. The account is deleted before the function first sees it,
// so no cached account state is involved.
func TestDeletedAccountIs401(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	ctx := context.Background()
	email := testenv.UniqueID("gone") + "@acme.example"
	uid, err := env.Writer.User(ctx, email, "Gone")
	if err != nil {
		t.Fatal(err)
	}
	tok := env.FreshToken(t, email)
	if err := env.Writer.Auth.DeleteUser(ctx, uid); err != nil {
		t.Fatal(err)
	}
	r := env.Do(t, "GET", "/v2/me", tok, nil)
	var body struct {
		Error struct {
			Status string `json:"status"`
		} `json:"error"`
	}
	r.JSON(t, &body)
	if r.Status != http.StatusUnauthorized || body.Error.Status != "UNAUTHENTICATED" {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
}
