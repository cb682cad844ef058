package runtime

import (
	"context"
	"encoding/json"

	"github.com/supportcenter/supportcenter/shared/events"
)

// Tick is one message on a scheduled function's topic. Cloud Scheduler
// publishes {"job": NAME}; whoever else may publish to the topic (an
// operator with `make job NAME=… ORG=…`, an end-to-end test) can narrow
// the run to one organisation with "orgId".
type Tick struct {
	Job   string `json:"job"`
	OrgID string `json:"orgId,omitempty"`
}

// TickJob is a Job that reads its tick: Scheduled calls RunTick instead of
// Run when the job has it.
type TickJob interface {
	RunTick(ctx context.Context, t Tick) error
}

// DecodeTick reads the tick from a scheduled event's data (the Pub/Sub push
// body functions-framework hands over). Anything that is not a push of a
// JSON tick is an unscoped tick: a schedule fires whatever its payload.
func DecodeTick(data []byte) Tick {
	var p events.Push
	var t Tick
	if json.Unmarshal(data, &p) == nil && len(p.Message.Data) > 0 {
		_ = json.Unmarshal(p.Message.Data, &t)
	}
	return t
}
