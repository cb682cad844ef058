// Command mailcapture runs the SendGrid v3 compatible mail capture server
// used by the local emulator stack.
//
// Usage:
//
//	mailcapture [-addr 127.0.0.1:8025] [-api-key KEY]
//
// -addr defaults to $MAILCAPTURE_ADDR, then 127.0.0.1:8025.
// -api-key defaults to $SENDGRID_API_KEY, then "local-sendgrid-key".
// Logs are JSON on stderr; message bodies and the API key are never logged.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/supportcenter/supportcenter/emulator/mailcapture"
)

const defaultAddr = "127.0.0.1:8025"

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))

	// Flag defaults stay empty so -h never prints a key taken from the
	// environment; the environment and built-in defaults are applied below.
	addr := flag.String("addr", "", "listen address (env MAILCAPTURE_ADDR, default "+defaultAddr+")")
	apiKey := flag.String("api-key", "", "API key clients must send as a Bearer token (env SENDGRID_API_KEY, default "+mailcapture.DefaultAPIKey+")")
	flag.Parse()

	cfg := mailcapture.Config{
		APIKey: firstNonEmpty(*apiKey, os.Getenv("SENDGRID_API_KEY"), mailcapture.DefaultAPIKey),
		Logger: logger,
	}
	listenAddr := firstNonEmpty(*addr, os.Getenv("MAILCAPTURE_ADDR"), defaultAddr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, logger, listenAddr, cfg); err != nil {
		logger.Error("mailcapture stopped", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, logger *slog.Logger, addr string, cfg mailcapture.Config) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           mailcapture.NewServer(cfg),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Info("mailcapture listening", "addr", ln.Addr().String())

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}

	logger.Info("mailcapture shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
