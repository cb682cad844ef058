package notify

import (
	"slices"
	"testing"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/mail"
	"github.com/supportcenter/supportcenter/shared/manifest"
	"github.com/supportcenter/supportcenter/shared/store"
)

func TestCandidates(t *testing.T) {
	c := &store.Case{CreatorEmail: "admin@acme.example",
		SubscriberEmailAddresses: []string{" Dev@Acme.example", "", "admin@ACME.example", "not-an-address", "dev@acme.example", "cc@elsewhere.example"}}
	got := candidates(c)
	want := []string{"admin@acme.example", "dev@acme.example", "cc@elsewhere.example"}
	if !slices.Equal(got, want) {
		t.Fatalf("candidates = %q, want %q", got, want)
	}
}

func TestIsActor(t *testing.T) {
	c := &store.Case{CreatorUID: "u-admin", CreatorEmail: "admin@acme.example"}
	tests := []struct {
		name       string
		addr       string
		actorUID   string
		actorKey   string
		actorEmail string
		want       bool
	}{
		{"actor key names the subscriber", "dev@acme.example", "u-dev", store.ProfileID("Dev@Acme.example"), "", true},
		{"actor key names someone else", "admin@acme.example", "u-admin", store.ProfileID("agent@support.example"), "", false},
		{"creator acts", "admin@acme.example", "u-admin", "", "", true},
		{"someone else acts on the creator's case", "admin@acme.example", "u-agent", "", "agent@support.example", false},
		{"subscriber acts (address known)", "dev@acme.example", "u-dev", "", "Dev@Acme.example", true},
		{"subscriber, actor unknown", "dev@acme.example", "u-dev", "", "", false},
		{"system event", "admin@acme.example", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events.Event{ActorUID: tt.actorUID, ActorKey: tt.actorKey}
			if got := isActor(tt.addr, ev, c, tt.actorEmail); got != tt.want {
				t.Errorf("isActor = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCoveredByComment(t *testing.T) {
	tests := []struct {
		ev   events.Event
		want bool
	}{
		{events.Event{Type: events.CaseStateChanged, CommentID: "c1"}, true},
		{events.Event{Type: events.CaseReopened, CommentID: "c1"}, true},
		{events.Event{Type: events.CaseStateChanged}, false}, // support moved it (PATCH)
		{events.Event{Type: events.CaseCommented, CommentID: "c1"}, false},
		{events.Event{Type: events.CaseClosed}, false},
	}
	for _, tt := range tests {
		if got := coveredByComment(tt.ev); got != tt.want {
			t.Errorf("coveredByComment(%s, comment %q) = %v, want %v", tt.ev.Type, tt.ev.CommentID, got, tt.want)
		}
	}
}

// The access check itself is package access's (tested there and end to
// end); decide covers what follows it.
func TestDecide(t *testing.T) {
	customer := &access.Actor{Capacity: access.Customer, Membership: &store.Membership{DisplayName: "Kim", Language: "ko"}}
	customerEN := &access.Actor{Capacity: access.Customer, Membership: &store.Membership{DisplayName: "Pat"}}
	support := &access.Actor{Capacity: access.Support, Membership: &store.Membership{Language: "en"}}
	reseller := &access.Actor{Capacity: access.Reseller, Membership: &store.Membership{Language: "ko-KR"}}
	normal := &store.Case{}
	testCase := &store.Case{TestCase: true}
	tests := []struct {
		name     string
		c        *store.Case
		a        *access.Actor
		p        *store.Profile
		wantSkip string
		wantLang string
		wantName string
	}{
		{"membership language", normal, customer, nil, "", mail.Korean, "Kim"},
		{"default English", normal, customerEN, nil, "", mail.English, "Pat"},
		{"profile overrides membership", normal, customer, &store.Profile{Language: "en", DisplayName: "Kim J."}, "", mail.English, "Kim J."},
		{"profile language only", normal, customerEN, &store.Profile{Language: "ko"}, "", mail.Korean, "Pat"},
		{"regional Korean", normal, reseller, nil, "", mail.Korean, ""},
		{"opted out", normal, customer, &store.Profile{NotificationPreference: store.NotifyNone}, skipOptedOut, "", ""},
		{"explicit ALL", normal, customer, &store.Profile{NotificationPreference: store.NotifyAll}, "", mail.Korean, "Kim"},
		{"support subscriber", normal, support, nil, "", mail.English, ""},
		{"support on a test case", testCase, support, nil, skipTestCase, "", ""},
		{"customer on a test case", testCase, customer, nil, "", mail.Korean, "Kim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, skip := decide("x@acme.example", tt.c, tt.a, tt.p)
			if skip != tt.wantSkip {
				t.Fatalf("skip = %q, want %q", skip, tt.wantSkip)
			}
			if skip != "" {
				return
			}
			if r.Lang != tt.wantLang || r.Name != tt.wantName || r.Email != "x@acme.example" || r.Key != store.ProfileID("x@acme.example") {
				t.Errorf("recipient = %+v, want lang %s name %q", r, tt.wantLang, tt.wantName)
			}
		})
	}
}

// The manifest must feed this function from the topic the cases function
// publishes to, with retries ending in a dead-letter topic.
func TestManifest(t *testing.T) {
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	f, ok := m.Function("notify")
	if !ok {
		t.Fatal("notify is not in infra/functions.yaml")
	}
	if f.Kind != manifest.KindEvent || f.Topic != events.CaseEventsTopic || !f.Retry || f.MaxDeliveryAttempts != 5 ||
		f.DeadLetterTopic() == "" || f.Secrets["SENDGRID_API_KEY"] == "" {
		t.Errorf("manifest entry %+v", f)
	}
}
