package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"
)

// profilesCollection holds one profile per person:
//
//	profiles/{MembershipKey(email)}  Profile
//
// A profile belongs to the person, not to a membership: the same display
// name, language and notification choice apply in every organisation.
const profilesCollection = "profiles"

// Notification preferences.
const (
	// NotifyAll: e-mail about every change of cases the person filed or
	// subscribes to (the default, also when there is no profile).
	NotifyAll = "ALL"
	// NotifyNone: no case e-mails (the case history stays readable).
	NotifyNone = "NONE"
)

// NotificationPreferences lists the valid preferences.
var NotificationPreferences = []string{NotifyAll, NotifyNone}

// Profile is a person's own settings.
type Profile struct {
	Email                  string    `firestore:"email"` // lower case
	DisplayName            string    `firestore:"displayName,omitempty"`
	Language               string    `firestore:"language,omitempty"` // "en" or "ko"
	NotificationPreference string    `firestore:"notificationPreference,omitempty"`
	UpdateTime             time.Time `firestore:"updateTime"`
}

// Notify is the effective notification preference (NotifyAll when unset).
func (p *Profile) Notify() string {
	if p == nil || p.NotificationPreference == "" {
		return NotifyAll
	}
	return p.NotificationPreference
}

// ProfileID is the document id of email's profile.
func ProfileID(email string) string { return MembershipKey(email) }

// Profile reads email's profile; (nil, nil) when the person has none yet.
func (s *Store) Profile(ctx context.Context, email string) (*Profile, error) {
	snap, err := s.fs.Collection(profilesCollection).Doc(ProfileID(email)).Get(ctx)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapGet(err, "profile", ProfileID(email))
	}
	return decode[Profile](snap, "profile")
}

// ProfileChange is a partial profile update: nil fields stay as they are.
type ProfileChange struct {
	DisplayName            *string
	Language               *string
	NotificationPreference *string
}

// SaveProfile merges change into email's profile (creating it) with the
// update time now, and returns the profile as stored. Writes: 1. Reads: 1.
func (s *Store) SaveProfile(ctx context.Context, email string, change ProfileChange, now time.Time) (*Profile, error) {
	doc := map[string]any{"email": NormalizeEmail(email), "updateTime": now}
	for field, v := range map[string]*string{"displayName": change.DisplayName, "language": change.Language,
		"notificationPreference": change.NotificationPreference} {
		if v != nil {
			doc[field] = *v
		}
	}
	fields := make([]firestore.FieldPath, 0, len(doc))
	for f := range doc {
		fields = append(fields, firestore.FieldPath{f})
	}
	if _, err := s.fs.Collection(profilesCollection).Doc(ProfileID(email)).Set(ctx, doc, firestore.Merge(fields...)); err != nil {
		return nil, fmt.Errorf("save profile: %w", err)
	}
	return s.Profile(ctx, email)
}
