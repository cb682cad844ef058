// Package wire is the Cloud Support API v2 vocabulary our public API
// speaks, in one place: resource names (formatted and parsed), the shapes
// of the ids inside them, the one timestamp format, the Actor message,
// int64-as-string and the enum names (taken from Google's supportpb
// descriptors, so they cannot drift from the clients that decode them).
//
// It is pure: no I/O, no Firestore, no HTTP. Function packages map their
// stored documents onto these types; nothing here knows about storage.
//
// Cost: supportpb links protobuf and gRPC (its generated service stubs).
// Every function links both already through the Firestore client, so the
// cases function grew by 161,510 bytes (0.28%, measured with go build
// -trimpath) when its enum tables came from here; a binary without
// Firestore would pay about 8 MB, so keep wire out of such binaries (the
// portal does not import it).
package wire
