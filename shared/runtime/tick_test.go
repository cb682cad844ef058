package runtime

import (
	"encoding/base64"
	"testing"
)

func TestDecodeTick(t *testing.T) {
	t.Parallel()
	push := func(data string) []byte {
		return []byte(`{"message":{"data":"` + base64.StdEncoding.EncodeToString([]byte(data)) + `","messageId":"1"},"subscription":"s"}`)
	}
	tests := []struct {
		name string
		data []byte
		want Tick
	}{
		{"Cloud Scheduler's message", push(`{"job":"close-stale-cases"}`), Tick{Job: "close-stale-cases"}},
		{"narrowed to one organisation", push(`{"job":"close-stale-cases","orgId":"acme"}`), Tick{Job: "close-stale-cases", OrgID: "acme"}},
		{"not JSON inside", push(`tick`), Tick{}},
		{"not a push", []byte(`nonsense`), Tick{}},
		{"empty", nil, Tick{}},
	}
	for _, tt := range tests {
		if got := DecodeTick(tt.data); got != tt.want {
			t.Errorf("%s: DecodeTick = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
