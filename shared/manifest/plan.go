package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ProjectPlaceholder stands for the project id in derived names that
// contain it (bucket names, custom role names) in the committed plan file;
// Terraform substitutes var.project_id for it, the local stack derives with
// its real project id.
const ProjectPlaceholder = "{project}"

// Plan is everything deployed that the manifest implies, with every name
// already derived: infra/plan.json is Derive(m, ProjectPlaceholder), which
// Terraform reads as it is (jsondecode) and never re-derives; the local
// stack creates its topics, subscriptions and buckets from Derive(m, project).
// Maps are keyed by a stable id, so Terraform can for_each over them.
type Plan struct {
	Runtime string `json:"runtime"`
	Region  string `json:"region"`
	// Topics are every topic a function is triggered from or publishes to:
	// the manifest's and the schedule topics (dead-letter topics are in
	// DeadLetters).
	Topics []string `json:"topics"`
	// DeadLetters: one per function with retry, keyed by function.
	DeadLetters   map[string]DeadLetter   `json:"dead_letters"`
	Subscriptions map[string]Subscription `json:"subscriptions"`
	Schedules     map[string]Schedule     `json:"schedules"`
	Buckets       map[string]BucketPlan   `json:"buckets"`
	Functions     map[string]FunctionPlan `json:"functions"`
	// Routes of the public API, in manifest order (Priority from 1).
	Routes []RoutePlan `json:"routes"`
	// DefaultBackend is the HTTP function serving unrouted paths.
	DefaultBackend string `json:"default_backend"`
	// Secrets: Secret Manager secret id → the functions that read it.
	Secrets     map[string][]string   `json:"secrets"`
	CustomRoles map[string]CustomRole `json:"custom_roles"`
	// Grants are every IAM binding a function's service account gets, one
	// entry each, keyed; nothing else grants functions anything.
	ProjectGrants map[string]Grant `json:"project_grants"`
	TopicGrants   map[string]Grant `json:"topic_grants"`
	BucketGrants  map[string]Grant `json:"bucket_grants"`
	SecretGrants  map[string]Grant `json:"secret_grants"`
	// TTL: collection → timestamp field.
	TTL map[string]string `json:"ttl"`
	// BuildEnv is every function's build environment (the manifest's).
	BuildEnv map[string]string `json:"build_env"`
}

// DeadLetter is a dead-letter topic and the pull subscription that holds
// its messages for inspection.
type DeadLetter struct {
	Topic string `json:"topic"`
	Hold  string `json:"hold"`
}

// Subscription is the push subscription feeding an event or scheduled
// function.
type Subscription struct {
	Name     string `json:"name"`
	Function string `json:"function"`
	Topic    string `json:"topic"`
	// PushPath is appended to the function's URL (the path the
	// functions-framework expects for a Pub/Sub push: /projects/P/topics/T).
	PushPath           string `json:"push_path"`
	AckDeadlineSeconds int    `json:"ack_deadline_seconds"`
	// DeadLetterTopic is "" when the function does not retry.
	DeadLetterTopic     string `json:"dead_letter_topic"`
	MaxDeliveryAttempts int    `json:"max_delivery_attempts"`
}

// Schedule is a Cloud Scheduler job publishing Data to Topic on Cron (UTC).
type Schedule struct {
	Name  string `json:"name"`
	Cron  string `json:"cron"`
	Topic string `json:"topic"`
	Data  string `json:"data"`
}

// BucketPlan is a Cloud Storage bucket.
type BucketPlan struct {
	Name          string `json:"name"`
	EnvVar        string `json:"env_var"`
	FinalizeTopic string `json:"finalize_topic"`
}

// FunctionPlan is one deployed function.
type FunctionPlan struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	EntryPoint  string `json:"entry_point"`
	// ServiceAccountID is the function's own service account (6–30 chars).
	ServiceAccountID string `json:"service_account_id"`
	Memory           string `json:"memory"`
	CPU              string `json:"cpu"`
	Concurrency      int    `json:"concurrency"`
	TimeoutSeconds   int    `json:"timeout_seconds"`
	MaxInstances     int    `json:"max_instances"`
	// Env is the function's own environment (buckets it uses, topics it
	// publishes to, manifest env); deployment-wide settings are added by
	// the deployment.
	Env map[string]string `json:"env"`
	// Secrets: env var → secret id.
	Secrets map[string]string `json:"secrets"`
	// Subscription is the push subscription feeding it ("" for HTTP).
	Subscription string `json:"subscription"`
	// SignsURLs: the function signs Cloud Storage URLs with its own
	// service account (token creator on that one account, nothing wider).
	SignsURLs bool `json:"signs_urls"`
	// NEG and Backend are the load balancer's pieces for an HTTP function.
	NEG     string `json:"neg"`
	Backend string `json:"backend"`
}

// RoutePlan is one route rule of the public API.
type RoutePlan struct {
	Priority int    `json:"priority"`
	Path     string `json:"path"`
	Function string `json:"function"`
}

// Grant is one IAM binding for a function's service account: Role on
// Resource (a topic, bucket or secret key of the plan; "" for the project).
// Custom is set when Role is one of the plan's custom roles.
type Grant struct {
	Function string `json:"function"`
	Role     string `json:"role"`
	Custom   string `json:"custom"`
	Resource string `json:"resource"`
}

// Defaults for manifest fields left out.
const (
	DefaultMemory       = "256Mi"
	DefaultTimeout      = time.Minute
	DefaultMaxInstances = 10
	// FirestoreRole is the one role every function gets.
	FirestoreRole = "roles/datastore.user"
	// PublisherRole is granted per topic, to publishers only.
	PublisherRole = "roles/pubsub.publisher"
	// BucketRole is granted per bucket, to the functions naming it.
	BucketRole = "roles/storage.objectUser"
	// SecretRole is granted per secret, to the functions naming it.
	SecretRole = "roles/secretmanager.secretAccessor"
)

// ServiceAccountID is function name's service account id: "sc-fn-<name>",
// or, where that is longer than the 30 characters Google allows, a prefix
// of it ending in a hash of the whole name (still unique, still 6–30
// characters, still starting with a letter).
func ServiceAccountID(name string) string {
	id := "sc-fn-" + name
	if len(id) <= 30 {
		return id
	}
	sum := sha256.Sum256([]byte(name))
	return strings.TrimRight(id[:30-7], "-") + "-" + hex.EncodeToString(sum[:])[:6]
}

// BucketName is a manifest bucket's real name: "<project>-<name>".
func BucketName(project, name string) string { return project + "-" + name }

// EnvVar turns a manifest name into an env var stem: "case-events" → "CASE_EVENTS".
func EnvVar(name string) string { return strings.ToUpper(strings.ReplaceAll(name, "-", "_")) }

// BucketEnvVar names the env var carrying a bucket's real name:
// "attachments" → ATTACHMENTS_BUCKET.
func BucketEnvVar(name string) string { return EnvVar(name) + "_BUCKET" }

// TopicEnvVar names the env var carrying a topic a function publishes to:
// "membership-events" → MEMBERSHIP_EVENTS_TOPIC.
func TopicEnvVar(name string) string { return EnvVar(name) + "_TOPIC" }

// DeadLetterHold names the pull subscription holding a dead-letter topic's messages.
func DeadLetterHold(deadLetterTopic string) string { return deadLetterTopic + "-hold" }

// PushPath is the path under a function's URL that Pub/Sub pushes to.
func PushPath(project, topic string) string { return "/projects/" + project + "/topics/" + topic }

// JobData is what Cloud Scheduler publishes for scheduled function name.
func JobData(name string) string { return `{"job":"` + name + `"}` }

// TimeoutSeconds is f's timeout (DefaultTimeout when unset).
func (f Function) TimeoutSeconds() int {
	d, err := time.ParseDuration(f.Timeout)
	if err != nil || d <= 0 {
		d = DefaultTimeout
	}
	return int(d / time.Second)
}

// AckDeadlineSeconds is the push timeout: the function's timeout, within
// Pub/Sub's 10–600 s.
func (f Function) AckDeadlineSeconds() int { return min(max(f.TimeoutSeconds(), 10), 600) }

// Derive computes the plan for project (ProjectPlaceholder for the
// committed, project-independent file).
func Derive(m *Manifest, project string) *Plan {
	p := &Plan{
		Runtime: m.Runtime, Region: m.Region, DefaultBackend: m.DefaultBackend,
		DeadLetters: map[string]DeadLetter{}, Subscriptions: map[string]Subscription{},
		Schedules: map[string]Schedule{}, Buckets: map[string]BucketPlan{},
		Functions: map[string]FunctionPlan{}, Secrets: map[string][]string{},
		CustomRoles: map[string]CustomRole{}, ProjectGrants: map[string]Grant{},
		TopicGrants: map[string]Grant{}, BucketGrants: map[string]Grant{},
		SecretGrants: map[string]Grant{}, TTL: map[string]string{},
		Routes: []RoutePlan{}, BuildEnv: map[string]string{},
	}
	maps.Copy(p.BuildEnv, m.BuildEnv)
	addTopic := func(t string) {
		if !slices.Contains(p.Topics, t) {
			p.Topics = append(p.Topics, t)
		}
	}
	for _, t := range m.Topics {
		addTopic(t.Name)
	}
	for _, b := range m.Buckets {
		p.Buckets[b.Name] = BucketPlan{Name: BucketName(project, b.Name), EnvVar: BucketEnvVar(b.Name), FinalizeTopic: b.FinalizeTopic}
	}
	for _, r := range m.CustomRoles {
		p.CustomRoles[r.ID] = r
	}
	for _, t := range m.TTL {
		p.TTL[t.Collection] = t.Field
	}
	if p.DefaultBackend == "" {
		if i := slices.IndexFunc(m.Functions, func(f Function) bool { return f.Kind == KindHTTP }); i >= 0 {
			p.DefaultBackend = m.Functions[i].Name
		}
	}
	for _, f := range m.Functions {
		fp := FunctionPlan{
			Name: f.Name, Kind: f.Kind, Description: f.Description, EntryPoint: f.Name,
			ServiceAccountID: ServiceAccountID(f.Name),
			Memory:           cmpOr(f.Memory, DefaultMemory), CPU: f.CPU,
			Concurrency: max(f.Concurrency, 1), TimeoutSeconds: f.TimeoutSeconds(),
			MaxInstances: cmpOrInt(f.MaxInstances, DefaultMaxInstances),
			Env:          map[string]string{}, Secrets: map[string]string{},
			SignsURLs: f.SignsURLs,
		}
		for k, v := range f.Env {
			fp.Env[k] = v
		}
		grant := func(into map[string]Grant, role, custom, resource string) {
			key := f.Name + "/" + cmpOr(custom, role)
			if resource != "" {
				key += "/" + resource
			}
			into[key] = Grant{Function: f.Name, Role: role, Custom: custom, Resource: resource}
		}
		grant(p.ProjectGrants, FirestoreRole, "", "")
		for _, r := range f.Roles {
			if strings.HasPrefix(r, "roles/") {
				grant(p.ProjectGrants, r, "", "")
			} else {
				grant(p.ProjectGrants, "projects/"+project+"/roles/"+r, r, "")
			}
		}
		for _, t := range f.Publishes {
			addTopic(t)
			fp.Env[TopicEnvVar(t)] = t
			grant(p.TopicGrants, PublisherRole, "", t)
		}
		for _, b := range f.Buckets {
			fp.Env[BucketEnvVar(b)] = BucketName(project, b)
			grant(p.BucketGrants, BucketRole, "", b)
		}
		for env, secret := range f.Secrets {
			fp.Secrets[env] = secret
			p.Secrets[secret] = append(p.Secrets[secret], f.Name)
			grant(p.SecretGrants, SecretRole, "", secret)
		}
		switch f.Kind {
		case KindHTTP:
			fp.NEG, fp.Backend = "sc-neg-"+f.Name, "sc-be-"+f.Name
			for _, r := range f.Routes {
				p.Routes = append(p.Routes, RoutePlan{Priority: len(p.Routes) + 1, Path: r, Function: f.Name})
			}
		case KindEvent, KindScheduled:
			topic := f.TriggerTopic()
			addTopic(topic)
			s := Subscription{
				Name: f.SubscriptionName(), Function: f.Name, Topic: topic,
				PushPath: PushPath(project, topic), AckDeadlineSeconds: f.AckDeadlineSeconds(),
			}
			if dl := f.DeadLetterTopic(); dl != "" {
				s.DeadLetterTopic, s.MaxDeliveryAttempts = dl, f.MaxDeliveryAttempts
				p.DeadLetters[f.Name] = DeadLetter{Topic: dl, Hold: DeadLetterHold(dl)}
			}
			p.Subscriptions[f.Name] = s
			fp.Subscription = s.Name
			if f.Kind == KindScheduled {
				p.Schedules[f.Name] = Schedule{Name: f.Name, Cron: f.Schedule, Topic: topic, Data: JobData(f.Name)}
			}
		}
		p.Functions[f.Name] = fp
	}
	for _, users := range p.Secrets {
		slices.Sort(users)
	}
	return p
}

func cmpOr(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

func cmpOrInt(v, def int) int {
	if v != 0 {
		return v
	}
	return def
}

// Google's limits on the names the plan derives.
var (
	serviceAccountRe = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])$`)
	pubsubNameRe     = regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9._~+%]{2,254}$`)
	bucketRe         = regexp.MustCompile(`^[a-z0-9][-a-z0-9_.]{1,61}[a-z0-9]$`)
	// Cloud Run service (and so gen2 function) names: at most 49 characters.
	functionRe = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$`)
	// Compute resource names (NEGs, backend services): RFC 1035, ≤ 63.
	computeRe = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)
)

// MaxProjectIDLen is the longest Google Cloud project id; names containing
// the project are checked with one this long.
const MaxProjectIDLen = 30

// CheckLimits reports every derived name that Google would refuse, for
// the longest possible project id. Parse does not call it on its own:
// Derive's callers (the plan generator and its test) do.
func (p *Plan) CheckLimits() error {
	var errs []error
	check := func(kind, name string, re *regexp.Regexp) {
		name = strings.ReplaceAll(name, ProjectPlaceholder, "p"+strings.Repeat("x", MaxProjectIDLen-1))
		if !re.MatchString(name) {
			errs = append(errs, fmt.Errorf("%s name %q breaks Google's naming limits", kind, name))
		}
	}
	for _, t := range p.Topics {
		check("topic", t, pubsubNameRe)
	}
	for _, d := range p.DeadLetters {
		check("topic", d.Topic, pubsubNameRe)
		check("subscription", d.Hold, pubsubNameRe)
	}
	for _, s := range p.Subscriptions {
		check("subscription", s.Name, pubsubNameRe)
	}
	for _, b := range p.Buckets {
		check("bucket", b.Name, bucketRe)
	}
	ids := map[string]string{}
	for name, f := range p.Functions {
		check("function", f.Name, functionRe)
		check("service account", f.ServiceAccountID, serviceAccountRe)
		if n := len(f.ServiceAccountID); n < 6 || n > 30 {
			errs = append(errs, fmt.Errorf("service account id %q has %d characters, not 6–30", f.ServiceAccountID, n))
		}
		if other, dup := ids[f.ServiceAccountID]; dup {
			errs = append(errs, fmt.Errorf("functions %q and %q derive the same service account id", other, name))
		}
		ids[f.ServiceAccountID] = name
		if f.Kind == KindHTTP {
			check("network endpoint group", f.NEG, computeRe)
			check("backend service", f.Backend, computeRe)
		}
	}
	return errors.Join(errs...)
}
