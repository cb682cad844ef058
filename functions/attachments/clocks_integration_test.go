//go:build integration

package attachments_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/caseclocks"
	"github.com/supportcenter/supportcenter/shared/domain/caseclock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/store"
)

// waitingCase files a case that support put in SOLUTION_PROVIDED an hour
// ago (the waiting-on-customer clock runs, a close is scheduled) and
// returns its resource name.
func (o *org) waitingCase(t *testing.T) (string, *store.Case) {
	t.Helper()
	st := store.New(o.env.FS())
	pkg, err := st.Package(context.Background(), "GOLD")
	if err != nil {
		t.Fatal(err)
	}
	solved := time.Now().UTC().Add(-time.Hour).Truncate(time.Microsecond)
	c := &store.Case{OrgID: o.tenant.OrgID, ProductID: "clouddb", ClassificationID: "clouddb-performance",
		DisplayName: "Waiting", Description: "Waiting on the customer.", LanguageCode: "en", Priority: "P3",
		State: casestate.SolutionProvided, Open: true, SubscriberEmailAddresses: []string{},
		CreatorUID: "test", CreatorEmail: o.tenant.Email("admin"), CreateTime: solved.Add(-time.Hour), UpdateTime: solved,
		FirstResponseTime: solved, SupportHours: "24x7"}
	caseclocks.Update(c, pkg, &caseclock.Activity{BySupport: true, State: casestate.SolutionProvided, At: solved}, false)
	if _, err := st.CreateCase(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if c.Clocks.AutoCloseTime.IsZero() {
		t.Fatal("the waiting case has no autoCloseTime")
	}
	return "organizations/" + o.tenant.OrgID + "/cases/" + c.ID, c
}

// TestAttachmentStopsWaitingClock: a customer's attachment stops the
// waiting-on-customer clock like a comment — through the function's own
// upload and through an upload session that finalize-upload completes —
// while support's attachment leaves it running.
func TestAttachmentStopsWaitingClock(t *testing.T) {
	t.Parallel()
	o := newOrg(t, "GOLD")
	agent := o.env.Token(t, "agent@support.example")
	upload := func(name, token string) {
		t.Helper()
		r := do(t, "POST", o.env.GatewayURL+"/upload/v2/"+name+"/attachments?uploadType=media&attachment.filename=log.txt",
			token, map[string]string{"Content-Type": "text/plain"}, strings.NewReader("the log the support team asked for\n"))
		if r.status != http.StatusOK {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
	}
	read := func(c *store.Case) *store.Case {
		t.Helper()
		got, err := store.New(o.env.FS()).Case(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	tests := []struct {
		name    string
		attach  func(name string)
		running bool
	}{
		{"customer, media upload", func(name string) { upload(name, o.admin) }, false},
		{"customer, upload session (finalize-upload)", func(name string) {
			body := []byte("a trace from the customer\n")
			s := o.startSession(t, name, "trace.txt", int64(len(body)))
			sendToStorage(t, s, bytes.NewReader(body), int64(len(body)), "text/plain")
			if a := o.waitState(t, s.Attachment.Name, o.admin, 30*time.Second); a.State != store.AttachmentReady {
				t.Fatalf("attachment %s: %+v", a.State, a)
			}
		}, false},
		{"support, media upload", func(name string) { upload(name, agent) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name, c := o.waitingCase(t)
			tt.attach(name)
			got := read(c)
			if tt.running {
				if !got.Clocks.WaitingSince.Equal(c.Clocks.WaitingSince) || !got.Clocks.AutoCloseTime.Equal(c.Clocks.AutoCloseTime) || !got.DueTime.Equal(c.DueTime) {
					t.Fatalf("support's attachment changed the clock: %+v (dueTime %v), was %+v", got.Clocks, got.DueTime, c.Clocks)
				}
				return
			}
			if !got.Clocks.WaitingSince.IsZero() || !got.Clocks.AutoCloseTime.IsZero() || !got.DueTime.IsZero() {
				t.Fatalf("the customer's attachment left the clock running: %+v (dueTime %v)", got.Clocks, got.DueTime)
			}
			if got.State != casestate.SolutionProvided {
				t.Errorf("state %s; an attachment does not move the case", got.State)
			}
		})
	}
}
