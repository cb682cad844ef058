//go:build integration

package knownissuefanout_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	cloudevent "github.com/cloudevents/sdk-go/v2/event"
	"google.golang.org/grpc/codes"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/store"
)

const (
	subscribers = 2500
	batch       = 300 // 9 batches
)

func unavailable() error {
	return &mail.Error{StatusCode: 503, Code: codes.Unavailable, Message: "SendGrid answered 503"}
}

// TestFanoutDeliveredTwice: every way an event can arrive more than once
// or be cut short still sends each recipient each update at most once,
// and every subscriber gets it once the redeliveries are done.
func TestFanoutDeliveredTwice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// fail sets up failures; run delivers the event (returns errors of
		// every delivery that failed, for the check below).
		fail      func(s *fakeSender, cancel context.CancelFunc)
		run       func(t *testing.T, w *world, ev events.KnownIssueEvent) []error
		wantFirst bool // the first delivery returns an error (redelivery expected)
	}{
		{name: "redelivered after it finished", run: sequential(2)},
		{name: "two deliveries at once", run: func(t *testing.T, w *world, ev events.KnownIssueEvent) []error {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() { errs[i] = w.handler.Fanout(context.Background(), ev) })
			}
			wg.Wait()
			return errs
		}},
		{name: "SendGrid 429 mid-way, then redelivered", wantFirst: true, run: sequential(2),
			fail: func(s *fakeSender, _ context.CancelFunc) {
				s.fail[3] = failure{err: &mail.Error{StatusCode: 429, Code: codes.ResourceExhausted, Message: "SendGrid answered 429"}}
			}},
		{name: "SendGrid 503 twice, then redelivered twice", wantFirst: true, run: sequential(3),
			fail: func(s *fakeSender, _ context.CancelFunc) {
				s.fail[0] = failure{err: unavailable()}
				s.fail[1] = failure{err: unavailable()}
			}},
		{name: "accepted but no answer (timeout)", run: sequential(2),
			fail: func(s *fakeSender, _ context.CancelFunc) {
				s.fail[4] = failure{accept: true, err: &mail.Error{Code: codes.Unavailable, Message: "send failed"}}
			}},
		{name: "instance died after SendGrid accepted, mid-fan-out", wantFirst: true,
			fail: func(s *fakeSender, cancel context.CancelFunc) {
				s.fail[2] = failure{accept: true, err: context.Canceled, then: cancel}
			},
			run: nil}, // set below: the first delivery runs on a context the crash cancels
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 2)
			w.handler.BatchSize = batch
			emails := w.seed(t, subscribers)
			ev := w.update(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.fail != nil {
				tc.fail(w.sender, cancel)
			}
			var errs []error
			if tc.run == nil {
				errs = append(errs, w.handler.Fanout(ctx, ev), w.handler.Fanout(context.Background(), ev))
			} else {
				errs = tc.run(t, w, ev)
			}
			if first := errs[0]; (first != nil) != tc.wantFirst {
				t.Fatalf("first delivery: err %v, want error %v", first, tc.wantFirst)
			}
			for i, err := range errs {
				if err != nil && i == len(errs)-1 {
					t.Fatalf("last delivery failed: %v", err)
				}
				if err != nil && tc.wantFirst && !apierror.Retryable(err) && !errors.Is(err, context.Canceled) {
					t.Fatalf("delivery %d: %v is not retryable", i, err)
				}
			}
			people, dups := w.sender.counts()
			if dups != 0 {
				t.Fatalf("%d recipients got the update more than once", dups)
			}
			for _, n := range w.sender.sizes {
				if n > batch {
					t.Fatalf("a request carried %d personalizations, more than the batch size %d", n, batch)
				}
			}
			if people != len(emails) {
				t.Fatalf("%d of %d subscribers got the update", people, len(emails))
			}
			// Once done, a further delivery reads one document pair and sends nothing.
			before := w.sender.requests
			w.count.Take()
			if err := w.handler.Fanout(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			if reads, _ := w.count.Take(); w.sender.requests != before || reads != 2 {
				t.Fatalf("delivery after completion: %d more requests, %d reads (want 0, 2)", w.sender.requests-before, reads)
			}
		})
	}
}

// The "instance died" case loses the one uncertain batch by design (at most
// once): its recipients are counted as sent by the fake because SendGrid
// took the request, so the test above still sees every subscriber once.

func sequential(n int) func(t *testing.T, w *world, ev events.KnownIssueEvent) []error {
	return func(t *testing.T, w *world, ev events.KnownIssueEvent) []error {
		var errs []error
		for range n {
			errs = append(errs, w.handler.Fanout(context.Background(), ev))
		}
		return errs
	}
}

// TestFanoutCost: one update to N subscribers costs about one read per
// bucket document plus a few per organisation, and ⌈N/1000⌉ requests.
func TestFanoutCost(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 3)
	emails := w.seed(t, 3500)
	ev := w.update(t)
	w.count.Take()
	res, err := w.handler.Run(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	reads, writes := w.count.Take()
	t.Logf("fan-out of one update to %d subscribers: %d requests, %d reads, %d writes", len(emails), res.Requests, reads, writes)
	// 2 (issue, update) + 1 (claims) + ≤128 buckets + 2 per organisation (3) + packages (cached per minute: ≤ 1).
	if res.Requests != 4 || res.Recipients != len(emails) || reads > 2+1+store.SubscriberBuckets+2*3+1 || writes != 2*4+1 {
		t.Fatalf("requests %d, recipients %d, reads %d, writes %d", res.Requests, res.Recipients, reads, writes)
	}
	for _, n := range w.sender.sizes[:3] {
		if n != mail.MaxRecipients {
			t.Fatalf("batch sizes %v: want full batches of %d", w.sender.sizes, mail.MaxRecipients)
		}
	}
}

// TestFanoutLostAccess: subscribers who lost access get nothing — a
// removed member, a customer whose package no longer includes the Support
// Center, a reseller whose grant was revoked — while the others get the
// update.
func TestFanoutLostAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1)
	ctx := context.Background()
	env := w.env
	keep := w.orgs[0]
	stays, removed := keep.Email("stays"), keep.Email("removed")
	env.AddUser(t, keep.OrgID, stays, store.StatusActive, store.Role{Role: store.RoleMember})
	env.AddUser(t, keep.OrgID, removed, store.StatusActive, store.Role{Role: store.RoleMember})
	ineligible := env.NewCustomer(t, "NO-SUCH-PACKAGE", "clouddb")
	reseller := env.PutOrg(t, "rs-"+strings.TrimPrefix(keep.OrgID, "cust-"), store.Org{DisplayName: "R", Kind: store.KindReseller})
	revoked := env.NewCustomer(t, "GOLD", "clouddb")
	revoked.Org.ResellerID = reseller.OrgID
	env.PutOrg(t, revoked.OrgID, revoked.Org) // no grant
	partner := reseller.Email("partner")
	env.AddUser(t, reseller.OrgID, partner, store.StatusActive, store.Role{Role: store.RoleMember})

	now := time.Now().UTC()
	for _, s := range []store.Subscriber{
		{Email: stays, OrgID: keep.OrgID, ViaOrgID: keep.OrgID, Capacity: "CUSTOMER"},
		{Email: removed, OrgID: keep.OrgID, ViaOrgID: keep.OrgID, Capacity: "CUSTOMER"},
		{Email: ineligible.Email("x"), OrgID: ineligible.OrgID, ViaOrgID: ineligible.OrgID, Capacity: "CUSTOMER"},
		{Email: partner, OrgID: revoked.OrgID, ViaOrgID: reseller.OrgID, Capacity: "RESELLER"},
	} {
		s.Time, s.Lang = now, "en"
		if _, _, err := w.store.Subscribe(ctx, w.issue.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	// The member is removed the way the users function does it: membership
	// deleted with its audit entry in one transaction.
	if err := w.store.RemoveMembership(ctx, store.MembershipID(keep.OrgID, removed), time.Now().UTC(),
		func(_ *store.MembershipTx, _ *store.MembershipDoc) (*store.AuditEntry, error) {
			return &store.AuditEntry{Actor: "admin", Action: store.AuditUserRemove}, nil
		}); err != nil {
		t.Fatal(err)
	}
	res, err := w.handler.Run(ctx, w.update(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := w.sender.perPerson; len(got) != 1 || got[stays] != 1 || res.Excluded != 3 {
		t.Fatalf("sent to %v, excluded %d; want only %s, 3 excluded", got, res.Excluded, stays)
	}
}

// TestFanoutRefusesBadMessages: a push that can never be processed is
// acknowledged (nil), and an event about an update that does not exist too.
func TestFanoutRefusesBadMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1)
	bad := cloudevent.New()
	bad.SetID("bad")
	_ = bad.SetData("application/json", []byte(`{"message":{"data":"bm90IGpzb24="}}`))
	if err := w.handler.Handle(context.Background(), bad); err != nil {
		t.Fatalf("malformed push: %v", err)
	}
	missing := events.NewKnownIssueUpdated(time.Now(), w.issue.ID, "no-such-update", false)
	data, _ := json.Marshal(missing)
	push, _ := json.Marshal(map[string]any{"message": map[string]any{"data": data, "attributes": missing.Attributes()}})
	ce := cloudevent.New()
	ce.SetID("missing")
	_ = ce.SetData("application/json", push)
	if err := w.handler.Handle(context.Background(), ce); err != nil || w.sender.requests != 0 {
		t.Fatalf("missing update: err %v, %d requests", err, w.sender.requests)
	}
}
