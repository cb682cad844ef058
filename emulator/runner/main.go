// Command runner serves every Support Center function in one process, the way
// functions-framework does with FUNCTION_TARGET unset, behind the local API
// gateway. Each function's init() registers it at "/<name>"; the runner also
// registers the same entry point at "/<name>/…" with the prefix stripped, so
// the gateway can forward production paths and Pub/Sub push endpoints can
// carry ".../projects/P/topics/T" as functions-framework expects.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	"github.com/supportcenter/supportcenter/emulator/gateway"
	"github.com/supportcenter/supportcenter/shared/logging"
	"github.com/supportcenter/supportcenter/shared/manifest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := logging.New(os.Stderr, logging.ParseLevel(os.Getenv("LOG_LEVEL")))
	if err := realMain(ctx, logger); err != nil {
		logger.Error("runner failed", "error", err.Error())
		os.Exit(1)
	}
}

func realMain(ctx context.Context, logger *slog.Logger) error {
	functionsAddr := flag.String("functions-addr", "127.0.0.1:8090", "address serving every function (functions-framework)")
	gatewayAddr := flag.String("gateway-addr", "127.0.0.1:8000", "address of the public API gateway")
	flag.Parse()

	m, err := manifest.Load()
	if err != nil {
		return err
	}
	if err := checkEntryPoints(m); err != nil {
		return err
	}
	if err := registerPrefixed(ctx); err != nil {
		return err
	}

	// functions-framework serves every registered function when FUNCTION_TARGET is unset.
	if err := os.Unsetenv("FUNCTION_TARGET"); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*functionsAddr)
	if err != nil {
		return fmt.Errorf("-functions-addr: %w", err)
	}
	errc := make(chan error, 2)
	go func() { errc <- funcframework.StartHostPort(host, port) }()

	functionsURL, err := url.Parse("http://" + *functionsAddr)
	if err != nil {
		return err
	}
	gw := &http.Server{
		Addr:              *gatewayAddr,
		Handler:           gateway.New(m, functionsURL, logger),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { errc <- gw.ListenAndServe() }()
	logger.Info("runner serving", "functions", *functionsAddr, "gateway", *gatewayAddr)

	select {
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return gw.Shutdown(shutdownCtx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// registerPrefixed registers every entry point again at "/<name>/" with the
// prefix stripped (see the package comment).
func registerPrefixed(ctx context.Context) error {
	for name, fn := range httpFunctions {
		prefix := "/" + name
		h := http.StripPrefix(prefix, fn)
		if err := funcframework.RegisterHTTPFunctionContext(ctx, prefix+"/", h.ServeHTTP); err != nil {
			return err
		}
	}
	for name, fn := range eventFunctions {
		if err := funcframework.RegisterCloudEventFunctionContext(ctx, "/"+name+"/", fn); err != nil {
			return err
		}
	}
	return nil
}

// checkEntryPoints fails when the runner's table and the manifest disagree.
func checkEntryPoints(m *manifest.Manifest) error {
	var problems []string
	seen := map[string]bool{}
	for _, f := range m.Functions {
		seen[f.Name] = true
		_, isHTTP := httpFunctions[f.Name]
		_, isEvent := eventFunctions[f.Name]
		switch {
		case f.Kind == manifest.KindHTTP && !isHTTP:
			problems = append(problems, fmt.Sprintf("http function %q is in the manifest but not in the runner", f.Name))
		case f.Kind != manifest.KindHTTP && !isEvent:
			problems = append(problems, fmt.Sprintf("event function %q is in the manifest but not in the runner", f.Name))
		}
	}
	for name := range httpFunctions {
		if !seen[name] {
			problems = append(problems, fmt.Sprintf("runner serves %q which is not in the manifest", name))
		}
	}
	for name := range eventFunctions {
		if !seen[name] {
			problems = append(problems, fmt.Sprintf("runner serves %q which is not in the manifest", name))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
