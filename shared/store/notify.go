package store

import (
	"context"
	"fmt"
	"time"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

// NotificationFailuresCollection holds the notify function's refused
// e-mails (case e-mail notifications):
//
//	notificationFailures/{id}  NotificationFailure (ids and a status, never a body)
const NotificationFailuresCollection = "notificationFailures"

// Comment reads one comment of a case (ErrNotFound if missing).
func (s *Store) Comment(ctx context.Context, caseID, commentID string) (*Comment, error) {
	if !wire.ValidCaseID(caseID) || commentID == "" {
		return nil, fmt.Errorf("comment %q: %w", commentID, ErrNotFound)
	}
	snap, err := s.caseRef(caseID).Collection(CommentsCollection).Doc(commentID).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "comment", commentID)
	}
	return decodeComment(snap)
}

// AttachmentNotice is what a notification says about an attachment: the
// fields of an attachment document (cases/{caseId}/attachments/{id}) that
// its case's readers see anyway.
type AttachmentNotice struct {
	ID           string `firestore:"id"`
	State        string `firestore:"state"`
	Filename     string `firestore:"filename"`
	SizeBytes    int64  `firestore:"sizeBytes"`
	CreatorUID   string `firestore:"creatorUid"`
	CreatorEmail string `firestore:"creatorEmail"`
	CreatorName  string `firestore:"creatorName,omitempty"`
	// CreatorIsSupport is set when the support team uploaded it.
	CreatorIsSupport bool `firestore:"creatorIsSupport"`
}

// AttachmentNotice reads the notice fields of one attachment of a case
// (ErrNotFound if missing). One read.
func (s *Store) AttachmentNotice(ctx context.Context, caseID, id string) (*AttachmentNotice, error) {
	if !wire.ValidCaseID(caseID) || id == "" {
		return nil, fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	snap, err := s.caseRef(caseID).Collection("attachments").Doc(id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "attachment", id)
	}
	return decoder("attachment", func(v *AttachmentNotice, id string) { v.ID = id })(snap)
}

// Profiles reads the profiles of several people in one round trip, by
// normalised address; people without a profile are absent from the map.
func (s *Store) Profiles(ctx context.Context, emails []string) (map[string]*Profile, error) {
	out := make(map[string]*Profile, len(emails))
	if len(emails) == 0 {
		return out, nil
	}
	refs := make([]*firestore.DocumentRef, len(emails))
	for i, e := range emails {
		refs[i] = s.fs.Collection(profilesCollection).Doc(ProfileID(e))
	}
	snaps, err := s.fs.GetAll(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("get profiles: %w", err)
	}
	for i, snap := range snaps {
		if !snap.Exists() {
			continue
		}
		p, err := decode[Profile](snap, "profile")
		if err != nil {
			return nil, err
		}
		out[NormalizeEmail(emails[i])] = p
	}
	return out, nil
}

// Notification failure kinds.
const (
	// NotifySendRefused: SendGrid refused the e-mail for good (a 4xx other
	// than 429); it will not be retried.
	NotifySendRefused = "SEND_REFUSED"
	// NotifyInvalidEvent: the message could never be processed (malformed,
	// unknown type, newer schema version).
	NotifyInvalidEvent = "INVALID_EVENT"
)

// NotificationFailure records a notification that was given up for good,
// so an operator can see it. It holds ids and a status only — never the
// e-mail's body, subject or address (RecipientKey is the recipient's
// ProfileID). ExpireTime is for a Firestore TTL policy.
type NotificationFailure struct {
	Kind         string    `firestore:"kind"`
	EventID      string    `firestore:"eventId,omitempty"`
	MessageID    string    `firestore:"messageId,omitempty"` // Pub/Sub message id
	EventType    string    `firestore:"eventType,omitempty"`
	OrgID        string    `firestore:"orgId,omitempty"`
	CaseID       string    `firestore:"caseId,omitempty"`
	RecipientKey string    `firestore:"recipientKey,omitempty"`
	Status       int       `firestore:"status,omitempty"` // SendGrid's HTTP status
	Reason       string    `firestore:"reason"`
	Time         time.Time `firestore:"time"`
	ExpireTime   time.Time `firestore:"expireTime"`
}

// RecordNotificationFailure writes f under id; writing the same id again
// (a redelivered event) overwrites it. One write.
func (s *Store) RecordNotificationFailure(ctx context.Context, id string, f NotificationFailure) error {
	_, err := s.fs.Collection(NotificationFailuresCollection).Doc(id).Set(ctx, f)
	if err != nil {
		return fmt.Errorf("record notification failure: %w", err)
	}
	return nil
}
