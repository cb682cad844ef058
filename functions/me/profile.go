package me

import (
	"net/http"
	"slices"
	"strings"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/text"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Profile is the caller's own settings, with defaults filled in.
type Profile struct {
	DisplayName            string `json:"displayName,omitempty"`
	Language               string `json:"language"`               // en | ko
	NotificationPreference string `json:"notificationPreference"` // ALL | NONE
	UpdateTime             string `json:"updateTime,omitempty"`
}

// ProfilePatch is the body of PATCH /v2/me: fields left out stay as they
// are ("updateMask" is implied by which fields are present).
type ProfilePatch struct {
	DisplayName            *string `json:"displayName"`
	Language               *string `json:"language"`
	NotificationPreference *string `json:"notificationPreference"`
}

func toProfile(p *store.Profile) Profile {
	out := Profile{Language: text.DefaultLanguage, NotificationPreference: p.Notify()}
	if p == nil {
		return out
	}
	if p.DisplayName != "" {
		out.DisplayName = p.DisplayName
	}
	if p.Language != "" {
		out.Language = p.Language
	}
	if !p.UpdateTime.IsZero() {
		out.UpdateTime = wire.Timestamp(p.UpdateTime)
	}
	return out
}

func (h *Handler) patch(w http.ResponseWriter, r *http.Request) error {
	id, err := h.deps.Identity(r)
	if err != nil {
		return err
	}
	// The profile is keyed by address: only a proven address may own one.
	if err := access.RequireVerified(id); err != nil {
		return err
	}
	var req ProfilePatch
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		return err
	}
	change := store.ProfileChange{Language: req.Language, NotificationPreference: req.NotificationPreference}
	if req.DisplayName != nil {
		name, err := text.DisplayName("displayName", *req.DisplayName)
		if err != nil {
			return err
		}
		change.DisplayName = &name
	}
	if req.Language != nil {
		if err := text.Language("language", *req.Language); err != nil {
			return err
		}
	}
	if req.NotificationPreference != nil {
		if !slices.Contains(store.NotificationPreferences, *req.NotificationPreference) {
			return apierror.InvalidArgument("notificationPreference must be one of %s", strings.Join(store.NotificationPreferences, ", ")).
				WithFieldViolation("notificationPreference", "unsupported value")
		}
	}
	p, err := h.deps.Store.SaveProfile(r.Context(), id.Email, change, h.deps.Clock.Now())
	if err != nil {
		return apierror.From(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, toProfile(p))
}
