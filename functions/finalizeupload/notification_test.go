package finalizeupload

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseNotification(t *testing.T) {
	t.Parallel()
	data, _ := json.Marshal(map[string]any{"name": "o", "bucket": "b", "generation": "17", "size": "1234"})
	body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": data, "messageId": "1",
		"attributes": map[string]string{"eventType": "OBJECT_FINALIZE", "bucketId": "b", "objectId": "o", "objectGeneration": "17"}}})
	n, err := ParseNotification(body)
	if err != nil {
		t.Fatal(err)
	}
	if n != (Notification{EventType: EventFinalize, Bucket: "b", Object: "o", Generation: 17, Size: 1234}) {
		t.Fatalf("got %+v", n)
	}
	// No payload (payloadFormat NONE): the size is unknown.
	body, _ = json.Marshal(map[string]any{"message": map[string]any{
		"attributes": map[string]string{"eventType": "OBJECT_FINALIZE", "bucketId": "b", "objectId": "o", "objectGeneration": "3"}}})
	if n, err := ParseNotification(body); err != nil || n.Size != -1 || n.Generation != 3 {
		t.Fatalf("no payload: %+v %v", n, err)
	}
	for _, bad := range []string{`nope`, `{}`, `{"message":{"attributes":{"bucketId":"b","objectId":"o","objectGeneration":"x"}}}`,
		`{"message":{"attributes":{"bucketId":"b","objectId":"","objectGeneration":"1"}}}`} {
		if _, err := ParseNotification([]byte(bad)); !errors.Is(err, errBadNotification) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
