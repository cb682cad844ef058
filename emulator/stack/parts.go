package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// part is one process of the stack, run in its own process group so that
// stopping it also stops whatever it started (java, node).
type part struct {
	name, logPath string
	cmd           *exec.Cmd
	done          chan struct{} // closed once the process has exited
	err           error         // the exit status, valid after done
}

// supervisor starts parts and stops them all.
type supervisor struct {
	logDir   string
	mu       sync.Mutex
	parts    []*part
	stopping atomic.Bool
	exited   chan *part // parts that exited on their own
}

func newSupervisor(logDir string) *supervisor {
	return &supervisor{logDir: logDir, exited: make(chan *part, 16)}
}

// start runs argv in dir with env; its output goes to <logDir>/<name>.log
// (and to tee too, if not nil).
func (s *supervisor) start(name, dir string, env []string, tee io.Writer, argv ...string) (*part, error) {
	logPath := filepath.Join(s.logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env = dir, env
	var out io.Writer = f
	if tee != nil {
		out = io.MultiWriter(f, tee)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &part{name: name, logPath: logPath, cmd: cmd, done: make(chan struct{})}
	s.mu.Lock()
	s.parts = append(s.parts, p)
	s.mu.Unlock()
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
		if !s.stopping.Load() {
			select {
			case s.exited <- p:
			default:
			}
		}
	}()
	return p, nil
}

// stopAll sends SIGTERM to every part's process group, waits up to grace,
// then SIGKILLs whatever is left.
func (s *supervisor) stopAll(grace time.Duration) {
	s.stopping.Store(true)
	s.mu.Lock()
	parts := s.parts
	s.mu.Unlock()
	for _, p := range parts {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	}
	deadline := time.After(grace)
	for _, p := range parts {
		select {
		case <-p.done:
		case <-deadline:
		}
	}
	for _, p := range parts {
		// Also reaps leftovers of a group whose leader already exited.
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// failure describes why a part is not usable, with the end of its log.
func (p *part) failure(format string, args ...any) error {
	return fmt.Errorf("%s %s; last lines of %s:\n%s", p.name, fmt.Sprintf(format, args...), p.logPath, tail(p.logPath, 25))
}

// waitReady polls probe until it succeeds, the part exits or timeout passes.
func (p *part) waitReady(ctx context.Context, timeout time.Duration, probe func(context.Context) error) error {
	deadline := time.Now().Add(timeout)
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := probe(pctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return p.failure("not ready after %s (last probe: %v)", timeout, err)
		}
		select {
		case <-p.done:
			return p.failure("exited during start-up (%v)", p.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

var probeClient = &http.Client{Timeout: 2 * time.Second}

// httpOK is a probe: GET url answers 2xx.
func httpOK(url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := probeClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	}
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.ReplaceAll(string(bytes.Join(lines, []byte("\n"))), "\n", "\n    ")
}

// exitError describes how a part ended.
func exitError(p *part) error {
	if p.err == nil {
		return p.failure("exited")
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return p.failure("exited: %s", ee.ProcessState)
	}
	return p.failure("exited: %v", p.err)
}
