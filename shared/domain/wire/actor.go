package wire

// Actor is google.cloud.support.v2.Actor: who created a case, comment,
// attachment or survey, or escalated a case.
type Actor struct {
	DisplayName string `json:"displayName,omitempty"`
	// Email is deprecated upstream; still filled for older clients.
	Email string `json:"email,omitempty"`
	// GoogleSupport is true for the vendor's support staff.
	GoogleSupport bool   `json:"googleSupport,omitempty"`
	Username      string `json:"username,omitempty"`
}

// NewActor returns the Actor of a person: the display name falls back to
// the address when the person has none.
func NewActor(displayName, email string, support bool) *Actor {
	if displayName == "" {
		displayName = email
	}
	return &Actor{DisplayName: displayName, Email: email, Username: email, GoogleSupport: support}
}
