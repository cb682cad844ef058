//go:build integration

package cases_test

import (
	"context"
	"maps"
	"strconv"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/firestore"
	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// rawCalls makes, with the Firestore client and plain HTTP, the emulator
// calls a case handler makes for an operation, without the handler: the
// floor BenchmarkCasesOps compares each operation with. Every operation
// starts with the caller's resolution (the organisation, the caller's own
// and vendor memberships and the catalogue version in one batch get); writes carry the same
// preconditions as the store's (the case's update time), events go to
// the outbox in the change's commit, are published at once with one
// Publish call (to a topic of the benchmark's own, so no consumer acts on
// them) and then cleared.
type rawCalls struct {
	fs       *firestore.Client
	ps       *pubsub.Client
	topic    string
	org      *firestore.DocumentRef
	members  []*firestore.DocumentRef
	rate     *firestore.DocumentRef
	outbox   *firestore.CollectionRef
	template map[string]any // a case document, copied by createCase
}

func newRawCalls(b *testing.B, env *testenv.Env, orgID, email string) *rawCalls {
	b.Helper()
	ctx := context.Background()
	ps, err := pubsub.NewClient(ctx, env.ProjectID)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ps.Close() })
	topic := "projects/" + env.ProjectID + "/topics/" + testenv.UniqueID("bench-raw")
	if _, err := ps.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: topic}); err != nil {
		b.Fatal(err)
	}
	fs := env.FS()
	return &rawCalls{
		fs:    fs,
		ps:    ps,
		topic: topic,
		org:   fs.Collection(store.OrgsCollection).Doc(orgID),
		// The resolution's one batch get: the organisation, the caller's own
		// and vendor memberships, and the catalogue version.
		members: []*firestore.DocumentRef{fs.Collection(store.MembershipsCollection).Doc(store.MembershipID(orgID, email)),
			fs.Collection(store.MembershipsCollection).Doc(store.MembershipID("support", email)),
			fs.Collection(store.MetaCollection).Doc(store.CatalogVersionDoc)},
		rate:   fs.Collection(store.RateLimitsCollection).Doc(testenv.UniqueID("bench-raw-rate")),
		outbox: fs.Collection(testenv.UniqueID("benchRawOutbox")),
	}
}

func (r *rawCalls) caseRef(id string) *firestore.DocumentRef {
	return r.fs.Collection(store.CasesCollection).Doc(id)
}

func (r *rawCalls) resolve(ctx context.Context) error {
	_, err := r.fs.GetAll(ctx, append([]*firestore.DocumentRef{r.org}, r.members...))
	return err
}

// get is GET case: the resolution beside the case read.
func (r *rawCalls) get(ctx context.Context, caseID string) error {
	var wg sync.WaitGroup
	var caseErr error
	wg.Go(func() { _, caseErr = r.caseRef(caseID).Get(ctx) })
	err := r.resolve(ctx)
	wg.Wait()
	if err != nil {
		return err
	}
	return caseErr
}

// takeRate is the rate limiter: read the counter, then a guarded increment
// (or create).
func (r *rawCalls) takeRate(ctx context.Context) error {
	snap, err := r.rate.Get(ctx)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	if !snap.Exists() {
		_, err = r.rate.Create(ctx, map[string]any{"total": 1, "people": map[string]any{"p": 1}, "expireTime": time.Now().Add(time.Hour)})
		return err
	}
	_, err = r.rate.Update(ctx, []firestore.Update{{Path: "total", Value: firestore.Increment(1)},
		{FieldPath: firestore.FieldPath{"people", "p"}, Value: firestore.Increment(1)}}, firestore.LastUpdateTime(snap.UpdateTime))
	return err
}

// commitWithEvent commits add's writes with one outbox message, publishes
// the message and clears it: what every event-raising change does.
func (r *rawCalls) commitWithEvent(ctx context.Context, caseID string, add func(*firestore.WriteBatch)) error { //nolint:staticcheck // the store's commit shape
	m, err := events.New(events.CaseCommented, time.Now(), "bench", caseID).Message()
	if err != nil {
		return err
	}
	box := r.outbox.Doc(m.ID)
	wb := r.fs.Batch() //nolint:staticcheck // the store's commit shape
	add(wb)
	wb.Set(box, map[string]any{"topic": m.Topic, "type": m.Type, "data": m.Data, "attributes": m.Attributes, "heldSince": time.Now()})
	if _, err := wb.Commit(ctx); err != nil {
		return err
	}
	if err := r.publish(ctx, m); err != nil {
		return err
	}
	_, err = r.fs.Batch().Delete(box).Commit(ctx) //nolint:staticcheck // the store's commit shape
	return err
}

// publish is one Publish call (what the client sends for a message it
// does not batch).
func (r *rawCalls) publish(ctx context.Context, m events.Message) error {
	_, err := r.ps.TopicAdminClient.Publish(ctx, &pubsubpb.PublishRequest{Topic: r.topic,
		Messages: []*pubsubpb.PubsubMessage{{Data: m.Data, Attributes: m.Attributes}}})
	return err
}

// createCase is POST cases: resolution, rate limit, create a case (a copy
// of template's document under a new id) with its event.
func (r *rawCalls) createCase(ctx context.Context, template string) error {
	if err := r.resolve(ctx); err != nil {
		return err
	}
	if err := r.takeRate(ctx); err != nil {
		return err
	}
	if r.template == nil { // once, outside the p50: the document to copy
		snap, err := r.caseRef(template).Get(ctx)
		if err != nil {
			return err
		}
		r.template = snap.Data()
	}
	id := strconv.FormatInt(time.Now().UnixNano()%900_000_000+100_000_000, 10)
	data := maps.Clone(r.template)
	data["id"] = id
	return r.commitWithEvent(ctx, id, func(wb *firestore.WriteBatch) { wb.Create(r.caseRef(id), data) }) //nolint:staticcheck // the store's commit shape
}

// comment is POST comments: resolution, rate limit, read the case, create
// the comment and update the case (guarded) with the event.
func (r *rawCalls) comment(ctx context.Context, caseID string) error {
	if err := r.resolve(ctx); err != nil {
		return err
	}
	if err := r.takeRate(ctx); err != nil {
		return err
	}
	ref := r.caseRef(caseID)
	snap, err := ref.Get(ctx)
	if err != nil {
		return err
	}
	cm := ref.Collection(store.CommentsCollection).NewDoc()
	return r.commitWithEvent(ctx, caseID, func(wb *firestore.WriteBatch) { //nolint:staticcheck // the store's commit shape
		wb.Create(cm, map[string]any{"id": cm.ID, "body": "bench comment", "createTime": time.Now()})
		wb.Update(ref, []firestore.Update{{Path: "commentCount", Value: firestore.Increment(1)}, {Path: "updateTime", Value: time.Now()}},
			firestore.LastUpdateTime(snap.UpdateTime))
	})
}

// change is close, escalate (withEvent) and patch: resolution, read the
// case, a guarded update of fields (with an event). The callers pass the
// fields the handler's commit writes for the operation (besides
// updateTime): the changed fields, the case's clocks and due time.
func (r *rawCalls) change(ctx context.Context, caseID string, withEvent bool, fields map[string]any) error {
	if err := r.resolve(ctx); err != nil {
		return err
	}
	ref := r.caseRef(caseID)
	snap, err := ref.Get(ctx)
	if err != nil {
		return err
	}
	ups := []firestore.Update{{Path: "updateTime", Value: time.Now()}}
	for k, v := range fields {
		ups = append(ups, firestore.Update{Path: k, Value: v})
	}
	if !withEvent {
		_, err := ref.Update(ctx, ups, firestore.LastUpdateTime(snap.UpdateTime))
		return err
	}
	return r.commitWithEvent(ctx, caseID, func(wb *firestore.WriteBatch) { //nolint:staticcheck // the store's commit shape
		wb.Update(ref, ups, firestore.LastUpdateTime(snap.UpdateTime))
	})
}
