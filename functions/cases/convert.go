package cases

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/store"
)

// toWire renders a stored case. pkg (the organisation's support package,
// may be nil) supplies the SLA targets.
func toWire(c *store.Case, pkg *store.Package) Case {
	out := Case{
		Name:                     caseName(c.OrgID, c.ID),
		DisplayName:              c.DisplayName,
		Description:              c.Description,
		Classification:           &Classification{ID: c.ClassificationID, DisplayName: c.ClassificationName},
		TimeZone:                 c.TimeZone,
		SubscriberEmailAddresses: c.SubscriberEmailAddresses,
		State:                    State(c.State),
		CreateTime:               ts(c.CreateTime),
		UpdateTime:               ts(c.UpdateTime),
		Creator:                  person(c.CreatorName, c.CreatorEmail, false),
		ContactEmail:             c.ContactEmail,
		Escalated:                c.Escalated,
		TestCase:                 c.TestCase,
		LanguageCode:             c.LanguageCode,
		Priority:                 Priority(c.Priority),

		IssueStartTime:       ts(c.Intake.IssueStartTime),
		IssueEndTime:         ts(c.Intake.IssueEndTime),
		ProductVersion:       c.Intake.ProductVersion,
		StackTrace:           c.Intake.StackTrace,
		ReproductionSteps:    c.Intake.ReproductionSteps,
		RelatedCode:          c.Intake.RelatedCode,
		ApplicationFlow:      c.Intake.ApplicationFlow,
		UsersAffectedPercent: c.Intake.UsersAffectedPercent,
		UserImpact:           c.Intake.UserImpact,

		CloseTime:    ts(c.CloseTime),
		ReopenCount:  c.ReopenCount,
		CommentCount: c.CommentCount,
	}
	if c.PreviousCaseID != "" {
		out.PreviousCaseName = caseName(c.OrgID, c.PreviousCaseID)
	}
	if c.KnownIssueID != "" {
		out.KnownIssueName = "knownIssues/" + c.KnownIssueID
	}
	if e := c.Escalation; e != nil {
		out.Escalation = &Escalation{Reason: Reason(e.Reason), Justification: e.Justification,
			EscalateTime: ts(e.Time), Actor: person(e.ActorName, e.ActorEmail, false)}
	}
	out.SLA = sla(c, pkg)
	return out
}

func sla(c *store.Case, pkg *store.Package) *SLA {
	if pkg == nil {
		return nil
	}
	t, ok := pkg.Targets[c.Priority]
	if !ok {
		return nil
	}
	s := &SLA{Package: pkg.ID, FirstResponseMinutes: t.FirstResponseMinutes, NextResponseMinutes: t.NextResponseMinutes,
		FirstResponseTime: ts(c.FirstResponseTime)}
	if t.FirstResponseMinutes > 0 {
		s.FirstResponseDueTime = ts(c.CreateTime.Add(time.Duration(t.FirstResponseMinutes) * time.Minute))
	}
	return s
}

func person(name, email string, support bool) *Actor {
	if name == "" {
		name = email
	}
	return &Actor{DisplayName: name, Email: email, Username: email, GoogleSupport: support}
}

func commentToWire(orgID, caseID string, cm *store.Comment) Comment {
	return Comment{
		Name:          commentName(orgID, caseID, cm.ID),
		CreateTime:    ts(cm.CreateTime),
		Creator:       person(cm.CreatorName, cm.CreatorEmail, cm.CreatorIsSupport),
		Body:          cm.Body,
		PlainTextBody: cm.Body,
	}
}

func surveyToWire(orgID, caseID string, sv *store.Survey) Survey {
	return Survey{Name: caseName(orgID, caseID) + "/survey", Rating: sv.Rating, Text: sv.Text,
		CreateTime: ts(sv.CreateTime), Creator: person(sv.CreatorName, sv.CreatorEmail, false), CloseCount: sv.CloseCount}
}
