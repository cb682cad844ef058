package auth

import (
	"fmt"
	"slices"
	"strings"
)

// demoPrefix marks Firebase demo projects: they exist only in emulators, so
// no production data or account can be reached under such an id.
const demoPrefix = "demo-"

// IsDemoProject reports whether projectID is a Firebase demo project.
func IsDemoProject(projectID string) bool { return strings.HasPrefix(projectID, demoPrefix) }

// CheckEmulatorSafety refuses to run with any *_EMULATOR_HOST variable set
// in environ (os.Environ() form, "NAME=value") unless projectID is a demo
// project. Emulator variables make clients skip credentials and the Auth
// client accept unsigned tokens; set by mistake in production they would let
// anyone in, so every function calls this before it serves.
func CheckEmulatorSafety(projectID string, environ []string) error {
	if IsDemoProject(projectID) {
		return nil
	}
	var set []string
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasSuffix(name, "_EMULATOR_HOST") && value != "" {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	slices.Sort(set)
	return fmt.Errorf("refusing to start: %s set but project %q does not start with %q; "+
		"emulator settings make clients skip credentials and accept unsigned ID tokens, "+
		"so they are allowed only in demo projects (unset them, or use a demo- project id)",
		strings.Join(set, ", "), projectID, demoPrefix)
}
