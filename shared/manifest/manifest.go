// Package manifest reads infra/functions.yaml, the one list of deployable
// functions, answers routing questions with the same table production's load
// balancer is built from, and derives every deployed name from it (plan.go):
// the local stack and the Terraform plan file (infra/plan.json) both take
// their names from here, so the two cannot drift apart.
package manifest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/supportcenter/supportcenter/infra"
)

// Function kinds.
const (
	KindHTTP      = "http"
	KindEvent     = "event"
	KindScheduled = "scheduled"
)

// Manifest is the parsed functions.yaml.
type Manifest struct {
	Runtime string   `yaml:"runtime"`
	Region  string   `yaml:"region"`
	Topics  []Topic  `yaml:"topics"`
	Buckets []Bucket `yaml:"buckets"`
	// DefaultBackend is the HTTP function that answers paths no route
	// matches (it answers them 404).
	DefaultBackend string `yaml:"default_backend"`
	// TTL lists the Firestore collections whose documents expire.
	TTL []TTL `yaml:"ttl"`
	// CustomRoles are project roles narrower than any predefined one;
	// functions name them in roles: by id.
	CustomRoles []CustomRole `yaml:"custom_roles"`
	// BuildEnv is the environment every function is built with (Google's
	// Go buildpack reads GOOGLE_GOLDFLAGS and GOOGLE_GOGCFLAGS from it).
	BuildEnv  map[string]string `yaml:"build_env"`
	Functions []Function        `yaml:"functions"`
}

// TTL is a Firestore TTL policy: documents of Collection are deleted once
// Field (a timestamp) has passed.
type TTL struct {
	Collection string `yaml:"collection"`
	Field      string `yaml:"field"`
}

// CustomRole is a project-level custom IAM role.
type CustomRole struct {
	ID          string   `yaml:"id" json:"id"`
	Title       string   `yaml:"title" json:"title"`
	Permissions []string `yaml:"permissions" json:"permissions"`
}

// Topic is a Pub/Sub topic.
type Topic struct {
	Name string `yaml:"name"`
}

// Bucket is a Cloud Storage bucket (named "<project>-<name>" when deployed).
type Bucket struct {
	Name          string `yaml:"name"`
	FinalizeTopic string `yaml:"finalize_topic"`
}

// Function is one deployable function.
type Function struct {
	Name        string   `yaml:"name"`
	Kind        string   `yaml:"kind"`
	Description string   `yaml:"description"`
	Routes      []string `yaml:"routes"`
	// PublicRoutes are the routes (among Routes) the function serves
	// without sign-in, because the request carries its own credential (a
	// signed one-click unsubscribe link); every other route answers 401
	// before it routes.
	PublicRoutes []string          `yaml:"public_routes"`
	Topic        string            `yaml:"topic"`
	Schedule     string            `yaml:"schedule"`
	Env          map[string]string `yaml:"env"`
	// Secrets maps an env var to a Secret Manager secret id.
	Secrets map[string]string `yaml:"secrets"`
	Memory  string            `yaml:"memory"`
	// CPU is the vCPU share per instance ("1", "0.583", …); Concurrency
	// the requests one instance serves at once (more than 1 needs CPU >= 1).
	CPU          string `yaml:"cpu"`
	Concurrency  int    `yaml:"concurrency"`
	Timeout      string `yaml:"timeout"`
	MaxInstances int    `yaml:"max_instances"`
	// Retry: event delivery is retried (with backoff) until acknowledged or
	// MaxDeliveryAttempts is reached, then the message goes to the dead-letter topic.
	Retry               bool `yaml:"retry"`
	MaxDeliveryAttempts int  `yaml:"max_delivery_attempts"`
	// Roles are project roles the function's service account needs beyond
	// the one every function gets (Firestore user): predefined roles
	// ("roles/…") or the id of one of the manifest's custom_roles.
	Roles []string `yaml:"roles"`
	// Publishes lists the topics the function publishes to; it may publish
	// to these only (roles/pubsub.publisher on each topic, nothing
	// project-wide), and gets <TOPIC>_TOPIC env vars naming them.
	Publishes []string `yaml:"publishes"`
	// Buckets are the manifest buckets whose objects the function reads and
	// writes (roles/storage.objectUser on each).
	Buckets []string `yaml:"buckets"`
	// SignsURLs: the function signs Cloud Storage URLs with its own service
	// account (IAM signBlob), so it may create tokens for itself.
	SignsURLs bool `yaml:"signs_urls"`
}

// TriggerTopic is the topic an event or scheduled function is pushed from.
func (f Function) TriggerTopic() string {
	if f.Kind == KindScheduled {
		return ScheduleTopic(f.Name)
	}
	return f.Topic
}

// DeadLetterTopic is where messages go after MaxDeliveryAttempts ("" if the
// function has no retry policy).
func (f Function) DeadLetterTopic() string {
	if f.Kind == KindHTTP || !f.Retry {
		return ""
	}
	return f.Name + "-dead-letter"
}

// SubscriptionName is the push subscription feeding f.
func (f Function) SubscriptionName() string { return f.Name + "-push" }

// ScheduleTopic is the topic Cloud Scheduler publishes to for a scheduled function.
func ScheduleTopic(name string) string { return "schedule-" + name }

// Load parses the embedded manifest and validates it.
func Load() (*Manifest, error) { return Parse(infra.FunctionsYAML) }

// Parse parses and validates manifest YAML.
func Parse(b []byte) (*Manifest, error) {
	var m Manifest
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

var (
	nameRe       = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}[a-z0-9]$`)
	customRoleRe = regexp.MustCompile(`^[a-zA-Z0-9_.]{3,64}$`)
)

// cpuBelowOne reports whether a cpu setting is a fraction of a vCPU (""
// is the platform's default for small memory sizes, also a fraction).
func cpuBelowOne(cpu string) bool {
	v, err := strconv.ParseFloat(cpu, 64)
	return err != nil || v < 1
}

// Validate reports every problem in the manifest: bad names, unknown kinds,
// missing triggers, unknown topics, bad durations and colliding routes.
func (m *Manifest) Validate() error {
	var errs []error
	topics := map[string]bool{}
	for _, t := range m.Topics {
		if !nameRe.MatchString(t.Name) || topics[t.Name] {
			errs = append(errs, fmt.Errorf("topic %q: bad or duplicate name", t.Name))
		}
		topics[t.Name] = true
	}
	for _, b := range m.Buckets {
		if b.FinalizeTopic != "" && !topics[b.FinalizeTopic] {
			errs = append(errs, fmt.Errorf("bucket %q: finalize_topic %q is not a declared topic", b.Name, b.FinalizeTopic))
		}
	}
	custom := map[string]bool{}
	for _, r := range m.CustomRoles {
		if !customRoleRe.MatchString(r.ID) || custom[r.ID] || len(r.Permissions) == 0 {
			errs = append(errs, fmt.Errorf("custom role %q: bad or duplicate id, or no permissions", r.ID))
		}
		custom[r.ID] = true
	}
	for _, t := range m.TTL {
		if t.Collection == "" || t.Field == "" {
			errs = append(errs, fmt.Errorf("ttl %+v: needs collection and field", t))
		}
	}
	names := map[string]bool{}
	for _, f := range m.Functions {
		if !nameRe.MatchString(f.Name) || names[f.Name] {
			errs = append(errs, fmt.Errorf("function %q: bad or duplicate name", f.Name))
		}
		names[f.Name] = true
		if f.Timeout != "" {
			if _, err := time.ParseDuration(f.Timeout); err != nil {
				errs = append(errs, fmt.Errorf("function %q: timeout: %v", f.Name, err))
			}
		}
		switch f.Kind {
		case KindHTTP:
			if len(f.Routes) == 0 {
				errs = append(errs, fmt.Errorf("function %q: an http function needs routes", f.Name))
			}
			for _, r := range f.PublicRoutes {
				if !slices.Contains(f.Routes, r) {
					errs = append(errs, fmt.Errorf("function %q: public route %q is not one of its routes", f.Name, r))
				}
			}
			for _, r := range f.Routes {
				if err := checkPattern(r); err != nil {
					errs = append(errs, fmt.Errorf("function %q: route %q: %v", f.Name, r, err))
				}
			}
		case KindEvent:
			if !topics[f.Topic] {
				errs = append(errs, fmt.Errorf("function %q: topic %q is not a declared topic", f.Name, f.Topic))
			}
		case KindScheduled:
			if len(strings.Fields(f.Schedule)) != 5 {
				errs = append(errs, fmt.Errorf("function %q: schedule %q is not a 5-field cron expression", f.Name, f.Schedule))
			}
		default:
			errs = append(errs, fmt.Errorf("function %q: unknown kind %q", f.Name, f.Kind))
		}
		for _, r := range f.Roles {
			if !strings.HasPrefix(r, "roles/") && !custom[r] {
				errs = append(errs, fmt.Errorf("function %q: role %q must start with roles/ or name a custom role", f.Name, r))
			}
			if r == "roles/pubsub.publisher" {
				errs = append(errs, fmt.Errorf("function %q: grant publishing per topic with publishes:, not a project role", f.Name))
			}
		}
		for _, t := range f.Publishes {
			if !topics[t] {
				errs = append(errs, fmt.Errorf("function %q: publishes to %q, which is not a declared topic", f.Name, t))
			}
		}
		if f.Concurrency < 0 || f.Concurrency > 1000 {
			errs = append(errs, fmt.Errorf("function %q: concurrency %d is outside 1..1000", f.Name, f.Concurrency))
		}
		if f.Concurrency > 1 && cpuBelowOne(f.CPU) {
			errs = append(errs, fmt.Errorf("function %q: concurrency above 1 needs cpu >= 1", f.Name))
		}
		for _, b := range f.Buckets {
			if !slices.ContainsFunc(m.Buckets, func(mb Bucket) bool { return mb.Name == b }) {
				errs = append(errs, fmt.Errorf("function %q: bucket %q is not a declared bucket", f.Name, b))
			}
		}
		if f.Retry && f.MaxDeliveryAttempts < 5 {
			// Pub/Sub's dead-letter policy needs at least 5 attempts.
			errs = append(errs, fmt.Errorf("function %q: retry needs max_delivery_attempts >= 5", f.Name))
		}
	}
	if m.DefaultBackend != "" {
		if f, ok := m.Function(m.DefaultBackend); !ok || f.Kind != KindHTTP {
			errs = append(errs, fmt.Errorf("default_backend %q is not an http function", m.DefaultBackend))
		}
	}
	errs = append(errs, m.routeCollisions()...)
	if len(errs) > 0 {
		return fmt.Errorf("manifest: %w", errors.Join(errs...))
	}
	return nil
}

// Function returns the named function.
func (m *Manifest) Function(name string) (Function, bool) {
	i := slices.IndexFunc(m.Functions, func(f Function) bool { return f.Name == name })
	if i < 0 {
		return Function{}, false
	}
	return m.Functions[i], true
}

// Route resolves a request path to the HTTP function that serves it: the
// function whose route matches, else the default backend (if any) — the
// same choice the load balancer's URL map makes in production.
func (m *Manifest) Route(path string) (string, bool) {
	segs := splitPath(path)
	for _, f := range m.Functions {
		for _, r := range f.Routes {
			if match(splitPath(r), segs) {
				return f.Name, true
			}
		}
	}
	return m.DefaultBackend, m.DefaultBackend != ""
}

func (m *Manifest) routeCollisions() []error {
	type route struct{ fn, pattern string }
	var all []route
	for _, f := range m.Functions {
		for _, r := range f.Routes {
			all = append(all, route{f.Name, r})
		}
	}
	var errs []error
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if overlap(splitPath(all[i].pattern), splitPath(all[j].pattern)) {
				errs = append(errs, fmt.Errorf("routes collide: %q (%s) and %q (%s)",
					all[i].pattern, all[i].fn, all[j].pattern, all[j].fn))
			}
		}
	}
	return errs
}

func checkPattern(p string) error {
	if !strings.HasPrefix(p, "/") {
		return errors.New("must start with /")
	}
	segs := splitPath(p)
	for i, s := range segs {
		switch {
		case s == "":
			return errors.New("empty path segment")
		case s == "**" && i != len(segs)-1:
			return errors.New(`"**" may only be the last segment`)
		case s != "*" && s != "**" && strings.Contains(s, "*"):
			return errors.New(`"*" must be a whole segment`)
		}
	}
	return nil
}

func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether path segments match a pattern's segments.
func match(pattern, path []string) bool {
	for i, p := range pattern {
		if p == "**" {
			return true
		}
		if i >= len(path) || path[i] == "" {
			return false
		}
		if p != "*" && p != path[i] {
			return false
		}
	}
	return len(path) == len(pattern)
}

// overlap reports whether some path matches both patterns.
func overlap(a, b []string) bool {
	for i := 0; ; i++ {
		aEnd, bEnd := i >= len(a), i >= len(b)
		switch {
		case !aEnd && a[i] == "**", !bEnd && b[i] == "**":
			return true
		case aEnd || bEnd:
			return aEnd && bEnd
		case a[i] != "*" && b[i] != "*" && a[i] != b[i]:
			return false
		}
	}
}

type routeKey struct{}

// WithRoute records the function chosen for a request (used by the gateway).
func WithRoute(ctx context.Context, fn string) context.Context {
	return context.WithValue(ctx, routeKey{}, fn)
}

// RouteFromContext returns the function recorded by WithRoute.
func RouteFromContext(ctx context.Context) (string, bool) {
	fn, ok := ctx.Value(routeKey{}).(string)
	return fn, ok
}
