package resources

import (
	"strings"
	"testing"
)

func TestFirstLanguage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"ko-KR,ko;q=0.9,en;q=0.5": "ko-KR", "en": "en", "": "", " ko ; q=1": "ko", strings.Repeat("a", 36): ""} {
		if got := firstLanguage(in); got != want {
			t.Errorf("firstLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
