//go:build integration

package me_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/me"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestProfile(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	tn := env.NewCustomer(t, "GOLD", "clouddb")
	email := tn.Email("pat")
	env.AddUser(t, tn.OrgID, email, store.StatusActive, store.Role{Role: store.RoleMember})
	tok := env.Token(t, email)

	// Defaults before anything is set.
	var got me.Me
	env.Do(t, "GET", "/v2/me", tok, nil).JSON(t, &got)
	if got.Profile.Language != "en" || got.Profile.NotificationPreference != store.NotifyAll {
		t.Fatalf("default profile %+v", got.Profile)
	}

	r := env.Do(t, "PATCH", "/v2/me", tok, map[string]any{"displayName": "  박 Pat  ", "language": "ko"})
	if r.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	// A later patch of one field keeps the others.
	r = env.Do(t, "PATCH", "/v2/me", tok, map[string]any{"notificationPreference": store.NotifyNone})
	var p me.Profile
	r.JSON(t, &p)
	if p.DisplayName != "박 Pat" || p.Language != "ko" || p.NotificationPreference != store.NotifyNone || p.UpdateTime == "" {
		t.Fatalf("profile %+v", p)
	}
	env.Do(t, "GET", "/v2/me", tok, nil).JSON(t, &got)
	if got.Profile.Language != "ko" || got.DisplayName != "박 Pat" || len(got.Organizations) != 1 {
		t.Fatalf("me after patch %+v", got)
	}
	stored, err := storeProfile(t, env, email)
	if err != nil || stored.Notify() != store.NotifyNone {
		t.Fatalf("stored profile %+v %v", stored, err)
	}

	for name, body := range map[string]any{
		"language":      map[string]any{"language": "fr"},
		"preference":    map[string]any{"notificationPreference": "SOME"},
		"long name":     map[string]any{"displayName": strings.Repeat("a", 101)},
		"control chars": map[string]any{"displayName": "a\u0007b"},
		"line break":    map[string]any{"displayName": "Kim\r\nSupport Agent (support team)"},
		"bidi override": map[string]any{"displayName": "\u202eevil"},
		"unknown field": map[string]any{"email": "other@x.example"},
		"wrong type":    map[string]any{"language": 1},
	} {
		if r := env.Do(t, "PATCH", "/v2/me", tok, body); r.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if r := env.Do(t, "PATCH", "/v2/me", "", map[string]any{"language": "ko"}); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", r.Status)
	}
}

func storeProfile(t *testing.T, env *testenv.Env, email string) (*store.Profile, error) {
	t.Helper()
	return store.New(env.FS()).Profile(t.Context(), email)
}
