package store

import (
	"context"
	"fmt"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
)

func (s *Store) attachmentRef(caseID, id string) *firestore.DocumentRef {
	return s.caseRef(caseID).Collection(AttachmentsCollection).Doc(id)
}

func (s *Store) attachmentCounterRef(caseID string) *firestore.DocumentRef {
	return s.caseRef(caseID).Collection(AttachmentCountersCollection).Doc(attachmentCounterDoc)
}

func decodeAttachment(snap *firestore.DocumentSnapshot) (*Attachment, error) {
	var a Attachment
	if err := snap.DataTo(&a); err != nil {
		return nil, fmt.Errorf("decode attachment %s: %w", snap.Ref.ID, err)
	}
	a.ID = snap.Ref.ID
	return &a, nil
}

// CreateAttachment writes a new (PENDING) attachment; a.ID must be set
// (NewAttachmentID). One write.
func (s *Store) CreateAttachment(ctx context.Context, a *Attachment) error {
	if !wire.ValidCaseID(a.CaseID) || !wire.ValidAttachmentID(a.ID) {
		return fmt.Errorf("create attachment %q of case %q: bad id", a.ID, a.CaseID)
	}
	if _, err := s.attachmentRef(a.CaseID, a.ID).Create(ctx, a); err != nil {
		return fmt.Errorf("create attachment: %w", err)
	}
	return nil
}

// Attachment reads one attachment of a case (ErrNotFound if missing).
func (s *Store) Attachment(ctx context.Context, caseID, id string) (*Attachment, error) {
	if !wire.ValidCaseID(caseID) || !wire.ValidAttachmentID(id) {
		return nil, fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	snap, err := s.attachmentRef(caseID, id).Get(ctx)
	if err != nil {
		return nil, wrapGet(err, "attachment", id)
	}
	return decodeAttachment(snap)
}

// DeleteAttachment removes an attachment document (an upload that failed
// before its object was written). One write.
func (s *Store) DeleteAttachment(ctx context.Context, caseID, id string) error {
	_, err := s.attachmentRef(caseID, id).Delete(ctx)
	return err
}

// Attachments lists a case's READY attachments in upload order, after the
// attachment id after ("" = from the first), at most limit of them. The
// query is an equality on state ordered by document id, which the
// automatic single-field index serves (no composite index needed).
// Costs one read per attachment returned (one if none).
func (s *Store) Attachments(ctx context.Context, caseID, after string, limit int) ([]*Attachment, error) {
	q := s.caseRef(caseID).Collection(AttachmentsCollection).
		Where(AttachmentFieldState, "==", AttachmentReady).
		OrderBy(firestore.DocumentID, firestore.Asc).Limit(limit)
	if after != "" {
		q = q.StartAfter(after)
	}
	return collect(q.Documents(ctx), "list attachments", decodeAttachment)
}

// ReadyAttachments returns how many READY attachments a case has (the
// quota counter). One read.
func (s *Store) ReadyAttachments(ctx context.Context, caseID string) (int, error) {
	snap, err := s.attachmentCounterRef(caseID).Get(ctx)
	if IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("get attachment counter: %w", err)
	}
	var n AttachmentCounter
	if err := snap.DataTo(&n); err != nil {
		return 0, fmt.Errorf("decode attachment counter: %w", err)
	}
	return n.Ready, nil
}

// FinalizeAttachment applies a validation result to attachment id of
// caseID in one transaction with the case's READY counter (see applyCheck
// for the rules: stale and duplicate results change nothing, so repeated
// and concurrent notifications of one generation have one effect).
// newEventID is the event id recorded when the attachment first becomes
// READY. Costs two reads, plus two writes when applied.
func (s *Store) FinalizeAttachment(ctx context.Context, caseID, id string, c AttachmentCheck, newEventID string) (*Attachment, FinalizeOutcome, error) {
	if !wire.ValidCaseID(caseID) || !wire.ValidAttachmentID(id) {
		return nil, "", fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	var out *Attachment
	var outcome FinalizeOutcome
	aRef, nRef := s.attachmentRef(caseID, id), s.attachmentCounterRef(caseID)
	err := s.FS.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
		snaps, err := tx.GetAll([]*firestore.DocumentRef{aRef, nRef})
		if err != nil {
			return fmt.Errorf("get attachment and counter: %w", err)
		}
		if !snaps[0].Exists() {
			return fmt.Errorf("attachment %s: %w", id, ErrNotFound)
		}
		a, err := decodeAttachment(snaps[0])
		if err != nil {
			return err
		}
		var n AttachmentCounter
		if snaps[1].Exists() {
			if err := snaps[1].DataTo(&n); err != nil {
				return fmt.Errorf("decode attachment counter: %w", err)
			}
		}
		var counted bool
		outcome, counted = applyCheck(a, &n, c, newEventID)
		out = a
		if outcome != OutcomeApplied {
			return nil
		}
		if err := tx.Set(aRef, a); err != nil {
			return err
		}
		if counted {
			return tx.Set(nRef, n)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, outcome, nil
}

// MarkAttachmentEventPublished records that the attachment's
// case.attachmentAdded event was sent. One write.
func (s *Store) MarkAttachmentEventPublished(ctx context.Context, caseID, id string) error {
	_, err := s.attachmentRef(caseID, id).Update(ctx, []firestore.Update{{Path: "eventPublished", Value: true}})
	return err
}
