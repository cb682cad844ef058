package wire

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

// Int64 is an int64 sent as a JSON string, as proto3 JSON does (a number
// is accepted too). Decoding errors are INVALID_ARGUMENT naming sizeBytes,
// the one int64 field clients send.
type Int64 int64

// MarshalJSON writes the number as a string.
func (n Int64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(n), 10) + `"`), nil
}

// UnmarshalJSON accepts "123" or 123.
func (n *Int64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return apierror.InvalidArgument("sizeBytes: %s is not an integer", b)
		}
		b = []byte(s)
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return apierror.InvalidArgument("sizeBytes: %s is not an integer", b).WithFieldViolation("sizeBytes", "not an integer")
	}
	*n = Int64(v)
	return nil
}
