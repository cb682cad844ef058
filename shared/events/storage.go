package events

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// StorageFinalize is the Cloud Storage notification event type the
// finalize functions act on (an object's new generation was written).
const StorageFinalize = "OBJECT_FINALIZE"

// StorageNotification is what a Cloud Storage Pub/Sub notification
// (JSON_API_V1: the data is the object resource; attributes eventType,
// bucketId, objectId, objectGeneration) says about an object.
type StorageNotification struct {
	EventType  string
	Bucket     string
	Object     string
	Generation int64
	// Size is the object's size from the payload (-1 if absent).
	Size int64
}

// DecodeStorageNotification reads a Pub/Sub push body (a CloudEvent's
// data) carrying a Cloud Storage notification. Errors wrap ErrInvalid:
// such a message will never decode (acknowledge it and log why).
func DecodeStorageNotification(data []byte) (StorageNotification, error) {
	var p Push
	if err := json.Unmarshal(data, &p); err != nil {
		return StorageNotification{}, fmt.Errorf("%w: push body: %v", ErrInvalid, err)
	}
	at := p.Message.Attributes
	n := StorageNotification{EventType: at["eventType"], Bucket: at["bucketId"], Object: at["objectId"], Size: -1}
	gen, err := strconv.ParseInt(at["objectGeneration"], 10, 64)
	if err != nil || gen <= 0 || n.Object == "" || n.Bucket == "" {
		return StorageNotification{}, fmt.Errorf("%w: storage notification %s: attributes %v", ErrInvalid, p.Message.MessageID, at)
	}
	n.Generation = gen
	if len(p.Message.Data) > 0 {
		var obj struct {
			Size string `json:"size"`
		}
		if err := json.Unmarshal(p.Message.Data, &obj); err == nil {
			if s, err := strconv.ParseInt(obj.Size, 10, 64); err == nil {
				n.Size = s
			}
		}
	}
	return n, nil
}
