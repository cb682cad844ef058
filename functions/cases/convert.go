package cases

import (
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"time"

	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// toWire renders a stored case at now. pkg (the organisation's support
// package, may be nil) supplies the SLA targets.
func toWire(c *store.Case, pkg *store.Package, now time.Time) Case {
	out := Case{
		Name:                     wire.CaseName(c.OrgID, c.ID),
		DisplayName:              c.DisplayName,
		Description:              c.Description,
		Classification:           &Classification{ID: c.ClassificationID, DisplayName: c.ClassificationName},
		TimeZone:                 c.TimeZone,
		SubscriberEmailAddresses: c.SubscriberEmailAddresses,
		State:                    wire.State(c.State),
		CreateTime:               wire.Timestamp(c.CreateTime),
		UpdateTime:               wire.Timestamp(c.UpdateTime),
		Creator:                  wire.NewActor(c.CreatorName, c.CreatorEmail, false),
		ContactEmail:             c.ContactEmail,
		Escalated:                c.Escalated,
		TestCase:                 c.TestCase,
		LanguageCode:             c.LanguageCode,
		Priority:                 wire.Priority(c.Priority),

		IssueStartTime:       wire.Timestamp(c.Intake.IssueStartTime),
		IssueEndTime:         wire.Timestamp(c.Intake.IssueEndTime),
		ProductVersion:       c.Intake.ProductVersion,
		StackTrace:           c.Intake.StackTrace,
		ReproductionSteps:    c.Intake.ReproductionSteps,
		RelatedCode:          c.Intake.RelatedCode,
		ApplicationFlow:      c.Intake.ApplicationFlow,
		UsersAffectedPercent: c.Intake.UsersAffectedPercent,
		UserImpact:           c.Intake.UserImpact,

		CloseTime:    wire.Timestamp(c.CloseTime),
		ReopenCount:  c.ReopenCount,
		CommentCount: c.CommentCount,
	}
	if c.PreviousCaseID != "" {
		out.PreviousCaseName = wire.CaseName(c.OrgID, c.PreviousCaseID)
	}
	if c.KnownIssueID != "" {
		out.KnownIssueName = wire.KnownIssueName(c.KnownIssueID)
	}
	if e := c.Escalation; e != nil {
		out.Escalation = &Escalation{Reason: wire.Reason(e.Reason), Justification: e.Justification,
			EscalateTime: wire.Timestamp(e.Time), Actor: wire.NewActor(e.ActorName, e.ActorEmail, false)}
	}
	if c.Open {
		out.AutoCloseTime = wire.Timestamp(c.Clocks.AutoCloseTime)
	}
	out.SLA = sla(c, pkg, now)
	return out
}

// sla renders the case's response clocks at now, counted in the support
// hours of its product; on a closed case only the targets and the first
// response show.
func sla(c *store.Case, pkg *store.Package, now time.Time) *SLA {
	if pkg == nil {
		return storedSLA(c, now)
	}
	t, ok := pkg.Targets[c.Priority]
	if !ok {
		return nil
	}
	s := &SLA{Package: pkg.ID, FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes,
		FirstResponseTime: wire.Timestamp(c.FirstResponseTime)}
	clk := caseclocks.SLA(c, pkg, now)
	s.FirstResponseDueTime = wire.Timestamp(clk.FirstResponseDueTime)
	if c.Open {
		s.NextResponseDueTime = wire.Timestamp(clk.NextResponseDueTime)
		s.NextDueTime = wire.Timestamp(clk.DueTime)
		s.State = clk.State
	}
	return s
}

func commentToWire(orgID, caseID string, cm *store.Comment) Comment {
	return Comment{
		Name:          wire.CommentName(orgID, caseID, cm.ID),
		CreateTime:    wire.Timestamp(cm.CreateTime),
		Creator:       wire.NewActor(cm.CreatorName, cm.CreatorEmail, cm.CreatorIsSupport),
		Body:          cm.Body,
		PlainTextBody: cm.Body,
	}
}

func surveyToWire(orgID, caseID string, sv *store.Survey) Survey {
	return Survey{Name: wire.SurveyName(orgID, caseID), Rating: sv.Rating, Text: sv.Text,
		CreateTime: wire.Timestamp(sv.CreateTime), Creator: wire.NewActor(sv.CreatorName, sv.CreatorEmail, false), CloseCount: sv.CloseCount}
}
