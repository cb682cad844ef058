// Package authadmin builds the Firebase Admin SDK's Auth client, for the
// functions that manage accounts (create users, generate e-mail links, look
// users up by uid). It is apart from shared/auth because the SDK's Auth
// client can only be built through the SDK's root package, which links
// Cloud Storage, gRPC xDS and more: functions that only verify tokens use
// shared/auth and link none of that.
package authadmin

import (
	"context"

	firebase "firebase.google.com/go/v4"
	fbauth "firebase.google.com/go/v4/auth"
)

// NewClient returns a Firebase Auth admin client for projectID. With
// FIREBASE_AUTH_EMULATOR_HOST set it talks to the Auth emulator.
func NewClient(ctx context.Context, projectID string) (*fbauth.Client, error) {
	app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: projectID})
	if err != nil {
		return nil, err
	}
	return app.Auth(ctx)
}
