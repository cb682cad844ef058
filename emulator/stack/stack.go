package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

// stack is one running set of emulators plus the function runner.
type stack struct {
	root    string // repository root
	dir     string // state: logs/, env, firebase.json
	binDir  string // prebuilt Go binaries
	project string
	ports   ports
	m       *manifest.Manifest
	env     []kv
	plan    plan
	// runnerOut also receives the runner's log (the terminal, for `up`).
	runnerOut io.Writer
	sup       *supervisor
	wroteEnv  bool // this stack wrote envFile (so stop removes it)
}

func newStack(root, dir, project string, p ports, m *manifest.Manifest) *stack {
	s := &stack{
		root: root, dir: dir, binDir: filepath.Join(root, ".stack", "bin"),
		project: project, ports: p, m: m,
		sup: newSupervisor(filepath.Join(dir, "logs")),
	}
	s.env = stackEnv(project, p, m)
	s.plan = makePlan(m, project, lookup(s.env, "FUNCTIONS_URL"))
	return s
}

func (s *stack) envFile() string { return filepath.Join(s.dir, "env") }

// start brings the whole stack up: prerequisites and Go builds first, then
// the emulators (in parallel), then the runner while topics, buckets and
// demo data are created.
func (s *stack) start(ctx context.Context) error {
	t, err := findTools(s.root)
	if err != nil {
		return err
	}
	if err := s.ports.checkFree(); err != nil {
		return err
	}
	if err := ensureFirebaseTools(ctx, s.root); err != nil {
		return err
	}
	if err := buildBinaries(ctx, s.root, s.binDir); err != nil {
		return err
	}
	for _, d := range []string{"logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(s.dir, d), 0o755); err != nil {
			return err
		}
	}
	fbConfig, err := s.writeFirebaseConfig()
	if err != nil {
		return err
	}
	for _, w := range s.plan.warnings {
		logf("warning: %s", w)
	}

	env := environ(s.env)
	p := s.ports
	type launch struct {
		name    string
		env     []string
		argv    []string
		timeout time.Duration
		probe   string // URL answering 2xx when ready
	}
	gcsArgs := []string{filepath.Join(s.binDir, "fake-gcs-server"),
		"-scheme", "http", "-host", host, "-port", strconv.Itoa(p.GCS), "-backend", "memory",
		"-public-host", addr(p.GCS), "-external-url", "http://" + addr(p.GCS), "-log-level", "warn",
		// The portal starts signed resumable uploads from the browser; the
		// headers must pass CORS, as the bucket's CORS policy allows in production.
		"-cors-headers", "x-goog-resumable,x-goog-if-generation-match"}
	if ev := s.plan.events; ev != nil {
		gcsArgs = append(gcsArgs, "-event.pubsub-project-id", s.project, "-event.pubsub-topic", ev.topic,
			"-event.list", "finalize")
		if ev.bucket != "" {
			gcsArgs = append(gcsArgs, "-event.bucket", ev.bucket)
		}
	}
	launches := []launch{
		{"firestore", env, []string{t.Java, "-Duser.language=en", "-cp", t.FirestoreJar,
			"com.google.cloud.datastore.emulator.firestore.CloudFirestore",
			"--host=" + host, "--port=" + strconv.Itoa(p.Firestore)},
			90 * time.Second, "http://" + addr(p.Firestore) + "/"},
		{"pubsub", env, []string{t.PubSub, "--host=" + host, "--port=" + strconv.Itoa(p.PubSub)},
			90 * time.Second, "http://" + addr(p.PubSub) + "/"},
		{"auth", environ(s.env, kv{"CI", "true"}, kv{"NO_UPDATE_NOTIFIER", "1"}, kv{"TMPDIR", filepath.Join(s.dir, "tmp")}),
			[]string{t.Firebase, "emulators:start", "--only", "auth", "--project", s.project, "--config", fbConfig},
			120 * time.Second, "http://" + addr(p.Auth) + "/"},
		{"gcs", env, gcsArgs, 30 * time.Second, "http://" + addr(p.GCS) + "/storage/v1/b"},
		{"mail", env, []string{filepath.Join(s.binDir, "mailcapture"), "-addr", addr(p.Mail)}, // key from SENDGRID_API_KEY
			30 * time.Second, "http://" + addr(p.Mail) + "/healthz"},
	}
	began := time.Now()
	took := make([]string, len(launches))
	g, gctx := errgroup.WithContext(ctx)
	for i, l := range launches {
		part, err := s.sup.start(l.name, s.dir, l.env, nil, l.argv...)
		if err != nil {
			return err
		}
		g.Go(func() error {
			if err := part.waitReady(gctx, l.timeout, httpOK(l.probe)); err != nil {
				return err
			}
			took[i] = fmt.Sprintf("%s %.1fs", l.name, time.Since(began).Seconds())
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	logf("emulators ready (%s)", strings.Join(took, ", "))

	// This process's clients (Pub/Sub, Storage, seed) read the same env.
	if err := setenv(s.env); err != nil {
		return err
	}
	began = time.Now()
	runner, err := s.sup.start("runner", s.root, env, s.runnerOut, filepath.Join(s.binDir, "runner"),
		"-functions-addr", addr(p.Functions), "-gateway-addr", addr(p.Gateway))
	if err != nil {
		return err
	}
	g, gctx = errgroup.WithContext(ctx)
	g.Go(func() error {
		return runner.waitReady(gctx, 60*time.Second, httpOK("http://"+addr(p.Gateway)+"/healthz"))
	})
	g.Go(func() error { return provision(gctx, s.project, s.plan) })
	g.Go(func() error {
		if err := seed.Demo(gctx, s.project); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	logf("runner ready, topics, subscriptions, buckets and demo data created in %.1fs", time.Since(began).Seconds())
	if s.plan.fanout != nil {
		go func() {
			if err := fanOut(ctx, s.project, s.plan.fanout); err != nil {
				logf("warning: storage notifications are no longer forwarded: %v", err)
			}
		}()
	}
	s.wroteEnv = true
	return writeEnvFile(s.envFile(), s.env)
}

// stop stops every part and removes the env file (the stack is gone).
func (s *stack) stop() {
	s.sup.stopAll(10 * time.Second)
	if s.wroteEnv {
		_ = os.Remove(s.envFile())
	}
}

// writeFirebaseConfig writes the firebase.json the Auth emulator runs with:
// this stack's ports, no UI.
func (s *stack) writeFirebaseConfig() (string, error) {
	type hostPort struct {
		Host string `json:"host"`
		Port int    `json:"port"`
	}
	cfg := map[string]any{"emulators": map[string]any{
		"auth":              hostPort{host, s.ports.Auth},
		"hub":               hostPort{host, s.ports.AuthHub},
		"logging":           hostPort{host, s.ports.AuthLogging},
		"ui":                map[string]bool{"enabled": false},
		"singleProjectMode": true,
	}}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(s.dir, "firebase.json")
	return path, os.WriteFile(path, b, 0o644)
}

// scheduledJobs are the manifest's scheduled functions with parsed schedules.
func scheduledJobs(m *manifest.Manifest) ([]scheduledJob, error) {
	var jobs []scheduledJob
	for _, f := range m.Functions {
		if f.Kind != manifest.KindScheduled {
			continue
		}
		spec, err := parseCron(f.Schedule)
		if err != nil {
			return nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		jobs = append(jobs, scheduledJob{name: f.Name, topic: f.TriggerTopic(), spec: spec})
	}
	return jobs, nil
}
