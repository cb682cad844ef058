//go:build integration

package matrix

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/domain/searchtokens"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Cases rows: every route of the cases function × every actor.

func init() {
	CaseFactory = func(t testing.TB, w *World, tg Target) string {
		return writeCase(t, w, tg, false)
	}

	casePath := func(t testing.TB, w *World, a Actor, id string) string {
		return "/v2/organizations/" + w.Targets[a].OrgID + "/cases/" + id
	}
	orgCases := func(w *World, a Actor) string { return "/v2/organizations/" + w.Targets[a].OrgID + "/cases" }

	customers := []Actor{Member, OrgAdmin, ProductAdmin}
	staff := []Actor{SupportAgent, SupportAdminActor}
	// Organisation-level reads: everyone of the organisation (a member
	// scoped to another product sees a shorter list), resellers only with
	// the customer's grant, and support.
	orgRead := Merge(Baseline(),
		Uniform(http.StatusOK, append(append([]Actor{Viewer, OtherProduct, ResellerGranted, ResellerNew}, customers...), staff...)...),
		Uniform(http.StatusForbidden, ResellerNoGrant, ResellerRevoked))
	create := Merge(Baseline(),
		Uniform(http.StatusOK, append([]Actor{ResellerGranted, ResellerNew}, customers...)...),
		Uniform(http.StatusForbidden, append([]Actor{Viewer, OtherProduct, ResellerNoGrant, ResellerRevoked}, staff...)...))
	// A reseller that may not see the case (no grant, revoked, or filed in
	// another reseller's term) gets 404: the case's existence is not its to know.
	hidden := Uniform(http.StatusNotFound, ResellerNoGrant, ResellerRevoked, ResellerNew)
	caseRead := Merge(Baseline(), hidden,
		Uniform(http.StatusOK, append(append([]Actor{Viewer, ResellerGranted}, customers...), staff...)...),
		Uniform(http.StatusForbidden, OtherProduct))
	customerWrite := Merge(Baseline(), hidden,
		Uniform(http.StatusOK, append([]Actor{ResellerGranted}, customers...)...),
		Uniform(http.StatusForbidden, append([]Actor{Viewer, OtherProduct}, staff...)...))
	comment := Merge(customerWrite, Uniform(http.StatusOK, staff...))
	staffOnly := Merge(Baseline(), hidden,
		Uniform(http.StatusForbidden, append([]Actor{Viewer, OtherProduct, ResellerGranted}, customers...)...),
		Uniform(http.StatusOK, staff...))

	register(
		Endpoint{Name: "cases.list", Method: "GET", Route: "/v2/organizations/*/cases", Want: orgRead,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return orgCases(w, a) + "?filter=state%3DOPEN&pageSize=5", nil
			}},
		Endpoint{Name: "cases.search", Method: "GET", Route: "/v2/organizations/*/cases:search", Want: orgRead,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return orgCases(w, a) + ":search?query=matrix%20AND%20priority%3DP2", nil
			}},
		Endpoint{Name: "cases.create", Method: "POST", Route: "/v2/organizations/*/cases", Want: create,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return orgCases(w, a), map[string]any{"displayName": "Matrix case", "description": "Filed by the access matrix.",
					"classification": map[string]any{"id": "clouddb-performance"}, "priority": 3}
			}},
		Endpoint{Name: "cases.get", Method: "GET", Route: "/v2/organizations/*/cases/*", Want: caseRead,
			Build: func(t testing.TB, w *World, a Actor) (string, any) { return casePath(t, w, a, w.Case(t, a)), nil }},
		Endpoint{Name: "cases.patch", Method: "PATCH", Route: "/v2/organizations/*/cases/*", Want: customerWrite,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, w.NewCase(t, a)) + "?updateMask=displayName", map[string]any{"displayName": "Renamed by the matrix"}
			}},
		Endpoint{Name: "cases.patch.state", Method: "PATCH", Route: "/v2/organizations/*/cases/*", Want: staffOnly,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, w.NewCase(t, a)) + "?updateMask=state", map[string]any{"state": 2}
			}},
		Endpoint{Name: "cases.close", Method: "POST", Route: "/v2/organizations/*/cases/*", Want: customerWrite,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				id := w.NewCase(t, a)
				return casePath(t, w, a, id) + ":close", map[string]any{"name": "organizations/" + w.Targets[a].OrgID + "/cases/" + id}
			}},
		Endpoint{Name: "cases.escalate", Method: "POST", Route: "/v2/organizations/*/cases/*", Want: customerWrite,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, w.NewCase(t, a)) + ":escalate",
					map[string]any{"escalation": map[string]any{"reason": 1, "justification": "Matrix needs it fast"}}
			}},
		Endpoint{Name: "comments.list", Method: "GET", Route: "/v2/organizations/*/cases/*/comments", Want: caseRead,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, w.Case(t, a)) + "/comments", nil
			}},
		Endpoint{Name: "comments.create", Method: "POST", Route: "/v2/organizations/*/cases/*/comments", Want: comment,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, w.NewCase(t, a)) + "/comments", map[string]any{"body": "A matrix comment"}
			}},
		Endpoint{Name: "survey.create", Method: "POST", Route: "/v2/organizations/*/cases/*/survey", Want: customerWrite,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, writeCase(t, w, w.Targets[a], true)) + "/survey", map[string]any{"rating": 5}
			}},
		Endpoint{Name: "survey.get", Method: "GET", Route: "/v2/organizations/*/cases/*/survey", Want: caseRead,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(t, w, a, surveyedCase(t, w, w.Targets[a])) + "/survey", nil
			}},
		// The catalogue is for anyone with Support Center access.
		Endpoint{Name: "caseClassifications.search", Method: "GET", Route: "/v2/caseClassifications:search",
			Want: Merge(Uniform(http.StatusOK, AllActors...), Uniform(http.StatusUnauthorized, Anonymous),
				Uniform(http.StatusForbidden, NonMember, Pending)),
			Build: func(testing.TB, *World, Actor) (string, any) {
				return "/v2/caseClassifications:search?query=cloud", nil
			}},
		// The queue spans organisations: support staff only.
		Endpoint{Name: "supportQueue.list", Method: "GET", Route: "/v2/cases",
			Want: Merge(Uniform(http.StatusForbidden, AllActors...), Uniform(http.StatusUnauthorized, Anonymous),
				Uniform(http.StatusOK, staff...)),
			Build: func(testing.TB, *World, Actor) (string, any) { return "/v2/cases?filter=state%3DOPEN&pageSize=5", nil }},
	)
}

// writeCase files a case about ProductA in tg directly in Firestore, as the
// cases function would (closed, with one closure, when closed is true).
func writeCase(t testing.TB, w *World, tg Target, closed bool) string {
	t.Helper()
	return putCase(t, w, matrixCase(tg, closed))
}

func matrixCase(tg Target, closed bool) *store.Case {
	c := &store.Case{OrgID: tg.OrgID, ProductID: ProductA, ResellerID: tg.ResellerID,
		ClassificationID: "clouddb-performance", ClassificationName: "CloudDB > Performance",
		DisplayName: "Matrix case", Description: "Filed for the access matrix.", LanguageCode: "en", Priority: "P2",
		State: casestate.New, Open: true, SubscriberEmailAddresses: []string{},
		CreatorUID: "matrix", CreatorEmail: "matrix@" + tg.OrgID + ".example",
		CreateTime: tg.FiledAt, UpdateTime: tg.FiledAt}
	c.Tokens = searchtokens.Add(nil, c.DisplayName, c.Description)
	if closed {
		c.State, c.Open, c.CloseTime, c.CloseCount = casestate.Closed, false, time.Now().UTC(), 1
	}
	return c
}

func putCase(t testing.TB, w *World, c *store.Case) string {
	t.Helper()
	if _, err := store.New(w.Env.FS()).CreateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

var (
	surveyedMu    sync.Mutex
	surveyedCases = map[Target]string{}
)

// surveyedCase returns a closed case of tg with a submitted survey, shared
// by the read-only survey cells of that target.
func surveyedCase(t testing.TB, w *World, tg Target) string {
	t.Helper()
	surveyedMu.Lock()
	defer surveyedMu.Unlock()
	if id, ok := surveyedCases[tg]; ok {
		return id
	}
	id := writeCase(t, w, tg, true)
	_, _, err := store.New(w.Env.FS()).MutateCase(context.Background(), id, func(tx *store.CaseTx, c *store.Case) (bool, error) {
		return false, tx.AddSurvey(&store.Survey{CloseCount: c.CloseCount, Rating: 4, CreateTime: time.Now().UTC(),
			CreatorUID: "matrix", CreatorEmail: c.CreatorEmail})
	})
	if err != nil {
		t.Fatal(err)
	}
	surveyedCases[tg] = id
	return id
}

// TestCaseListScope checks what the matrix's status codes cannot: lists
// and searches return only the cases the caller may read.
func TestCaseListScope(t *testing.T) {
	w := getWorld(t)
	tests := []struct {
		actor Actor
		sees  bool
	}{
		{Member, true},
		{Viewer, true},
		{OtherProduct, false},   // the case is about ProductA
		{ProductAdmin, true},    // admin of ProductA
		{ResellerGranted, true}, // filed during its term, access granted
		{ResellerNew, false},    // filed while the previous reseller managed the customer
		{SupportAgent, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.actor), func(t *testing.T) {
			t.Parallel()
			// A case only this subtest can find by its creator and a word.
			word := strings.ReplaceAll(testenv.UniqueID("scope"), "-", "")
			c := matrixCase(w.Targets[tc.actor], false)
			c.CreatorEmail = word + "@example.com"
			c.Tokens = searchtokens.Add(c.Tokens, word)
			id := putCase(t, w, c)
			org := w.Targets[tc.actor].OrgID
			for _, path := range []string{
				"/v2/organizations/" + org + "/cases?filter=" + url.QueryEscape(`creator.email="`+c.CreatorEmail+`"`),
				"/v2/organizations/" + org + "/cases:search?query=" + word,
			} {
				r := w.Env.Do(t, "GET", path, w.Tokens[tc.actor], nil)
				var page struct {
					Cases []struct{ Name string }
				}
				r.JSON(t, &page)
				found := false
				for _, c := range page.Cases {
					found = found || c.Name == "organizations/"+org+"/cases/"+id
				}
				if r.Status != http.StatusOK || found != tc.sees {
					t.Fatalf("%s as %s: status %d, case listed %v, want %v", path, tc.actor, r.Status, found, tc.sees)
				}
			}
		})
	}
}
