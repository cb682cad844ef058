package store

import (
	"context"
	"fmt"

	"cloud.google.com/go/firestore"
)

// Open connects to projectID's Firestore (FIRESTORE_EMULATOR_HOST is honoured
// by the client library) and returns a Store over it: functions get their
// store here, so nothing outside this package builds a Firestore client.
func Open(ctx context.Context, projectID string) (*Store, error) {
	fs, err := firestore.NewClient(ctx, projectID)
	if err != nil {
		return nil, fmt.Errorf("firestore: %w", err)
	}
	return New(fs), nil
}
