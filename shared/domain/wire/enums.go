package wire

import (
	"bytes"
	"encoding/json"
	"strconv"

	"cloud.google.com/go/support/apiv2/supportpb"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Enums travel as integers from Google's clients ("enum-encoding=int") and
// as names from others; we always answer with names, which protojson
// accepts. The names and numbers are read from supportpb's generated enum
// tables (it links only protobuf, which the Firestore client links
// anyway). The zero value ("…_UNSPECIFIED") is held as "".

// State is Case.State: NEW, IN_PROGRESS_GOOGLE_SUPPORT, ACTION_REQUIRED,
// SOLUTION_PROVIDED or CLOSED.
type State string

// Priority is Case.Priority: P0 … P4.
type Priority string

// Reason is Escalation.Reason: RESOLUTION_TIME, TECHNICAL_EXPERTISE or
// BUSINESS_IMPACT.
type Reason string

var (
	stateNames    = enumNames(supportpb.Case_State_name)
	priorityNames = enumNames(supportpb.Case_Priority_name)
	reasonNames   = enumNames(supportpb.Escalation_Reason_name)
)

// StateNames lists the case states' wire names in wire-number order,
// without the unspecified zero value (PriorityNames and ReasonNames do the
// same for their enums).
func StateNames() []string { return append([]string(nil), stateNames[1:]...) }

// PriorityNames lists P0 … P4 in wire-number order.
func PriorityNames() []string { return append([]string(nil), priorityNames[1:]...) }

// ReasonNames lists the escalation reasons in wire-number order.
func ReasonNames() []string { return append([]string(nil), reasonNames[1:]...) }

// enumNames turns a generated number → name table into a slice indexed by
// number (the support enums are dense from 0).
func enumNames(m map[int32]string) []string {
	out := make([]string, len(m))
	for n, name := range m {
		out[n] = name
	}
	return out
}

// UnmarshalJSON accepts a number or a name.
func (s *State) UnmarshalJSON(b []byte) error {
	v, err := decodeEnum(b, stateNames, "state")
	*s = State(v)
	return err
}

// UnmarshalJSON accepts a number or a name.
func (p *Priority) UnmarshalJSON(b []byte) error {
	v, err := decodeEnum(b, priorityNames, "priority")
	*p = Priority(v)
	return err
}

// UnmarshalJSON accepts a number or a name.
func (r *Reason) UnmarshalJSON(b []byte) error {
	v, err := decodeEnum(b, reasonNames, "escalation.reason")
	*r = Reason(v)
	return err
}

func decodeEnum(b []byte, names []string, field string) (string, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return "", nil
	}
	bad := func() error {
		return apierror.InvalidArgument("%s: %s is not a known value", field, b).WithFieldViolation(field, "unknown enum value")
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return "", bad()
		}
		for i, n := range names {
			if n == s {
				if i == 0 {
					return "", nil
				}
				return n, nil
			}
		}
		return "", bad()
	}
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 0 || n >= len(names) {
		return "", bad()
	}
	if n == 0 {
		return "", nil
	}
	return names[n], nil
}
