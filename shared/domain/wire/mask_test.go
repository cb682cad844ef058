package wire

import (
	"slices"
	"testing"
)

func TestParseUpdateMask(t *testing.T) {
	t.Parallel()
	got, err := ParseUpdateMask(" display_name,domains ,displayName", "displayName", "domains")
	if err != nil || !slices.Equal(got, []string{"displayName", "domains"}) {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"", "  ", "kind", "displayName,kind"} {
		if _, err := ParseUpdateMask(bad, "displayName", "domains"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseUpdateMask: whatever the mask, the result holds allowed paths
// only, each once.
func FuzzParseUpdateMask(f *testing.F) {
	f.Add("displayName,package_id")
	f.Add(",,")
	f.Fuzz(func(t *testing.T, s string) {
		allowed := []string{"displayName", "packageId"}
		got, err := ParseUpdateMask(s, allowed...)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range got {
			if !slices.Contains(allowed, p) || seen[p] {
				t.Fatalf("%q → %v", s, got)
			}
			seen[p] = true
		}
	})
}
