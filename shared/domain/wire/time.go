package wire

import "time"

// Timestamps travel as RFC 3339 in UTC with as many fractional-second
// digits as needed (time.RFC3339Nano), as google.protobuf.Timestamp's JSON
// form does; Google's clients parse that, and whole seconds print without
// a fraction.

// Precision is what timestamps are cut to: the microsecond, the precision
// Firestore keeps. The answer to a write (rendered from memory) and every
// later read (rendered from the stored document) then show the same string
// for the same time.
const Precision = time.Microsecond

// Timestamp renders t for the wire; the zero time is "" (field omitted).
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(Precision).Format(time.RFC3339Nano)
}

// ParseTimestamp reads an RFC 3339 time (any offset, optional fraction)
// and returns it in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
