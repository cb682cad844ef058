package wire

import "strings"

// Private resources ("resources/{id}") and feedback ("feedback/{id}"):
// top-level names, not under an organisation (a resource is published for
// packages and products, feedback may come from someone without one).

// ResourceName is "resources/{id}".
func ResourceName(id string) string { return "resources/" + id }

// ValidResourceID reports whether id has the shape of a resource id (the
// shape of an attachment id: 24 lower-case hex digits).
func ValidResourceID(id string) bool { return ValidAttachmentID(id) }

// ParseResourceName returns the id of "resources/{id}" (or of a bare id).
func ParseResourceName(name string) (string, bool) {
	id := strings.TrimPrefix(name, "resources/")
	return id, ValidResourceID(id)
}

// FeedbackName is "feedback/{id}".
func FeedbackName(id string) string { return "feedback/" + id }

// ValidFeedbackID reports whether id has the shape of a Firestore
// auto-id (20 letters and digits).
func ValidFeedbackID(id string) bool {
	if len(id) != 20 {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
