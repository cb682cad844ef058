package cases

import "github.com/supportcenter/supportcenter/shared/apierror"

// checkBodyName refuses a body "name" that disagrees with the path (Google
// clients repeat the name in :close and :escalate bodies).
func checkBodyName(bodyName, want string) error {
	if bodyName != "" && bodyName != want {
		return apierror.InvalidArgument("the name in the body (%q) does not match the URL (%q)", bodyName, want).
			WithFieldViolation("name", "does not match the URL")
	}
	return nil
}
