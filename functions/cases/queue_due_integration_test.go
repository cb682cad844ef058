//go:build integration

package cases_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"
	"time"
)

// TestQueueBySLA: the support queue filtered by sla.state and ordered by
// sla.nextDueTime, most urgent first, with a fake clock in 2001 (every
// other test's cases are due years later, so the earliest due times and
// every breach at that time are this test's).
func TestQueueBySLA(t *testing.T) {
	t.Parallel()
	start := time.Date(2001, 1, 8, 9, 0, 0, 0, time.UTC) // a Monday
	d := newDirect(t, start)
	patch := func(name, mask string, body map[string]any) {
		t.Helper()
		if code, b := d.do(t, "PATCH", "/v2/"+name+"?updateMask="+mask, d.Agent, body); code != 200 {
			t.Fatalf("patch %s: %d %s", mask, code, b)
		}
	}
	// A: P2 filed at 09:00 (due 13:00); B: P1 filed at 10:00 (due 11:00);
	// C: P2 filed at 11:00 and answered (MET); D: P4 filed at 11:00 (due
	// the next day 11:00).
	a := d.create(t, "A")
	d.Clock.Advance(time.Hour)
	b := d.create(t, "B")
	patch(b, "priority", map[string]any{"priority": "P1"})
	d.Clock.Advance(time.Hour)
	c := d.create(t, "C")
	if code, body := d.do(t, "POST", "/v2/"+c+"/comments", d.Agent, map[string]any{"body": "Looking."}); code != 200 {
		t.Fatalf("comment: %d %s", code, body)
	}
	dd := d.create(t, "D")
	patch(dd, "priority", map[string]any{"priority": "P4"})

	type page struct {
		Cases []struct {
			Name string `json:"name"`
			SLA  struct {
				NextDueTime string `json:"nextDueTime"`
				State       string `json:"state"`
			} `json:"sla"`
		} `json:"cases"`
		NextPageToken string `json:"nextPageToken"`
	}
	queue := func(params url.Values) (page, []string) {
		t.Helper()
		code, body := d.do(t, "GET", "/v2/cases?"+params.Encode(), d.Agent, nil)
		if code != 200 {
			t.Fatalf("queue %s: %d %s", params.Encode(), code, body)
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range p.Cases {
			names = append(names, c.Name)
		}
		return p, names
	}
	ts := func(tm time.Time) string { return tm.Format(time.RFC3339Nano) }

	d.Clock.Set(start.Add(2*time.Hour + 30*time.Minute))
	p, names := queue(url.Values{"orderBy": {"sla.nextDueTime"}, "pageSize": {"3"}})
	if want := []string{b, a, dd}; !slices.Equal(names, want) {
		t.Fatalf("by due time: %v, want %v (C is answered: not listed)", names, want)
	}
	if p.Cases[0].SLA.NextDueTime != ts(start.Add(2*time.Hour)) || p.Cases[0].SLA.State != "BREACHED" ||
		p.Cases[1].SLA.NextDueTime != ts(start.Add(4*time.Hour)) || p.Cases[1].SLA.State != "ON_TRACK" {
		t.Errorf("sla of the first two: %+v", p.Cases[:2])
	}
	if _, names := queue(url.Values{"filter": {"sla.state=BREACHED"}}); !slices.Equal(names, []string{b}) {
		t.Errorf("sla.state=BREACHED: %v, want only B", names)
	}
	// Pages of one, in due order.
	p1, n1 := queue(url.Values{"orderBy": {"sla.nextDueTime"}, "pageSize": {"1"}})
	_, n2 := queue(url.Values{"orderBy": {"sla.nextDueTime"}, "pageSize": {"1"}, "pageToken": {p1.NextPageToken}})
	if !slices.Equal(append(n1, n2...), []string{b, a}) {
		t.Errorf("pages of one: %v then %v, want B then A", n1, n2)
	}

	d.Clock.Set(start.Add(3*time.Hour + 10*time.Minute)) // A is in the last quarter of its 4 hours
	if _, names := queue(url.Values{"filter": {"sla.state=DUE_SOON"}, "pageSize": {"1"}}); !slices.Equal(names, []string{a}) {
		t.Errorf("sla.state=DUE_SOON: %v, want A first", names)
	}

	d.Clock.Set(start.Add(4*time.Hour + 30*time.Minute))
	if _, names := queue(url.Values{"filter": {"sla.state=BREACHED"}}); !slices.Equal(names, []string{b, a}) {
		t.Errorf("sla.state=BREACHED later: %v, want B, A", names)
	}
	if _, names := queue(url.Values{"filter": {"sla.state=BREACHED AND priority=P2"}}); !slices.Equal(names, []string{a}) {
		t.Errorf("breached P2: %v, want A", names)
	}
	if code, body := d.do(t, "GET", "/v2/cases?orderBy=createTime", d.Agent, nil); code != 400 {
		t.Errorf("an unsupported orderBy: %d %s, want 400", code, body)
	}
}
