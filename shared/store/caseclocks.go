package store

import (
	"fmt"

	"cloud.google.com/go/firestore"
)

// readyOnCase reads the case in tx and applies fn (an attachment's
// AttachmentCheck.OnReady), writing the case when fn changed it. It must
// run before the transaction's first write (Firestore reads come first).
// A missing case is left alone.
func readyOnCase(tx *firestore.Transaction, ref *firestore.DocumentRef, fn func(*Case) bool) error {
	snap, err := tx.Get(ref)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get case: %w", err)
	}
	c, err := decodeCase(snap)
	if err != nil {
		return err
	}
	if !fn(c) {
		return nil
	}
	return tx.Set(ref, c)
}
