package runtime

import (
	"encoding/base64"
	"encoding/json"
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

// FuzzDecodeTick: a tick published with any job and organisation comes
// back as it was sent, and arbitrary bodies decode without panicking.
func FuzzDecodeTick(f *testing.F) {
	f.Add("close-stale-cases", "acme", []byte(`{"message":{"data":""}}`))
	f.Add("", "", []byte(`[]`))
	f.Fuzz(func(t *testing.T, job, org string, raw []byte) {
		_ = DecodeTick(raw)
		data, err := json.Marshal(Tick{Job: job, OrgID: org})
		if err != nil {
			t.Skip() // not valid UTF-8 for JSON: never published
		}
		body, err := json.Marshal(map[string]any{"message": map[string]any{"data": data, "messageId": "1"}})
		if err != nil {
			t.Fatal(err)
		}
		want := Tick{Job: job, OrgID: org}
		var check Tick
		if json.Unmarshal(data, &check) != nil || check != want {
			t.Skip() // strings JSON does not carry unchanged (invalid UTF-8)
		}
		if got := DecodeTick(body); got != want {
			t.Errorf("DecodeTick = %+v, want %+v", got, want)
		}
	})
}
