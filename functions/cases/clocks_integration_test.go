//go:build integration

package cases_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

type clockView struct {
	State         string `json:"state"`
	Priority      string `json:"priority"`
	AutoCloseTime string `json:"autoCloseTime"`
	SLA           *struct {
		FirstResponseDueTime string `json:"firstResponseDueTime"`
		NextResponseDueTime  string `json:"nextResponseDueTime"`
		NextDueTime          string `json:"nextDueTime"`
		FirstResponseTime    string `json:"firstResponseTime"`
		State                string `json:"state"`
	} `json:"sla"`
}

// TestCasesClocks follows a case's clocks through the API with a fake
// clock: support's SOLUTION_PROVIDED schedules the close 7 days ahead,
// the customer's comment cancels it and starts the next-response clock,
// and a priority change re-computes the SLA. The stored due time (what the
// sweep queries) follows.
func TestCasesClocks(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	d := newDirect(t, start)
	ctx := context.Background()
	name := d.create(t, "slow queries")
	id := caseID(name)
	call := func(method, path, token string, body any) clockView {
		t.Helper()
		code, b := d.do(t, method, path, token, body)
		if code != 200 {
			t.Fatalf("%s %s: %d %s", method, path, code, b)
		}
		var v clockView
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	ts := func(tm time.Time) string { return tm.UTC().Format(time.RFC3339Nano) }
	due := func(want time.Time) {
		t.Helper()
		c, err := d.Store.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.DueTime.Equal(want) {
			t.Errorf("stored dueTime = %v, want %v", c.DueTime, want)
		}
	}

	v := call("GET", "/v2/"+name, d.Admin, nil)
	if v.SLA == nil || v.SLA.FirstResponseDueTime != ts(start.Add(4*time.Hour)) || v.SLA.NextDueTime != v.SLA.FirstResponseDueTime ||
		v.SLA.State != "ON_TRACK" || v.AutoCloseTime != "" {
		t.Fatalf("new P2 case: %+v %+v", v, v.SLA)
	}
	due(start.Add(4 * time.Hour))

	d.Clock.Advance(time.Hour)
	call("POST", "/v2/"+name+"/comments", d.Agent, map[string]any{"body": "Please try the new index."})
	v = call("PATCH", "/v2/"+name+"?updateMask=state", d.Agent, map[string]any{"state": "SOLUTION_PROVIDED"})
	solved := start.Add(time.Hour)
	if v.AutoCloseTime != ts(solved.Add(7*24*time.Hour)) || v.SLA.State != "MET" || v.SLA.FirstResponseTime != ts(solved) {
		t.Fatalf("after SOLUTION_PROVIDED: %+v %+v", v, v.SLA)
	}
	due(solved.Add(3 * 24 * time.Hour)) // the reminder comes first

	d.Clock.Advance(24 * time.Hour)
	replied := d.Clock.Now()
	call("POST", "/v2/"+name+"/comments", d.Admin, map[string]any{"body": "Still slow."})
	v = call("GET", "/v2/"+name, d.Admin, nil)
	if v.AutoCloseTime != "" || v.State != "IN_PROGRESS_GOOGLE_SUPPORT" || v.SLA.NextResponseDueTime != ts(replied.Add(8*time.Hour)) ||
		v.SLA.NextDueTime != v.SLA.NextResponseDueTime || v.SLA.State != "ON_TRACK" {
		t.Fatalf("after the customer's reply: %+v %+v", v, v.SLA)
	}
	due(replied.Add(8 * time.Hour))

	v = call("PATCH", "/v2/"+name+"?updateMask=priority", d.Agent, map[string]any{"priority": "P0"})
	if v.SLA.NextResponseDueTime != ts(replied.Add(30*time.Minute)) || v.SLA.State != "ON_TRACK" {
		t.Fatalf("after raising to P0: %+v %+v", v, v.SLA)
	}
	due(replied.Add(30 * time.Minute))
}
