package store

import (
	"context"
	"time"
)

// ProfilesCollection holds one profile per person:
//
//	profiles/{MembershipKey(email)}  Profile
//
// A profile belongs to the person, not to a membership: the same display
// name, language and notification choice apply in every organisation.
const ProfilesCollection = "profiles"

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
	snap, err := s.FS.Collection(ProfilesCollection).Doc(ProfileID(email)).Get(ctx)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapGet(err, "profile", ProfileID(email))
	}
	var p Profile
	if err := snap.DataTo(&p); err != nil {
		return nil, err
	}
	return &p, nil
}
