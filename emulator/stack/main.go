// Command stack runs Support Center's local stack: the
// official Firestore and Pub/Sub emulators, fake-gcs-server, the Firebase
// Auth emulator, the mail capture server and the function runner with its
// API gateway, wired together from infra/functions.yaml.
//
// Usage (the Makefile drives it):
//
//	stack up             # make dev: the stack on the default ports (README.md), in the foreground
//	stack job NAME [ORG] # make job NAME=… [ORG=…]: run a scheduled function now
//	stack test -- ARGS   # make test: go test ARGS against a private stack
//	stack deps           # make deps: check and install prerequisites
//
// The Makefile builds it to .stack/bin/stack; `go run ./emulator/stack` works
// too, but go run exits 1 on Ctrl-C whatever the program returns.
//
// `up` listens on 127.0.0.1 with the default ports, each overridable by env
// (FIRESTORE_PORT 8080, PUBSUB_PORT 8085, GCS_PORT 4443, AUTH_PORT 9099,
// MAIL_PORT 8025, GATEWAY_PORT 8000, FUNCTIONS_PORT 8090; AUTH_HUB_PORT 4400
// and AUTH_LOGGING_PORT 4500 for firebase-tools), project demo-supportcenter
// (GOOGLE_CLOUD_PROJECT overrides). It creates, as infra/ does in production,
// the manifest's topics, push subscriptions "<fn>-push" (with dead-letter
// topics "<fn>-dead-letter" held by pull subscriptions "<fn>-dead-letter-hold")
// and buckets ("<project>-<name>", exported as <NAME>_BUCKET), seeds the demo
// data, publishes {"job": NAME} to each scheduled function's topic when its
// cron is due (UTC), writes the stack's env (GOOGLE_CLOUD_PROJECT,
// *_EMULATOR_HOST, SENDGRID_HOST, SENDGRID_API_KEY, PORTAL_URL, GATEWAY_URL,
// MAIL_URL, FUNCTIONS_URL and the bucket names) to .stack/env, logs each part
// to .stack/logs/<part>.log and stops everything on SIGINT or SIGTERM.
//
// `test` starts the same stack on free ports with a fresh project id
// (demo-test-<random>) in a temporary directory, runs go test with that env
// plus SUPPORTCENTER_STACK=1 and STACK_ENV_FILE, stops the stack and exits
// with go test's status.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"cloud.google.com/go/pubsub/v2"

	"github.com/supportcenter/supportcenter/emulator/seed"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

const usage = `usage: stack COMMAND
  up              run the local stack in the foreground (make dev)
  job NAME [ORG]  run scheduled function NAME now, on the running stack (make job NAME=… [ORG=…])
  test [-- ARGS]  go test ARGS against a private stack on free ports (make test)
  deps            check and install what the stack needs (make deps)`

func main() {
	dieWithParent()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code, err := realMain(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "stack: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func realMain(ctx context.Context, args []string) (int, error) {
	if len(args) == 0 {
		return 2, errors.New(usage)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "up":
		return 0, up(ctx)
	case "job":
		if len(rest) != 1 && len(rest) != 2 {
			return 2, errors.New("usage: stack job NAME [ORG]")
		}
		org := ""
		if len(rest) == 2 {
			org = rest[1]
		}
		return 0, job(ctx, rest[0], org)
	case "test":
		if len(rest) > 0 && rest[0] == "--" {
			rest = rest[1:]
		}
		return test(ctx, rest)
	case "deps":
		return 0, deps(ctx)
	default:
		return 2, fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "stack: "+format+"\n", args...)
}

// up runs the stack on the default ports until SIGINT or SIGTERM.
func up(ctx context.Context) error {
	began := time.Now()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	m, err := manifest.Load()
	if err != nil {
		return err
	}
	jobs, err := scheduledJobs(m)
	if err != nil {
		return err
	}
	p, err := defaultPorts()
	if err != nil {
		return err
	}
	project := orDefault(os.Getenv("GOOGLE_CLOUD_PROJECT"), defaultProject)
	s := newStack(root, filepath.Join(root, ".stack"), project, p, m)
	s.runnerOut = os.Stderr
	defer s.stop()
	if err := s.start(ctx); err != nil {
		if ctx.Err() != nil {
			logf("interrupted during start-up; stopped")
			return nil
		}
		return err
	}
	// The demo's cases and known issue go through the API, so they need the
	// running functions (the browser tests' stacks start without them).
	if err := seed.Content(ctx, lookup(s.env, "GATEWAY_URL"), lookup(s.env, "FIREBASE_AUTH_EMULATOR_HOST")); err != nil {
		logf("warning: demo cases not filed: %v", err)
	}
	printBanner(s, jobs, time.Since(began))

	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		return err
	}
	defer ps.Close()
	go runSchedules(ctx, jobs, func(ctx context.Context, j scheduledJob, at time.Time) {
		id, err := publish(ctx, ps, project, j.topic, jobMessage(j.name))
		if err != nil {
			logf("schedule %s: %v", j.name, err)
			return
		}
		logf("schedule %s due at %s: published %s to %s", j.name, at.Format("15:04"), id, j.topic)
	})

	select {
	case <-ctx.Done():
		logf("stopping")
		return nil
	case p := <-s.sup.exited:
		return exitError(p)
	}
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// job publishes one message to scheduled function name's trigger topic on
// the running stack: Cloud Scheduler's, narrowed to organisation org when
// it is not "" (functions that read their tick, runtime.TickJob, sweep only
// that organisation; the others ignore it).
func job(ctx context.Context, name, org string) error {
	m, err := manifest.Load()
	if err != nil {
		return err
	}
	f, ok := m.Function(name)
	if !ok || f.Kind != manifest.KindScheduled {
		var names []string
		for _, f := range m.Functions {
			if f.Kind == manifest.KindScheduled {
				names = append(names, f.Name)
			}
		}
		return fmt.Errorf("%q is not a scheduled function; scheduled functions: %s", name, orDefault(strings.Join(names, ", "), "(none)"))
	}
	path := os.Getenv("STACK_ENV_FILE")
	if path == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		path = filepath.Join(root, ".stack", "env")
	}
	env, err := readEnvFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the stack is not running (no %s): start it with `make dev`", path)
	}
	if err != nil {
		return err
	}
	if err := setenv(env); err != nil {
		return err
	}
	project := lookup(env, "GOOGLE_CLOUD_PROJECT")
	ps, err := pubsub.NewClient(ctx, project)
	if err != nil {
		return err
	}
	defer ps.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	msg := jobMessage(name)
	if org != "" {
		b, err := json.Marshal(map[string]string{"job": name, "orgId": org})
		if err != nil {
			return err
		}
		msg.Data = b
	}
	id, err := publish(ctx, ps, project, f.TriggerTopic(), msg)
	if err != nil {
		return err
	}
	fmt.Printf("published message %s to %s (job %s)\n", id, f.TriggerTopic(), name)
	return nil
}

// test runs go test with args against a private stack and returns go test's
// exit code.
func test(ctx context.Context, args []string) (int, error) {
	began := time.Now()
	root, err := repoRoot()
	if err != nil {
		return 1, err
	}
	m, err := manifest.Load()
	if err != nil {
		return 1, err
	}
	p, err := freePorts()
	if err != nil {
		return 1, err
	}
	dir, err := os.MkdirTemp("", "supportcenter-stack-")
	if err != nil {
		return 1, err
	}
	s := newStack(root, dir, testProject(), p, m)
	keepLogs := true
	defer func() {
		s.stop()
		if keepLogs {
			logf("stack logs kept in %s/logs", dir)
		} else {
			os.RemoveAll(dir)
		}
	}()
	if err := s.start(ctx); err != nil {
		return 1, err
	}
	logf("test stack up in %s (project %s, gateway %s)", time.Since(began).Round(100*time.Millisecond), s.project, lookup(s.env, "GATEWAY_URL"))

	cmd := exec.CommandContext(ctx, "go", append([]string{"test"}, args...)...)
	cmd.Dir = root
	cmd.Env = environ(s.env, kv{"SUPPORTCENTER_STACK", "1"}, kv{"STACK_ENV_FILE", s.envFile()})
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		keepLogs = false
		logf("go test passed; total %s", time.Since(began).Round(100*time.Millisecond))
		return 0, nil
	case errors.As(err, &ee) && ee.ExitCode() > 0:
		return ee.ExitCode(), nil
	default:
		return 1, fmt.Errorf("go test: %w", err)
	}
}

// printBanner tells a developer where everything is.
func printBanner(s *stack, jobs []scheduledJob, took time.Duration) {
	e := func(k string) string { return lookup(s.env, k) }
	var b strings.Builder
	fmt.Fprintf(&b, "\nSupport Center local stack is up in %s (project %s)\n\n", took.Round(100*time.Millisecond), s.project)
	rows := [][2]string{
		{"API gateway", e("GATEWAY_URL")},
		{"Mail capture", e("MAIL_URL") + "  (JSON: " + e("MAIL_URL") + "/api/messages)"},
		{"Functions", e("FUNCTIONS_URL") + "/<function>"},
		{"Firestore emulator", e("FIRESTORE_EMULATOR_HOST")},
		{"Pub/Sub emulator", e("PUBSUB_EMULATOR_HOST")},
		{"Cloud Storage", e("STORAGE_EMULATOR_HOST") + "  (buckets: " + orDefault(strings.Join(s.plan.buckets, ", "), "none") + ")"},
		{"Firebase Auth", e("FIREBASE_AUTH_EMULATOR_HOST")},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-20s %s\n", r[0], r[1])
	}
	fmt.Fprintf(&b, "\nDemo sign-ins (password %q):\n", seed.DemoPassword)
	for _, u := range seed.DemoUsers {
		var roles []string
		for _, r := range u.Roles {
			roles = append(roles, string(r.Role))
		}
		fmt.Fprintf(&b, "  %-26s %s, org %s (%s)\n", u.Email, u.DisplayName, u.OrgID, strings.Join(roles, ", "))
	}
	if len(jobs) > 0 {
		b.WriteString("\nScheduled jobs (UTC; run one now with `make job NAME=<name>`):\n")
		for _, j := range jobs {
			f, _ := s.m.Function(j.name)
			fmt.Fprintf(&b, "  %-26s %s\n", j.name, f.Schedule)
		}
	}
	fmt.Fprintf(&b, "\nEnv: %s   Logs: %s/<part>.log   Ctrl-C stops everything.\n\n", s.envFile(), s.sup.logDir)
	fmt.Print(b.String())
}
