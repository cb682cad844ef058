//go:build integration

package provision_test

import (
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/store"
)

// answerEvent wraps an accessRequest.answered event as a Pub/Sub push.
func answerEvent(t *testing.T, ev events.AccessRequestEvent) event.Event {
	t.Helper()
	msg, err := ev.Message()
	if err != nil {
		t.Fatal(err)
	}
	return membershipPush(t, msg)
}

// TestAnswerMailOncePerEvent: the answer to an access request reaches the
// requester once, however often and however concurrently the event is
// delivered; a Korean profile gets the Korean answer.
func TestAnswerMailOncePerEvent(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	email := testenv.UniqueID("asker") + "@nowhere.example"
	lang := "ko"
	if _, err := st.SaveProfile(t.Context(), email, store.ProfileChange{Language: &lang}, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	req := &store.AccessRequest{Email: email, UID: "u", Cause: "NOT_A_MEMBER", Message: "m", State: store.AccessRequestOpen,
		CreateTime: time.Now().UTC()}
	if err := st.CreateAccessRequest(t.Context(), req, 10); err != nil {
		t.Fatal(err)
	}
	var ev events.AccessRequestEvent
	if _, _, err := st.AnswerAccessRequest(t.Context(), req.ID, func(q *store.AccessRequest) (*store.Answer, error) {
		ev = events.NewAccessRequestAnswered(time.Now(), q.ID)
		return &store.Answer{State: store.AccessRequestRejected, Answer: store.AccessRequestAnswer{By: "agent@support.example",
			Time: time.Now().UTC(), Reason: "이유"}, Answered: ev}, nil
	}); err != nil {
		t.Fatal(err)
	}
	h := handler(t, env, nil, clock.Real{})
	ce := answerEvent(t, ev)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { _ = h.Handle(t.Context(), ce) }) // a busy claim asks for redelivery: fine here
	}
	wg.Wait()
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	// Handle sends synchronously: every delivery has finished.
	if msgs := mailTo(t, env, email); len(msgs) != 1 {
		t.Fatalf("%d answer e-mails, want 1", len(msgs))
	}
	if s := mailTo(t, env, email)[0].Subject; s != "지원 센터 액세스 요청이 거절되었습니다" {
		t.Errorf("subject %q", s)
	}
}
