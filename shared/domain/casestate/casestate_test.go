package casestate

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/support/apiv2/supportpb"

	"github.com/supportcenter/supportcenter/shared/apierror"
)

func status(err error) string {
	var e *apierror.Error
	if errors.As(err, &e) {
		return e.Status
	}
	if err != nil {
		return "OTHER"
	}
	return "OK"
}

// The states and priorities are Cloud Support's enum names, in wire order.
func TestNamesMatchCloudSupport(t *testing.T) {
	t.Parallel()
	for i, s := range States {
		if supportpb.Case_State_value[s] != int32(i+1) {
			t.Errorf("state %s is not Case.State %d", s, i+1)
		}
	}
	for i, p := range Priorities {
		if supportpb.Case_Priority_value[p] != int32(i+1) {
			t.Errorf("priority %s is not Case.Priority %d", p, i+1)
		}
	}
	if len(States) != len(supportpb.Case_State_name)-1 || len(Priorities) != len(supportpb.Case_Priority_name)-1 {
		t.Errorf("Cloud Support has other states or priorities: %v %v", supportpb.Case_State_name, supportpb.Case_Priority_name)
	}
}

func TestPredicates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"NEW is open", IsOpen(New), true},
		{"SOLUTION_PROVIDED is open", IsOpen(SolutionProvided), true},
		{"CLOSED is not open", IsOpen(Closed), false},
		{"P0 is a priority", ValidPriority("P0"), true},
		{"P4 is a priority", ValidPriority("P4"), true},
		{"P5 is not", ValidPriority("P5"), false},
		{"empty is not", ValidPriority(""), false},
		{"window is 30 days", ReopenWindowDays == 30, true},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %v", tc.name, tc.got)
		}
	}
}

func TestStaffMove(t *testing.T) {
	t.Parallel()
	const (
		nw = New
		ip = InProgress
		ar = ActionRequired
		sp = SolutionProvided
		cl = Closed
	)
	tests := []struct {
		from, to, want string
	}{
		{nw, ip, "OK"}, {ip, ar, "OK"}, {ar, ip, "OK"}, {ip, sp, "OK"}, {ar, sp, "OK"}, {sp, ip, "OK"},
		{ip, ip, "OK"}, // no-op
		{nw, ar, "FAILED_PRECONDITION"}, {nw, sp, "FAILED_PRECONDITION"}, {sp, ar, "FAILED_PRECONDITION"},
		{ip, nw, "FAILED_PRECONDITION"}, {ip, cl, "FAILED_PRECONDITION"}, {cl, ip, "FAILED_PRECONDITION"},
		{cl, cl, "FAILED_PRECONDITION"},
		{ip, "WAITING", "INVALID_ARGUMENT"},
	}
	for _, tc := range tests {
		err := StaffMove(tc.from, tc.to)
		if got := status(err); got != tc.want {
			t.Errorf("StaffMove(%s → %s) = %s (%v), want %s", tc.from, tc.to, got, err, tc.want)
		}
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		err     error
		want    string
		message string
	}{
		{"close open", CheckClose(ActionRequired), "OK", ""},
		{"close new", CheckClose(New), "OK", ""},
		{"close closed", CheckClose(Closed), "FAILED_PRECONDITION", "already closed"},
		{"edit open", CheckEdit(InProgress), "OK", ""},
		{"edit closed", CheckEdit(Closed), "FAILED_PRECONDITION", "within 30 days"},
		{"escalate open", CheckEscalate(InProgress, false, time.Time{}), "OK", ""},
		{"escalate closed", CheckEscalate(Closed, false, time.Time{}), "FAILED_PRECONDITION", "closed case cannot be escalated"},
		{"escalate twice", CheckEscalate(New, true, at), "FAILED_PRECONDITION", "already escalated (on 2026-01-02T03:04:05Z)"},
		{"survey closed", CheckSurvey(Closed), "OK", ""},
		{"survey open", CheckSurvey(SolutionProvided), "FAILED_PRECONDITION", "once the case is closed"},
	}
	for _, tc := range tests {
		if got := status(tc.err); got != tc.want || tc.err != nil && !strings.Contains(tc.err.Error(), tc.message) {
			t.Errorf("%s: %v, want %s containing %q", tc.name, tc.err, tc.want, tc.message)
		}
	}
}

func TestCommentEffect(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	const name = "organizations/acme/cases/123456789"
	closed := func(ago time.Duration) Commented {
		return Commented{State: Closed, CloseTime: now.Add(-ago), Name: name}
	}
	tests := []struct {
		name      string
		c         Commented
		support   bool
		wantState string
		reopen    bool
		wantErr   string
	}{
		{"customer on action required", Commented{State: ActionRequired}, false, InProgress, false, ""},
		{"customer on solution provided", Commented{State: SolutionProvided}, false, InProgress, false, ""},
		{"customer on new", Commented{State: New}, false, "", false, ""},
		{"customer on in progress", Commented{State: InProgress}, false, "", false, ""},
		{"support on new starts work", Commented{State: New}, true, InProgress, false, ""},
		{"support on action required", Commented{State: ActionRequired}, true, "", false, ""},
		{"support on solution provided", Commented{State: SolutionProvided}, true, "", false, ""},
		{"reopen at 29 days", closed(29 * 24 * time.Hour), false, InProgress, true, ""},
		{"reopen at exactly 30 days", closed(ReopenWindow), false, InProgress, true, ""},
		{"refused just after 30 days", closed(ReopenWindow + time.Second), false, "", false, "FAILED_PRECONDITION"},
		{"refused at 31 days", closed(31 * 24 * time.Hour), false, "", false, "FAILED_PRECONDITION"},
		{"support cannot reopen", closed(time.Hour), true, "", false, "FAILED_PRECONDITION"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CommentEffect(tc.c, tc.support, now)
			if tc.wantErr != "" {
				if status(err) != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || got.NewState != tc.wantState || got.Reopen != tc.reopen {
				t.Fatalf("got %+v, %v; want state %q reopen %v", got, err, tc.wantState, tc.reopen)
			}
		})
	}
	// The refusal tells the user to open a new case referencing this one.
	_, err := CommentEffect(closed(31*24*time.Hour), false, now)
	if err == nil || !strings.Contains(err.Error(), "open a new case") || !strings.Contains(err.Error(), name) ||
		!strings.Contains(err.Error(), "2025-05-01") {
		t.Fatalf("refusal message: %v", err)
	}
}
