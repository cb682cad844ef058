package cases

import (
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func TestParseRequestID(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in, want string
		ok       bool
	}{
		"empty":          {"", "", true},
		"uuid":           {"0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5b", "0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5b", true},
		"upper case":     {"0B5F6A2C-3D4E-4F60-8A9B-0C1D2E3F4A5B", "0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5b", true},
		"no dashes":      {"0b5f6a2c3d4e4f608a9b0c1d2e3f4a5b", "", false},
		"braces":         {"{0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5b}", "", false},
		"dash misplaced": {"0b5f6a2c3-d4e-4f60-8a9b-0c1d2e3f4a5b", "", false},
		"not hex":        {"0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5g", "", false},
		"free text":      {"retry-1", "", false},
		"unicode digit":  {"0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a٥", "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRequestID(tc.in)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("ParseRequestID(%q) = %q, %v", tc.in, got, err)
			}
			if err != nil && !apierror.Is(err, codes.InvalidArgument) {
				t.Fatalf("error %v, want INVALID_ARGUMENT", err)
			}
		})
	}
}

// FuzzParseRequestID: any input is either refused as INVALID_ARGUMENT or
// gives a 36-byte lower-case UUID that parses to itself.
func FuzzParseRequestID(f *testing.F) {
	for _, s := range []string{"", "0b5f6a2c-3d4e-4f60-8a9b-0c1d2e3f4a5b", "0B5F6A2C-3D4E-4F60-8A9B-0C1D2E3F4A5B", "x", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseRequestID(s)
		if err != nil {
			if !apierror.Is(err, codes.InvalidArgument) || got != "" {
				t.Fatalf("ParseRequestID(%q) = %q, %v", s, got, err)
			}
			return
		}
		if s == "" {
			if got != "" {
				t.Fatalf("empty gave %q", got)
			}
			return
		}
		again, err := ParseRequestID(got)
		if len(got) != 36 || err != nil || again != got {
			t.Fatalf("ParseRequestID(%q) = %q; again %q, %v", s, got, again, err)
		}
		if caseRequestKey("o", "u", got) == caseRequestKey("o", "v", got) {
			t.Fatal("two people share a request key")
		}
	})
}
