// Package wire is the Cloud Support API v2 vocabulary our public API
// speaks, in one place: resource names (formatted and parsed), the shapes
// of the ids inside them, the one timestamp format, the Actor message,
// int64-as-string and the enum names (taken from Google's supportpb
// descriptors, so they cannot drift from the clients that decode them).
//
// It is pure: no I/O, no Firestore, no HTTP. Function packages map their
// stored documents onto these types; nothing here knows about storage.
package wire
