package provision

import (
	"context"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// scopeFeedbackAck dedupes the acknowledgement of feedback per event.
const scopeFeedbackAck = "feedback-ack"

// handleFeedback e-mails the sender of stored feedback (event
// feedback.received) one acknowledgement in their language: the profile's,
// else the language their browser asked for, else English. Once per
// event: a dedupe claim makes duplicate and concurrent deliveries one
// e-mail; a failed send is retried by redelivery.
func (h *Handler) handleFeedback(ctx context.Context, e event.Event, ev events.FeedbackEvent, decodeErr error) error {
	if decodeErr != nil {
		h.Logger.WarnContext(ctx, "provision: dropping undecodable feedback event", "cloudEvent", e.ID(), "error", decodeErr.Error())
		return nil
	}
	log := h.Logger.With("event", ev.ID, "feedback", ev.FeedbackID)
	return h.once(ctx, dedupe.Key{Scope: scopeFeedbackAck, ID: ev.ID}, log, "feedback acknowledgement", func() error {
		return h.sendFeedbackAck(ctx, ev, log)
	})
}

func (h *Handler) sendFeedbackAck(ctx context.Context, ev events.FeedbackEvent, log *slog.Logger) error {
	f, err := h.Store.Feedback(ctx, ev.FeedbackID)
	if store.IsNotFound(err) {
		return permanent("the feedback no longer exists")
	}
	if err != nil {
		return err
	}
	lang := ev.Language
	profile, err := h.Store.Profile(ctx, f.Email)
	if err != nil {
		return err
	}
	if profile != nil && profile.Language != "" {
		lang = profile.Language
	}
	r, err := feedbackAck.Render(lang, ackData{Kind: f.Kind, PortalURL: h.PortalURL})
	if err != nil {
		return permanent("the feedback acknowledgement could not be rendered")
	}
	msg := r.Message(mail.Address{Email: f.Email})
	msg.Categories = []string{"feedback"}
	if err := h.send(ctx, msg, "the feedback acknowledgement"); err != nil {
		return err
	}
	log.InfoContext(ctx, "provision: feedback acknowledgement sent", "kind", f.Kind)
	return nil
}
