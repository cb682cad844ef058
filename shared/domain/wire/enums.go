package wire

import (
	"bytes"
	"encoding/json"
	"strconv"

	"cloud.google.com/go/support/apiv2/supportpb"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Enums travel as integers from Google's clients ("enum-encoding=int") and
// as names from others; we always answer with names, which protojson
// accepts. The names and numbers are read from supportpb's enum
// descriptors (see the package doc for what linking supportpb costs). The
// zero value ("…_UNSPECIFIED") is held as "".

// State is Case.State: NEW, IN_PROGRESS_GOOGLE_SUPPORT, ACTION_REQUIRED,
// SOLUTION_PROVIDED or CLOSED.
type State string

// Priority is Case.Priority: P0 … P4.
type Priority string

// Reason is Escalation.Reason: RESOLUTION_TIME, TECHNICAL_EXPERTISE or
// BUSINESS_IMPACT.
type Reason string

var (
	stateNames    = enumNames(supportpb.Case_STATE_UNSPECIFIED.Descriptor())
	priorityNames = enumNames(supportpb.Case_PRIORITY_UNSPECIFIED.Descriptor())
	reasonNames   = enumNames(supportpb.Escalation_REASON_UNSPECIFIED.Descriptor())
)

// StateNames lists Case.State's names in wire-number order, without the
// unspecified zero value (as do PriorityNames and ReasonNames).
func StateNames() []string { return append([]string(nil), stateNames[1:]...) }

// PriorityNames lists P0 … P4 in wire-number order.
func PriorityNames() []string { return append([]string(nil), priorityNames[1:]...) }

// ReasonNames lists the escalation reasons in wire-number order.
func ReasonNames() []string { return append([]string(nil), reasonNames[1:]...) }

// enumNames lists an enum descriptor's value names indexed by number (the
// support enums are dense from 0).
func enumNames(d protoreflect.EnumDescriptor) []string {
	vs := d.Values()
	out := make([]string, vs.Len())
	for i := range vs.Len() {
		v := vs.Get(i)
		out[v.Number()] = string(v.Name())
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
