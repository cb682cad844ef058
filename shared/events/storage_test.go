package events

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDecodeStorageNotification(t *testing.T) {
	t.Parallel()
	data, _ := json.Marshal(map[string]any{"name": "o", "bucket": "b", "generation": "17", "size": "1234"})
	body, _ := json.Marshal(map[string]any{"message": map[string]any{"data": data, "messageId": "1",
		"attributes": map[string]string{"eventType": "OBJECT_FINALIZE", "bucketId": "b", "objectId": "o", "objectGeneration": "17"}}})
	n, err := DecodeStorageNotification(body)
	if err != nil {
		t.Fatal(err)
	}
	if n != (StorageNotification{EventType: StorageFinalize, Bucket: "b", Object: "o", Generation: 17, Size: 1234}) {
		t.Fatalf("got %+v", n)
	}
	// No payload (payloadFormat NONE): the size is unknown.
	body, _ = json.Marshal(map[string]any{"message": map[string]any{
		"attributes": map[string]string{"eventType": "OBJECT_FINALIZE", "bucketId": "b", "objectId": "o", "objectGeneration": "3"}}})
	if n, err := DecodeStorageNotification(body); err != nil || n.Size != -1 || n.Generation != 3 {
		t.Fatalf("no payload: %+v %v", n, err)
	}
	for _, bad := range []string{`nope`, `{}`, `{"message":{"attributes":{"bucketId":"b","objectId":"o","objectGeneration":"x"}}}`,
		`{"message":{"attributes":{"bucketId":"b","objectId":"","objectGeneration":"1"}}}`} {
		if _, err := DecodeStorageNotification([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// FuzzDecodeStorageNotification: any push body either decodes to a
// notification naming a bucket, an object and a positive generation, or
// is refused as ErrInvalid; nothing panics.
func FuzzDecodeStorageNotification(f *testing.F) {
	f.Add([]byte(`{"message":{"attributes":{"eventType":"OBJECT_FINALIZE","bucketId":"b","objectId":"o","objectGeneration":"1"}}}`))
	f.Add([]byte(`{"message":{"data":"eyJzaXplIjoiMTIifQ==","attributes":{"bucketId":"b","objectId":"o","objectGeneration":"9"}}}`))
	f.Add([]byte(`nope`))
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := DecodeStorageNotification(body)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		if n.Bucket == "" || n.Object == "" || n.Generation <= 0 || n.Size < -1 {
			t.Fatalf("decoded %+v", n)
		}
	})
}
