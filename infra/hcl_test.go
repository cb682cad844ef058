package infra_test

// The production-only controls, proven over the Terraform itself: this
// file parses infra/*.tf with hashicorp/hcl (as Terraform does) beside the
// manifest and its derived plan, and asserts what a deployment must hold
// for every manifest name. It needs no provider, network or terraform
// binary; the formatting check uses the same formatter as terraform fmt.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/supportcenter/supportcenter/shared/manifest"
)

// config is infra/*.tf, parsed.
type config struct {
	src    map[string][]byte // file name → bytes
	blocks []*hclsyntax.Block
}

func load(t *testing.T) *config {
	t.Helper()
	files, err := filepath.Glob("*.tf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no .tf files: %v", err)
	}
	p := hclparse.NewParser()
	c := &config{src: map[string][]byte{}}
	for _, name := range files {
		f, diags := p.ParseHCLFile(name)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		c.src[name] = f.Bytes
		c.blocks = append(c.blocks, f.Body.(*hclsyntax.Body).Blocks...)
	}
	return c
}

// all returns the top-level blocks of kind ("resource", "data") and type.
func (c *config) all(kind, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range c.blocks {
		if b.Type == kind && (typ == "" || len(b.Labels) > 0 && b.Labels[0] == typ) {
			out = append(out, b)
		}
	}
	return out
}

func (c *config) resource(t *testing.T, typ, name string) *hclsyntax.Block {
	t.Helper()
	for _, b := range c.all("resource", typ) {
		if b.Labels[1] == name {
			return b
		}
	}
	t.Fatalf("resource %s.%s not found", typ, name)
	return nil
}

// text is an expression's source.
func (c *config) text(e hclsyntax.Expression) string {
	r := e.Range()
	return string(r.SliceBytes(c.src[r.Filename]))
}

func name(b *hclsyntax.Block) string { return strings.Join(b.Labels, ".") }

// children are b's nested blocks of type typ.
func children(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// attr follows nested block types down to an attribute: attr(b, "push_config", "oidc_token", "audience").
func attr(b *hclsyntax.Block, path ...string) *hclsyntax.Attribute {
	for _, typ := range path[:len(path)-1] {
		cs := children(b, typ)
		if len(cs) == 0 {
			return nil
		}
		b = cs[0]
	}
	return b.Body.Attributes[path[len(path)-1]]
}

// literal is an attribute's constant value (cty.NilVal if absent or not constant).
func literal(a *hclsyntax.Attribute) cty.Value {
	if a == nil {
		return cty.NilVal
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal
	}
	return v
}

func literalString(a *hclsyntax.Attribute) string {
	v := literal(a)
	if v == cty.NilVal || !v.Type().Equals(cty.String) || v.IsNull() {
		return ""
	}
	return v.AsString()
}

// refs are the references an expression makes, as "a.b.c" (indexes left out).
func refs(e hclsyntax.Expression) []string {
	var out []string
	for _, tr := range e.Variables() {
		parts := []string{tr.RootName()}
		for _, step := range tr[1:] {
			if a, ok := step.(hcl.TraverseAttr); ok {
				parts = append(parts, a.Name)
			}
		}
		out = append(out, strings.Join(parts, "."))
	}
	return out
}

func refersTo(a *hclsyntax.Attribute, prefix string) bool {
	if a == nil {
		return false
	}
	return slices.ContainsFunc(refs(a.Expr), func(r string) bool { return strings.HasPrefix(r, prefix) })
}

// eval evaluates an attribute for one for_each element (each.key, each.value).
func eval(t *testing.T, a *hclsyntax.Attribute, key string, value any) cty.Value {
	t.Helper()
	b, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	ty, err := ctyjson.ImpliedType(b)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ctyjson.Unmarshal(b, ty)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(key), "value": v}),
	}}
	out, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", a.Name, diags)
	}
	return out
}

func plan(t *testing.T) (*manifest.Manifest, *manifest.Plan) {
	t.Helper()
	m, err := manifest.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The plan Terraform reads is the committed file; infra/gen's test
	// keeps it equal to this derivation.
	b, err := os.ReadFile("plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var p manifest.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return m, &p
}

// Every name deployed is within Google's limits, for every manifest name
// and the longest project id, and Terraform takes those names from the plan.
func TestNamesWithinLimitsAndFromPlan(t *testing.T) {
	t.Parallel()
	c := load(t)
	_, p := plan(t)
	if err := p.CheckLimits(); err != nil {
		t.Error(err)
	}
	for _, f := range p.Functions {
		if id := f.ServiceAccountID; len(id) < 6 || len(id) > 30 {
			t.Errorf("%s: service account id %q is not 6–30 characters", f.Name, id)
		}
	}
	accountRe := regexp.MustCompile(`^[a-z][-a-z0-9]{4,28}[a-z0-9]$`)
	for _, sa := range c.all("resource", "google_service_account") {
		a := attr(sa, "account_id")
		if s := literalString(a); s != "" && !accountRe.MatchString(s) {
			t.Errorf("%s: account_id %q is not a valid 6–30 character id", name(sa), s)
		} else if s == "" && c.text(a.Expr) != "each.value.service_account_id" {
			t.Errorf("%s: account_id = %s, want a literal or the plan's service_account_id", name(sa), c.text(a.Expr))
		}
	}
	want := map[string]string{
		"google_pubsub_subscription.push":                 "each.value.name",
		"google_pubsub_subscription.dead_letter_hold":     "each.value.hold",
		"google_pubsub_topic.dead_letter":                 "each.value.topic",
		"google_storage_bucket.buckets":                   "local.bucket_names[each.key]",
		"google_compute_region_network_endpoint_group.fn": "each.value.neg",
		"google_compute_backend_service.fn":               "each.value.backend",
		"google_cloud_scheduler_job.jobs":                 "each.value.name",
	}
	for res, expr := range want {
		typ, n, _ := strings.Cut(res, ".")
		if got := c.text(attr(c.resource(t, typ, n), "name").Expr); got != expr {
			t.Errorf("%s name = %s, want %s (from plan.json)", res, got, expr)
		}
	}
	// No name rule is spelled again in Terraform.
	derived := regexp.MustCompile(`-push|-dead-letter|-hold|schedule-|fn-\$|_BUCKET|_TOPIC`)
	for file, src := range c.src {
		if loc := derived.FindIndex(src); loc != nil {
			t.Errorf("%s re-derives a manifest name near %q: take it from plan.json", file, src[max(0, loc[0]-30):loc[1]])
		}
	}
	if got := c.text(attr(c.resource(t, "google_compute_url_map", "api"), "default_service").Expr); !strings.Contains(got, "local.plan.default_backend") {
		t.Errorf("url map default_service = %s, want the plan's default_backend", got)
	}
	if got := c.text(c.resource(t, "google_firestore_field", "ttl").Body.Attributes["for_each"].Expr); got != "local.plan.ttl" {
		t.Errorf("TTL policies for_each = %s, want local.plan.ttl", got)
	}
}

// Every API used is enabled, and every resource waits for the enablement.
func TestAPIsEnabledFirst(t *testing.T) {
	t.Parallel()
	c := load(t)
	apis := c.resource(t, "google_project_service", "apis")
	enabled := map[string]bool{}
	hclsyntax.VisitAll(apis.Body.Attributes["for_each"].Expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if e, ok := n.(*hclsyntax.TemplateExpr); ok && e.IsStringLiteral() {
			v, _ := e.Value(nil)
			enabled[v.AsString()] = true
		}
		return nil
	})
	for _, api := range []string{"cloudfunctions", "run", "cloudbuild", "artifactregistry", "firestore", "pubsub",
		"cloudscheduler", "secretmanager", "compute", "identitytoolkit", "iamcredentials", "storage",
		"firebaserules", "iam", "cloudresourcemanager", "monitoring", "logging", "billingbudgets", "apikeys", "securetoken"} {
		if !enabled[api+".googleapis.com"] {
			t.Errorf("API %s.googleapis.com is not enabled", api)
		}
	}
	for _, b := range append(c.all("resource", ""), c.all("data", "")...) {
		if b.Labels[0] == "google_project_service" || b.Labels[0] == "archive_file" {
			continue
		}
		if !refersTo(b.Body.Attributes["depends_on"], "google_project_service.apis") {
			t.Errorf("%s %s does not depend on google_project_service.apis", b.Type, name(b))
		}
	}
}

// Functions reference their secrets as resources and start only after
// the accessor binding and a version exist.
func TestSecretOrdering(t *testing.T) {
	t.Parallel()
	c := load(t)
	fn := c.resource(t, "google_cloudfunctions2_function", "fn")
	deps := fn.Body.Attributes["depends_on"]
	for _, want := range []string{"google_secret_manager_secret_iam_member.access", "google_secret_manager_secret_version.initial"} {
		if !refersTo(deps, want) {
			t.Errorf("functions do not depend on %s", want)
		}
	}
	sev := children(children(fn, "service_config")[0], "dynamic")
	i := slices.IndexFunc(sev, func(b *hclsyntax.Block) bool { return b.Labels[0] == "secret_environment_variables" })
	if i < 0 {
		t.Fatal("functions set no secret environment variables")
	}
	if s := attr(sev[i], "content", "secret"); !refersTo(s, "google_secret_manager_secret.secrets") {
		t.Errorf("secret env var names its secret as a plain string, not the resource")
	}
	if fe := c.text(c.resource(t, "google_secret_manager_secret_version", "initial").Body.Attributes["for_each"].Expr); fe != "local.plan.secrets" {
		t.Errorf("secret versions for_each = %s, want every plan secret", fe)
	}
}

// No subscription expires when idle, and every push carries an OIDC token
// of the pusher account with the function's URL as audience.
func TestSubscriptions(t *testing.T) {
	t.Parallel()
	c := load(t)
	for _, s := range c.all("resource", "google_pubsub_subscription") {
		ttl := attr(s, "expiration_policy", "ttl")
		if ttl == nil || literalString(ttl) != "" || literal(ttl) == cty.NilVal {
			t.Errorf("%s: no expiration_policy { ttl = \"\" }: it expires after 31 idle days", name(s))
		}
	}
	push := c.resource(t, "google_pubsub_subscription", "push")
	if a := attr(push, "push_config", "oidc_token", "audience"); !refersTo(a, "google_cloudfunctions2_function.fn") {
		t.Error("push subscriptions set no OIDC audience (the function's URL)")
	}
	if a := attr(push, "push_config", "oidc_token", "service_account_email"); !refersTo(a, "google_service_account.pusher") {
		t.Error("push subscriptions do not push as the pusher account")
	}
	dl := children(push, "dynamic")
	if len(dl) != 1 || dl[0].Labels[0] != "dead_letter_policy" {
		t.Error("push subscriptions have no dead-letter policy")
	}
	_, p := plan(t)
	for _, f := range p.Functions {
		if f.Kind == manifest.KindHTTP {
			continue
		}
		s := p.Subscriptions[f.Name]
		if s.DeadLetterTopic == "" || s.MaxDeliveryAttempts < 5 {
			t.Errorf("%s: no dead-letter topic; a persistent fault would redeliver for 7 days", f.Name)
		}
	}
}

// Grants are scoped: publishing per topic and only for publishers, token
// creation only on the pusher account (and a signer's own account), each
// function's account holds exactly its manifest roles, secrets are
// readable only by the functions naming them, no Firebase Auth admin.
func TestScopedGrants(t *testing.T) {
	t.Parallel()
	c := load(t)
	m, p := plan(t)
	for _, kind := range []string{"google_project_iam_member", "google_project_iam_binding", "google_project_iam_policy"} {
		for _, b := range c.all("resource", kind) {
			role := c.text(attr(b, "role").Expr)
			for _, bad := range []string{"pubsub.publisher", "serviceAccountTokenCreator", "secretAccessor", "firebaseauth.admin", "roles/owner", "roles/editor"} {
				if strings.Contains(role, bad) {
					t.Errorf("%s grants %s project-wide", name(b), role)
				}
			}
		}
	}
	for _, b := range c.all("resource", "google_service_account_iam_member") {
		if !strings.Contains(c.text(attr(b, "role").Expr), "serviceAccountTokenCreator") {
			continue
		}
		on := attr(b, "service_account_id")
		switch {
		case refersTo(on, "google_service_account.pusher"):
		case refersTo(on, "google_service_account.fn") && strings.Contains(c.text(b.Body.Attributes["for_each"].Expr), "signs_urls"):
		default:
			t.Errorf("%s lets someone mint tokens for %s", name(b), c.text(on.Expr))
		}
	}
	// Every binding to a function's account iterates one of the plan's
	// grant lists (or signs_urls): no other path gives a function a role.
	grantLists := map[string]bool{"local.plan.topic_grants": true, "local.plan.bucket_grants": true, "local.plan.secret_grants": true}
	for _, b := range c.all("resource", "") {
		if !strings.HasSuffix(b.Labels[0], "_iam_member") || !refersTo(b.Body.Attributes["member"], "google_service_account.fn") {
			continue
		}
		fe := c.text(b.Body.Attributes["for_each"].Expr)
		if !grantLists[fe] && !strings.Contains(fe, "local.plan.project_grants") && !strings.Contains(fe, "signs_urls") {
			t.Errorf("%s grants function accounts something outside plan.json's grants (for_each %s)", name(b), fe)
		}
	}
	if fe := c.text(c.resource(t, "google_pubsub_topic_iam_member", "fn_publish").Body.Attributes["for_each"].Expr); fe != "local.plan.topic_grants" {
		t.Errorf("publisher grants for_each = %s", fe)
	}
	for _, f := range m.Functions {
		// Project roles: Firestore plus exactly the manifest's.
		var got, want []string
		for _, g := range p.ProjectGrants {
			if g.Function == f.Name {
				got = append(got, cmp(g.Custom, g.Role))
			}
		}
		want = append([]string{manifest.FirestoreRole}, f.Roles...)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: project roles %v, manifest gives %v", f.Name, got, want)
		}
		for _, r := range f.Roles {
			if r == "roles/firebaseauth.admin" {
				t.Errorf("%s: firebaseauth.admin; use a narrower custom role", f.Name)
			}
		}
		// Topics it may publish to: exactly its publishes.
		got = nil
		for _, g := range p.TopicGrants {
			if g.Function == f.Name {
				got = append(got, g.Resource)
			}
		}
		sort.Strings(got)
		want = slices.Sorted(slices.Values(f.Publishes))
		if !slices.Equal(got, want) {
			t.Errorf("%s: publisher on %v, manifest publishes %v", f.Name, got, want)
		}
		// Buckets whose objects it may use: exactly the ones it names.
		got = nil
		for _, g := range p.BucketGrants {
			if g.Function == f.Name {
				got = append(got, g.Resource)
			}
		}
		sort.Strings(got)
		want = slices.Sorted(slices.Values(f.Buckets))
		if !slices.Equal(got, want) {
			t.Errorf("%s: object access on %v, manifest names %v", f.Name, got, want)
		}
		// Secrets it may read: exactly the ones it names.
		got, want = nil, nil
		for _, g := range p.SecretGrants {
			if g.Function == f.Name {
				got = append(got, g.Resource)
			}
		}
		for _, s := range f.Secrets {
			want = append(want, s)
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: reads secrets %v, manifest names %v", f.Name, got, want)
		}
	}
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Event and scheduled functions are invokable only by the pusher account
// and only from inside the project; HTTP functions take traffic only
// through the load balancer.
func TestInvokersAndIngress(t *testing.T) {
	t.Parallel()
	c := load(t)
	_, p := plan(t)
	for _, b := range c.all("resource", "") {
		typ := b.Labels[0]
		if !strings.Contains(typ, "cloud_run") && !strings.Contains(typ, "cloudfunctions") || !strings.Contains(typ, "iam") {
			continue
		}
		member := c.text(attr(b, "member").Expr)
		fe := c.text(b.Body.Attributes["for_each"].Expr)
		public := strings.Contains(member, "allUsers") || strings.Contains(member, "allAuthenticatedUsers")
		switch {
		case public && fe != "local.http_functions":
			t.Errorf("%s makes non-HTTP functions public (for_each %s)", name(b), fe)
		case !public && fe == "local.event_functions" && !refersTo(attr(b, "member"), "google_service_account.pusher"):
			t.Errorf("%s lets %s invoke event functions", name(b), member)
		}
	}
	if !refersTo(attr(c.resource(t, "google_cloud_run_service_iam_member", "push_invoker"), "member"), "google_service_account.pusher") {
		t.Error("event functions are not invokable by the pusher account")
	}
	ingress := attr(c.resource(t, "google_cloudfunctions2_function", "fn"), "service_config", "ingress_settings")
	for _, f := range p.Functions {
		want := "ALLOW_INTERNAL_ONLY"
		if f.Kind == manifest.KindHTTP {
			want = "ALLOW_INTERNAL_AND_GCLB"
		}
		if got := eval(t, ingress, f.Name, f); got.AsString() != want {
			t.Errorf("%s: ingress %s, want %s", f.Name, got.AsString(), want)
		}
	}
	for _, typ := range []string{"local.http_functions", "local.event_functions"} {
		found := false
		for _, b := range c.all("resource", "google_cloud_run_service_iam_member") {
			found = found || c.text(b.Body.Attributes["for_each"].Expr) == typ
		}
		if !found {
			t.Errorf("no invoker binding for %s", typ)
		}
	}
}

// The public origin: TLS 1.2 or later, Cloud Armor rate-limiting each
// client, logged backends, and HTTP redirected to HTTPS.
func TestLoadBalancerHardening(t *testing.T) {
	t.Parallel()
	c := load(t)
	ssl := c.resource(t, "google_compute_ssl_policy", "api")
	if literalString(attr(ssl, "min_tls_version")) != "TLS_1_2" {
		t.Error("SSL policy allows TLS below 1.2")
	}
	if !refersTo(attr(c.resource(t, "google_compute_target_https_proxy", "api"), "ssl_policy"), "google_compute_ssl_policy.api") {
		t.Error("the HTTPS proxy has no SSL policy")
	}
	armor := c.resource(t, "google_compute_security_policy", "api")
	limited := false
	for _, r := range children(armor, "rule") {
		if literalString(attr(r, "action")) == "throttle" &&
			literalString(attr(r, "rate_limit_options", "enforce_on_key")) == "IP" &&
			literalString(attr(r, "rate_limit_options", "exceed_action")) == "deny(429)" &&
			attr(r, "rate_limit_options", "rate_limit_threshold", "count") != nil {
			limited = true
		}
	}
	if !limited {
		t.Error("Cloud Armor has no per-client (IP) rate limit answering 429")
	}
	for _, be := range c.all("resource", "google_compute_backend_service") {
		if !refersTo(attr(be, "security_policy"), "google_compute_security_policy.api") {
			t.Errorf("%s: no Cloud Armor policy", name(be))
		}
		if v := literal(attr(be, "log_config", "enable")); v == cty.NilVal || !v.True() {
			t.Errorf("%s: request logging off", name(be))
		}
	}
	redirect := false
	for _, um := range c.all("resource", "google_compute_url_map") {
		if v := literal(attr(um, "default_url_redirect", "https_redirect")); v != cty.NilVal && v.True() {
			redirect = true
		}
	}
	port80 := false
	for _, fr := range c.all("resource", "google_compute_global_forwarding_rule") {
		if literalString(attr(fr, "port_range")) == "80" {
			port80 = refersTo(attr(fr, "target"), "google_compute_target_http_proxy")
		}
	}
	if !redirect || !port80 {
		t.Errorf("HTTP is not redirected to HTTPS (redirect map %v, port 80 rule %v)", redirect, port80)
	}
}

// Buckets are private with uniform access, and the data bucket accepts the
// portal's chunked browser uploads.
func TestBuckets(t *testing.T) {
	t.Parallel()
	c := load(t)
	for _, b := range c.all("resource", "google_storage_bucket") {
		if v := literal(attr(b, "uniform_bucket_level_access")); v == cty.NilVal || !v.True() {
			t.Errorf("%s: no uniform bucket-level access", name(b))
		}
		if literalString(attr(b, "public_access_prevention")) != "enforced" {
			t.Errorf("%s: public access not prevented", name(b))
		}
	}
	for _, b := range c.all("resource", "") {
		if strings.Contains(b.Labels[0], "storage_bucket") && strings.Contains(b.Labels[0], "iam") {
			if m := c.text(attr(b, "member").Expr); strings.Contains(m, "allUsers") || strings.Contains(m, "allAuthenticatedUsers") {
				t.Errorf("%s makes a bucket public", name(b))
			}
		}
	}
	headers := c.text(attr(c.resource(t, "google_storage_bucket", "buckets"), "cors", "response_header").Expr)
	for _, h := range []string{"Content-Range", "Range", "X-Goog-Resumable", "Location", "Content-Type"} {
		if !strings.Contains(headers, `"`+h+`"`) {
			t.Errorf("bucket CORS lacks %s, which chunked browser uploads need", h)
		}
	}
}

// Firestore rules deny every client.
func TestFirestoreRulesDenyAll(t *testing.T) {
	t.Parallel()
	c := load(t)
	rules, err := os.ReadFile("firestore.rules")
	if err != nil {
		t.Fatal(err)
	}
	allows := regexp.MustCompile(`(?m)^\s*allow .*$`).FindAllString(string(rules), -1)
	if len(allows) != 1 || strings.TrimSpace(allows[0]) != "allow read, write: if false;" ||
		!strings.Contains(string(rules), "match /{document=**}") {
		t.Errorf("firestore.rules does not deny everything: %q", allows)
	}
	rs := c.resource(t, "google_firebaserules_ruleset", "deny_all")
	if got := c.text(attr(rs, "source", "files", "content").Expr); !strings.Contains(got, "firestore.rules") {
		t.Errorf("the ruleset deploys %s, not firestore.rules", got)
	}
	if !refersTo(attr(c.resource(t, "google_firebaserules_release", "firestore"), "ruleset_name"), "google_firebaserules_ruleset.deny_all") {
		t.Error("the deny-all ruleset is not released")
	}
}

// State in a GCS backend, providers pinned with ~>, operable settings
// (Identity Platform, PITR and backups, alerts, dashboard, budget) as code.
func TestBackendPinsAndOperations(t *testing.T) {
	t.Parallel()
	c := load(t)
	tfs := c.all("terraform", "")
	if len(tfs) != 1 {
		t.Fatalf("%d terraform blocks", len(tfs))
	}
	if be := children(tfs[0], "backend"); len(be) != 1 || be[0].Labels[0] != "gcs" {
		t.Error("no GCS state backend")
	}
	rp := children(tfs[0], "required_providers")
	if len(rp) != 1 {
		t.Fatal("no required_providers")
	}
	for n, a := range rp[0].Body.Attributes {
		v := literal(a)
		if v == cty.NilVal || !strings.HasPrefix(v.GetAttr("version").AsString(), "~>") {
			t.Errorf("provider %s is not pinned with ~>", n)
		}
	}
	db := c.resource(t, "google_firestore_database", "default")
	if literalString(attr(db, "point_in_time_recovery_enablement")) != "POINT_IN_TIME_RECOVERY_ENABLED" {
		t.Error("Firestore point-in-time recovery is off")
	}
	c.resource(t, "google_firestore_backup_schedule", "daily")
	idp := c.resource(t, "google_identity_platform_config", "auth")
	if v := literal(attr(idp, "sign_in", "email", "enabled")); v == cty.NilVal || !v.True() {
		t.Error("Identity Platform e-mail sign-in is off")
	}
	if !refersTo(attr(idp, "authorized_domains"), "local.portal_host") {
		t.Error("sign-in links are not authorized for the portal's domain")
	}
	for _, a := range []string{"dead_letters", "lb_5xx", "function_errors", "certificate"} {
		c.resource(t, "google_monitoring_alert_policy", a)
	}
	c.resource(t, "google_monitoring_dashboard", "api")
	c.resource(t, "google_billing_budget", "monthly")
	env := c.text(attr(c.resource(t, "google_cloudfunctions2_function", "fn"), "service_config", "environment_variables").Expr)
	if !strings.Contains(env, "local.common_env") {
		t.Error("functions do not get the deployment-wide env")
	}
	var common string
	for _, b := range c.all("locals", "") {
		if a, ok := b.Body.Attributes["common_env"]; ok {
			common = c.text(a.Expr)
		}
	}
	for _, k := range []string{"MAIL_FROM", "CORS_ALLOWED_ORIGINS", "PORTAL_URL", "GOOGLE_CLOUD_PROJECT", "FIREBASE_API_KEY"} {
		if !strings.Contains(common, k) {
			t.Errorf("common env lacks %s", k)
		}
	}
}

// The Terraform is formatted as `terraform fmt` would write it (the same
// hclwrite formatter), so `terraform fmt -check` passes.
func TestTerraformFormatted(t *testing.T) {
	t.Parallel()
	c := load(t)
	for file, src := range c.src {
		if got := hclwrite.Format(src); string(got) != string(src) {
			t.Errorf("%s is not formatted: run terraform fmt infra/", file)
		}
	}
}
