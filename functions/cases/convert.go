package cases

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/casewire"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// toWire renders a stored case at now (casewire.FromStore).
func toWire(c *store.Case, pkg *store.Package, now time.Time) Case {
	return casewire.FromStore(c, pkg, now)
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
