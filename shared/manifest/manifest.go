// Package manifest reads infra/functions.yaml, the one list of deployable
// functions, and answers routing questions with the same table production's
// load balancer is built from.
package manifest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
	Runtime   string     `yaml:"runtime"`
	Region    string     `yaml:"region"`
	Topics    []Topic    `yaml:"topics"`
	Buckets   []Bucket   `yaml:"buckets"`
	Functions []Function `yaml:"functions"`
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
	// Default: this HTTP function also serves every path no route matches
	// (the load balancer's default backend). At most one function has it.
	Default  bool              `yaml:"default"`
	Topic    string            `yaml:"topic"`
	Schedule string            `yaml:"schedule"`
	Env      map[string]string `yaml:"env"`
	// Secrets maps an env var to a Secret Manager secret id.
	Secrets      map[string]string `yaml:"secrets"`
	Memory       string            `yaml:"memory"`
	Timeout      string            `yaml:"timeout"`
	MaxInstances int               `yaml:"max_instances"`
	// Retry: event delivery is retried (with backoff) until acknowledged or
	// MaxDeliveryAttempts is reached, then the message goes to the dead-letter topic.
	Retry               bool `yaml:"retry"`
	MaxDeliveryAttempts int  `yaml:"max_delivery_attempts"`
	// Roles are project roles the function's service account needs beyond
	// the defaults every function gets (Firestore user, Pub/Sub publisher).
	Roles []string `yaml:"roles"`
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

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}[a-z0-9]$`)

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
	names := map[string]bool{}
	var defaults []string
	for _, f := range m.Functions {
		if f.Default {
			defaults = append(defaults, f.Name)
			if f.Kind != KindHTTP {
				errs = append(errs, fmt.Errorf("function %q: only an http function can be the default", f.Name))
			}
		}
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
			if !strings.HasPrefix(r, "roles/") {
				errs = append(errs, fmt.Errorf("function %q: role %q must start with roles/", f.Name, r))
			}
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
	if len(defaults) > 1 {
		errs = append(errs, fmt.Errorf("more than one default function: %s", strings.Join(defaults, ", ")))
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
// function whose route matches, else the default function (if any).
func (m *Manifest) Route(path string) (string, bool) {
	segs := splitPath(path)
	def := ""
	for _, f := range m.Functions {
		for _, r := range f.Routes {
			if match(splitPath(r), segs) {
				return f.Name, true
			}
		}
		if f.Default {
			def = f.Name
		}
	}
	return def, def != ""
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
