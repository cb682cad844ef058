// Package casefile completes a new case for filing: the fields every path
// that files a case derives the same way from who files it, for which
// product, and when — cases.create and a known issue's "me too" both call
// Complete and then store.CreateCase / store.CreateCaseOnce, so a case is
// put together in one place.
package casefile

import (
	"time"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Complete fills in c (validated title, description, priority and intake
// already set) for filing by a in a.Org under product's classification cl
// at now: organisation, product, the reseller whose term the case belongs
// to, the initial state, the creator, times, search tokens, the product's
// support hours and the case's clocks under a's package.
func Complete(c *store.Case, a *access.Actor, product *store.Product, cl store.Classification, now time.Time) {
	c.OrgID, c.ProductID = a.Org.ID, product.ID
	c.ClassificationID, c.ClassificationName = cl.ID, cl.DisplayName
	// The reseller managing the organisation now is the one whose term the
	// case belongs to (access: a later reseller never sees it).
	c.ResellerID = a.Org.ResellerID
	c.State, c.Open = casestate.New, casestate.IsOpen(casestate.New)
	c.CreatorUID, c.CreatorEmail, c.CreatorName = a.Identity.UID, a.Email(), a.DisplayName()
	c.CreateTime, c.UpdateTime = now, now
	c.Tokens = searchtokens.Add(nil, c.DisplayName, c.Description)
	c.SupportHours = product.SupportHours
	caseclocks.Update(c, a.Package, nil, false)
}
