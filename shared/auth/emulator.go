package auth

import "strings"

// demoPrefix marks Firebase demo projects: they exist only in emulators, so
// no production data or account can be reached under such an id. (The
// runtime refuses every *_EMULATOR_HOST outside them before a function
// starts; NewVerifier checks the Auth emulator again on its own.)
const demoPrefix = "demo-"

// IsDemoProject reports whether projectID is a Firebase demo project.
func IsDemoProject(projectID string) bool { return strings.HasPrefix(projectID, demoPrefix) }
