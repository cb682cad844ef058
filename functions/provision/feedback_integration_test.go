//go:build integration

package provision_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"google.golang.org/grpc/codes"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/provision"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// feedbackEvent stores feedback from email and returns its
// feedback.received event (language: the browser's) as a Pub/Sub push.
func feedbackEvent(t *testing.T, st *store.Store, email, kind, language string) event.Event {
	t.Helper()
	f := &store.Feedback{Kind: kind, Message: "the text stays out of e-mail", Email: email, State: store.FeedbackNew,
		CreateTime: time.Now().UTC()}
	msgs, err := st.CreateFeedback(t.Context(), f, func(f *store.Feedback) events.FeedbackEvent {
		return events.NewFeedbackReceived(f.CreateTime, f.ID, language)
	})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("create feedback: %v %v", msgs, err)
	}
	// The commit left the message in the outbox for the publisher.
	if err := st.DeleteOutbox(t.Context(), msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	return membershipPush(t, msgs[0])
}

// TestFeedbackAckOncePerEvent: the acknowledgement reaches the sender
// once, however often and however concurrently the event is delivered;
// the profile's language wins over the browser's, the browser's is used
// without one, and the feedback's text is never in the e-mail.
func TestFeedbackAckOncePerEvent(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	h := handler(t, env, nil, clock.Real{})

	withProfile := testenv.UniqueID("fb-en") + "@nowhere.example"
	en := "en"
	if _, err := st.SaveProfile(t.Context(), withProfile, store.ProfileChange{Language: &en}, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	noProfile := testenv.UniqueID("fb-ko") + "@nowhere.example"
	tests := []struct {
		email, browser, subject string
	}{
		{withProfile, "ko-KR", "Thank you for your feedback"},
		{noProfile, "ko-KR", "의견을 보내 주셔서 감사합니다"},
	}
	for _, tc := range tests {
		ce := feedbackEvent(t, st, tc.email, store.FeedbackProblem, tc.browser)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { _ = h.Handle(t.Context(), ce) }) // a busy claim asks for redelivery: fine here
		}
		wg.Wait()
		if err := h.Handle(t.Context(), ce); err != nil {
			t.Fatalf("redelivery: %v", err)
		}
		msgs := mailTo(t, env, tc.email)
		if len(msgs) != 1 {
			t.Fatalf("%s: %d acknowledgements, want 1", tc.email, len(msgs))
		}
		if msgs[0].Subject != tc.subject {
			t.Errorf("%s: subject %q, want %q", tc.email, msgs[0].Subject, tc.subject)
		}
	}
}

// flakySender fails its first send with SendGrid's 503, then sends.
type flakySender struct {
	next  provision.Sender
	calls atomic.Int32
}

func (s *flakySender) Send(ctx context.Context, m mail.Message) (string, error) {
	if s.calls.Add(1) == 1 {
		return "", &mail.Error{StatusCode: 503, Code: codes.Unavailable, Message: "SendGrid answered 503"}
	}
	return s.next.Send(ctx, m)
}

// TestFeedbackAckRetried: a failed send asks for redelivery and the
// redelivery sends it; feedback deleted before its event arrives is
// acknowledged without an e-mail.
func TestFeedbackAckRetried(t *testing.T) {
	t.Parallel()
	env := testenv.Get(t)
	st := store.New(env.FS())
	sends := handler(t, env, nil, clock.Real{})
	h := handler(t, env, &flakySender{next: sends.Mail}, clock.Real{})
	email := testenv.UniqueID("fb-retry") + "@nowhere.example"
	ce := feedbackEvent(t, st, email, store.FeedbackIdea, "")
	if err := h.Handle(t.Context(), ce); err == nil {
		t.Fatal("a failed send was acknowledged")
	}
	if n := len(mailTo(t, env, email)); n != 0 {
		t.Fatalf("%d e-mails after the failed send", n)
	}
	if err := h.Handle(t.Context(), ce); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	if msgs := mailTo(t, env, email); len(msgs) != 1 || msgs[0].Subject != "Thank you for your feedback" {
		t.Fatalf("acknowledgements after the redelivery: %+v", msgs)
	}

	gone := testenv.UniqueID("fb-gone") + "@nowhere.example"
	ce = feedbackEvent(t, st, gone, store.FeedbackPraise, "en")
	fe, ok, err := events.DecodeFeedbackPush(ce.Data())
	if !ok || err != nil {
		t.Fatalf("decode: %v %v", ok, err)
	}
	if _, err := env.FS().Collection(store.FeedbackCollection).Doc(fe.FeedbackID).Delete(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := sends.Handle(t.Context(), ce); err != nil {
		t.Fatalf("feedback gone: %v, want acknowledged", err)
	}
	if n := len(mailTo(t, env, gone)); n != 0 {
		t.Fatalf("%d e-mails for deleted feedback", n)
	}
}
