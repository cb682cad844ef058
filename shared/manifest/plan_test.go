package manifest

import (
	"regexp"
	"strings"
	"testing"
)

func TestAckDeadlineSeconds(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"": 60, "bad": 60, "5s": 10, "30s": 30, "9m": 540, "1h": 600} {
		if got := (Function{Timeout: in}).AckDeadlineSeconds(); got != want {
			t.Errorf("AckDeadlineSeconds(%q) = %d, want %d", in, got, want)
		}
	}
}

// Service account ids must be 6–30 characters, [a-z][-a-z0-9]*[a-z0-9];
// function names may be 2–42 characters, so the rule must shorten safely
// and stay unique. Checked for every name in the manifest and for names
// at the limits.
func TestServiceAccountIDWithinLimits(t *testing.T) {
	t.Parallel()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"me", "ab", "a1", strings.Repeat("a", 42), strings.Repeat("a", 41) + "b",
		"abcdefghijklmnopqrstuvwx-yz", "abcdefghijklmnopqrstuvw-xyz", "x-" + strings.Repeat("y", 40)}
	for _, f := range m.Functions {
		names = append(names, f.Name)
	}
	re := regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])$`)
	seen := map[string]string{}
	for _, n := range names {
		id := ServiceAccountID(n)
		if len(id) < 6 || len(id) > 30 || !re.MatchString(id) {
			t.Errorf("ServiceAccountID(%q) = %q (%d chars): not a valid account id", n, id, len(id))
		}
		if other, dup := seen[id]; dup && other != n {
			t.Errorf("%q and %q share service account id %q", n, other, id)
		}
		seen[id] = n
	}
	if got := ServiceAccountID("me"); got != "sc-fn-me" {
		t.Errorf("ServiceAccountID(me) = %q, want sc-fn-me", got)
	}
}

// Every name the embedded manifest derives is within Google's limits, for
// the longest project id.
func TestEmbeddedPlanWithinLimits(t *testing.T) {
	t.Parallel()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := Derive(m, ProjectPlaceholder).CheckLimits(); err != nil {
		t.Fatal(err)
	}
}

func TestCheckLimitsRefusesLongNames(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("b", 40)
	m, err := Parse([]byte(`
topics: [{name: ab}]
buckets: [{name: ` + long + `}]
functions:
  - {name: ev, kind: event, topic: ab}
`))
	if err != nil {
		t.Fatal(err)
	}
	err = Derive(m, ProjectPlaceholder).CheckLimits()
	for _, want := range []string{`topic name "ab"`, "bucket name"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckLimits() = %v, want a complaint about %s", err, want)
		}
	}
}

func TestDerive(t *testing.T) {
	t.Parallel()
	m, err := Parse([]byte(`
runtime: go126
topics: [{name: case-events}, {name: uploads}]
buckets: [{name: files, finalize_topic: uploads}]
custom_roles: [{id: narrow, title: N, permissions: [a.b.c]}]
ttl: [{collection: dedupe, field: expireTime}]
functions:
  - {name: api, kind: http, routes: ["/v2/x", "/v2/x/*"], publishes: [case-events], buckets: [files], roles: [narrow], signs_urls: true}
  - {name: on-upload, kind: event, topic: uploads, retry: true, max_delivery_attempts: 5, secrets: {KEY: key}}
  - {name: nightly, kind: scheduled, schedule: "0 3 * * *", timeout: 5m}
`))
	if err != nil {
		t.Fatal(err)
	}
	p := Derive(m, "proj")
	api := p.Functions["api"]
	if api.Env["CASE_EVENTS_TOPIC"] != "case-events" || api.Env["FILES_BUCKET"] != "proj-files" ||
		api.NEG != "sc-neg-api" || api.Backend != "sc-be-api" || !api.SignsURLs || api.ServiceAccountID != "sc-fn-api" {
		t.Errorf("api = %+v", api)
	}
	wantGrants := map[string]map[string]Grant{
		"project": {
			"api/roles/datastore.user":       {Function: "api", Role: FirestoreRole},
			"api/narrow":                     {Function: "api", Role: "projects/proj/roles/narrow", Custom: "narrow"},
			"on-upload/roles/datastore.user": {Function: "on-upload", Role: FirestoreRole},
			"nightly/roles/datastore.user":   {Function: "nightly", Role: FirestoreRole},
		},
		"topic":  {"api/roles/pubsub.publisher/case-events": {Function: "api", Role: PublisherRole, Resource: "case-events"}},
		"bucket": {"api/roles/storage.objectUser/files": {Function: "api", Role: BucketRole, Resource: "files"}},
		"secret": {"on-upload/roles/secretmanager.secretAccessor/key": {Function: "on-upload", Role: SecretRole, Resource: "key"}},
	}
	for kind, got := range map[string]map[string]Grant{"project": p.ProjectGrants, "topic": p.TopicGrants, "bucket": p.BucketGrants, "secret": p.SecretGrants} {
		if len(got) != len(wantGrants[kind]) {
			t.Errorf("%s grants = %v, want %v", kind, got, wantGrants[kind])
		}
		for k, g := range wantGrants[kind] {
			if got[k] != g {
				t.Errorf("%s grant %q = %+v, want %+v", kind, k, got[k], g)
			}
		}
	}
	if s := p.Subscriptions["on-upload"]; s.Name != "on-upload-push" || s.Topic != "uploads" || s.DeadLetterTopic != "on-upload-dead-letter" ||
		s.PushPath != "/projects/proj/topics/uploads" || s.MaxDeliveryAttempts != 5 {
		t.Errorf("on-upload subscription = %+v", s)
	}
	if d := p.DeadLetters["on-upload"]; d.Hold != "on-upload-dead-letter-hold" {
		t.Errorf("dead letter = %+v", d)
	}
	if s := p.Schedules["nightly"]; s.Topic != "schedule-nightly" || s.Data != `{"job":"nightly"}` || p.Subscriptions["nightly"].AckDeadlineSeconds != 300 {
		t.Errorf("schedule = %+v", s)
	}
	if p.DefaultBackend != "api" || len(p.Routes) != 2 || p.Routes[1] != (RoutePlan{Priority: 2, Path: "/v2/x/*", Function: "api"}) {
		t.Errorf("routes = %+v, default %q", p.Routes, p.DefaultBackend)
	}
	if p.TTL["dedupe"] != "expireTime" || len(p.Secrets["key"]) != 1 || p.Buckets["files"].Name != "proj-files" {
		t.Errorf("ttl %v, secrets %v, buckets %v", p.TTL, p.Secrets, p.Buckets)
	}
	if want := []string{"case-events", "uploads", "schedule-nightly"}; strings.Join(p.Topics, ",") != strings.Join(want, ",") {
		t.Errorf("topics = %v, want %v", p.Topics, want)
	}
}

func TestValidateManifestAdditions(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`
topics: [{name: t}]
default_backend: ev
custom_roles: [{id: x, permissions: []}]
functions:
  - {name: ev, kind: event, topic: t, publishes: [nope], roles: [roles/pubsub.publisher, unknown]}
  - {name: web, kind: http, routes: ["/x"], concurrency: 10, cpu: "0.5"}
`))
	for _, want := range []string{`custom role "x"`, `publishes to "nope"`, "grant publishing per topic",
		`role "unknown"`, "concurrency above 1 needs cpu >= 1", `default_backend "ev"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}
