package store

import (
	"context"
	"fmt"

	"cloud.google.com/go/firestore"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/events"
)

func (s *Store) attachmentRef(caseID, id string) *firestore.DocumentRef {
	return s.caseRef(caseID).Collection(AttachmentsCollection).Doc(id)
}

func (s *Store) attachmentCounterRef(caseID string) *firestore.DocumentRef {
	return s.caseRef(caseID).Collection(AttachmentCountersCollection).Doc(attachmentCounterDoc)
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
	n, err := decode[attachmentCounter](snap, "attachment counter")
	if err != nil {
		return 0, err
	}
	return n.Ready, nil
}

// FinalizeAttachment applies a validation result to attachment id of
// caseID in one transaction with the case's READY counter (see applyCheck
// for the rules: stale and duplicate results change nothing, so repeated
// and concurrent notifications of one generation have one effect).
// newEventID is the event id recorded when the attachment first becomes
// READY; then its case.attachmentAdded event (events.AttachmentAdded) is
// written to the outbox in the same transaction and returned for
// outbox.Send, and c.OnReady (if set) is applied to the case. Costs two
// reads, plus two writes when applied (three when the event is written);
// c.OnReady adds a read of the case, and a write when it changed it.
func (s *Store) FinalizeAttachment(ctx context.Context, caseID, id string, c AttachmentCheck, newEventID string) (*Attachment, FinalizeOutcome, []events.Message, error) {
	if !wire.ValidCaseID(caseID) || !wire.ValidAttachmentID(id) {
		return nil, "", nil, fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	var out *Attachment
	var outcome FinalizeOutcome
	var msgs []events.Message
	aRef, nRef := s.attachmentRef(caseID, id), s.attachmentCounterRef(caseID)
	err := s.fs.RunTransaction(ctx, func(ctx context.Context, tx *firestore.Transaction) error {
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
		n := &attachmentCounter{}
		if snaps[1].Exists() {
			if n, err = decode[attachmentCounter](snaps[1], "attachment counter"); err != nil {
				return err
			}
		}
		hadEvent := a.EventID != ""
		var counted bool
		outcome, counted = applyCheck(a, n, c, newEventID)
		out, msgs = a, nil
		if outcome != OutcomeApplied {
			return nil
		}
		if !hadEvent && a.EventID != "" && c.OnReady != nil {
			if err := readyOnCase(tx, s.caseRef(caseID), c.OnReady); err != nil {
				return err
			}
		}
		if err := tx.Set(aRef, a); err != nil {
			return err
		}
		if counted {
			if err := tx.Set(nRef, n); err != nil {
				return err
			}
		}
		if hadEvent || a.EventID == "" {
			return nil
		}
		m, err := events.NewAttachmentAdded(a.EventID, a.ReadyTime, a.OrgID, a.CaseID, a.ID, a.CreatorUID, ProfileID(a.CreatorEmail), a.CreatorIsSupport).Message()
		if err != nil {
			return err
		}
		msgs = []events.Message{m}
		return s.putOutbox(txSet(tx), msgs)
	})
	if err != nil {
		return nil, "", nil, err
	}
	return out, outcome, msgs, nil
}
