package dedupe

import (
	"regexp"
	"testing"
)

func TestDocID(t *testing.T) {
	t.Parallel()
	a := Key{Scope: "welcome", ID: "ev/1"}.DocID()
	b := Key{Scope: "welcome", ID: "ev/1", Recipient: "a@x.example"}.DocID()
	c := Key{Scope: "welcome", ID: "ev/1", Recipient: "b@x.example"}.DocID()
	d := Key{Scope: "welcome", ID: "ev/1a@x.example"}.DocID()
	seen := map[string]bool{}
	for _, id := range []string{a, b, c, d} {
		if seen[id] {
			t.Errorf("collision %s", id)
		}
		seen[id] = true
		if !regexp.MustCompile(`^welcome_[0-9a-f]{32}$`).MatchString(id) {
			t.Errorf("doc id %q", id)
		}
	}
	if a != (Key{Scope: "welcome", ID: "ev/1"}).DocID() {
		t.Error("doc id not stable")
	}
}
