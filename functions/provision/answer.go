package provision

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/dedupe"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

// scopeAnswer dedupes the answer e-mail of an access request per event.
const scopeAnswer = "access-request-answer"

// handleAnswer e-mails the requester of an answered access request (event
// accessRequest.answered): approved — which organisation, which roles,
// from when (the welcome e-mail of the new membership follows separately,
// with the sign-in link) — or rejected, with the reason. The language is
// the requester's profile's (English by default). Once per event: a
// dedupe claim makes duplicate and concurrent deliveries one e-mail.
func (h *Handler) handleAnswer(ctx context.Context, e event.Event, ev events.AccessRequestEvent, decodeErr error) error {
	if decodeErr != nil {
		h.Logger.WarnContext(ctx, "provision: dropping undecodable access-request event", "cloudEvent", e.ID(), "error", decodeErr.Error())
		return nil
	}
	log := h.Logger.With("event", ev.ID, "accessRequest", ev.AccessRequestID)
	return h.once(ctx, dedupe.Key{Scope: scopeAnswer, ID: ev.ID}, log, "access-request answer", func() error {
		return h.sendAnswer(ctx, ev, log)
	})
}

// once runs send at most once per key across duplicate and concurrent
// deliveries: a dedupe claim first (a finished one acknowledges the
// duplicate, a busy one asks for redelivery), released when send fails in
// a way worth retrying, marked done otherwise. A permanent failure (nothing
// to retry: the record is gone, the mail refused) is logged and
// acknowledged.
func (h *Handler) once(ctx context.Context, key dedupe.Key, log *slog.Logger, what string, send func() error) error {
	claim, err := h.Dedupe.Claim(ctx, key)
	switch {
	case errors.Is(err, dedupe.ErrDone):
		log.InfoContext(ctx, "provision: duplicate "+what+" ignored")
		return nil
	case errors.Is(err, dedupe.ErrBusy):
		return fmt.Errorf("provision: event %s is being handled by another delivery", key.ID)
	case err != nil:
		return err
	}
	err = send()
	if err != nil && !apierror.Retryable(err) {
		log.WarnContext(ctx, "provision: "+what+" not sent", "reason", apierror.From(err).Message)
		err = nil
	}
	if err != nil {
		if rerr := claim.Release(ctx); rerr != nil {
			log.WarnContext(ctx, "provision: release claim", "error", rerr.Error())
		}
		return err
	}
	if err := claim.Done(ctx); err != nil {
		log.WarnContext(ctx, "provision: mark done", "error", err.Error())
	}
	return nil
}

// send sends msg; a refusal SendGrid will repeat (a 4xx other than 429)
// is permanent, naming what was refused.
func (h *Handler) send(ctx context.Context, msg mail.Message, what string) error {
	_, err := h.Mail.Send(ctx, msg)
	var me *mail.Error
	if errors.As(err, &me) && !apierror.Retryable(err) {
		return permanent("%s was refused (status %d)", what, me.StatusCode)
	}
	return err
}

func (h *Handler) sendAnswer(ctx context.Context, ev events.AccessRequestEvent, log *slog.Logger) error {
	req, err := h.Store.AccessRequest(ctx, ev.AccessRequestID)
	if store.IsNotFound(err) {
		return permanent("the access request no longer exists")
	}
	if err != nil {
		return err
	}
	if req.Answer == nil {
		return permanent("the access request has no answer")
	}
	profile, err := h.Store.Profile(ctx, req.Email)
	if err != nil {
		return err
	}
	data := answerData{Approved: req.State == store.AccessRequestApproved, Reason: req.Answer.Reason,
		PortalURL: h.PortalURL, Roles: roleNames(req.Answer.Roles),
		ActivateTime: req.Answer.ActivateTime.UTC().Format("2006-01-02 15:04 UTC")}
	lang := ""
	if profile != nil {
		lang = profile.Language
	}
	if data.Approved {
		org, err := h.Store.Org(ctx, req.Answer.OrgID)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		data.OrgName = req.Answer.OrgID
		if org != nil {
			data.OrgName = org.DisplayName
		}
	}
	r, err := answerMail.Render(lang, data)
	if err != nil {
		return permanent("the access-request answer could not be rendered")
	}
	msg := r.Message(mail.Address{Email: req.Email})
	msg.Categories = []string{"access-request"}
	if err := h.send(ctx, msg, "the access-request answer"); err != nil {
		return err
	}
	log.InfoContext(ctx, "provision: access-request answer sent", "state", req.State)
	return nil
}

// roleNames renders roles for the e-mail: "MEMBER (clouddb), VIEWER".
func roleNames(roles []store.Role) string {
	parts := make([]string, 0, len(roles))
	for _, r := range roles {
		if len(r.ProductIDs) > 0 {
			parts = append(parts, r.Role+" ("+strings.Join(r.ProductIDs, ", ")+")")
			continue
		}
		parts = append(parts, r.Role)
	}
	return strings.Join(parts, ", ")
}

// answerData is what the answer templates see.
type answerData struct {
	Approved                bool
	OrgName, Roles, Reason  string
	ActivateTime, PortalURL string
}

// answerMail is the answer to an access request. Values are escaped in the
// HTML part by html/template; the only link is PORTAL_URL.
var answerMail = mail.MustTemplate("access-request-answer", map[string]mail.Source{
	mail.English: {
		Subject: `{{if .Approved}}Your Support Center access request was approved{{else}}Your Support Center access request was declined{{end}}`,
		Text: `Hello,
{{if .Approved}}
The support team approved your access request: you are now a user of {{.OrgName}} in the Support Center ({{.Roles}}).
Your access will be active by {{.ActivateTime}}. A separate welcome e-mail tells you how to sign in.
{{else}}
The support team declined your access request.

Reason: {{.Reason}}

If you still need access, ask an administrator of your organisation.
{{end}}
Support Center: {{.PortalURL}}
`,
		HTML: `<p>Hello,</p>
{{if .Approved}}<p>The support team approved your access request: you are now a user of <strong>{{.OrgName}}</strong> in the Support Center ({{.Roles}}).</p>
<p>Your access will be active by {{.ActivateTime}}. A separate welcome e-mail tells you how to sign in.</p>
{{else}}<p>The support team declined your access request.</p>
<p>Reason: {{.Reason}}</p>
<p>If you still need access, ask an administrator of your organisation.</p>
{{end}}<p><a href="{{.PortalURL}}">Support Center</a></p>
`,
	},
	mail.Korean: {
		Subject: `{{if .Approved}}지원 센터 액세스 요청이 승인되었습니다{{else}}지원 센터 액세스 요청이 거절되었습니다{{end}}`,
		Text: `안녕하세요.
{{if .Approved}}
지원팀이 액세스 요청을 승인했습니다. 이제 지원 센터에서 {{.OrgName}}의 사용자입니다({{.Roles}}).
{{.ActivateTime}}까지 액세스가 활성화됩니다. 로그인 방법은 별도의 환영 이메일로 안내됩니다.
{{else}}
지원팀이 액세스 요청을 거절했습니다.

사유: {{.Reason}}

계속 액세스가 필요하시면 소속 조직의 관리자에게 문의하세요.
{{end}}
지원 센터: {{.PortalURL}}
`,
		HTML: `<p>안녕하세요.</p>
{{if .Approved}}<p>지원팀이 액세스 요청을 승인했습니다. 이제 지원 센터에서 <strong>{{.OrgName}}</strong>의 사용자입니다({{.Roles}}).</p>
<p>{{.ActivateTime}}까지 액세스가 활성화됩니다. 로그인 방법은 별도의 환영 이메일로 안내됩니다.</p>
{{else}}<p>지원팀이 액세스 요청을 거절했습니다.</p>
<p>사유: {{.Reason}}</p>
<p>계속 액세스가 필요하시면 소속 조직의 관리자에게 문의하세요.</p>
{{end}}<p><a href="{{.PortalURL}}">지원 센터</a></p>
`,
	},
})
