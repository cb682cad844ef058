// Package publish sends event messages (package events) to Pub/Sub. It is
// its own package so that functions which only consume events do not link
// a Pub/Sub client: cold start and binary size are paid per function.
//
// It calls the Pub/Sub REST API (topics.publish) over net/http with
// Application Default Credentials (golang.org/x/oauth2/google, as
// shared/authadmin does), not the cloud.google.com/go/pubsub/v2 client.
// A request publishes one or two messages and waits for them, so the
// client's batching, flow control and streaming buy nothing here, while
// its gRPC stubs, generated protos, OpenCensus views and IAM/long-running
// dependencies cost the cases function about 2.5 MB of its binary
// (measured with go tool nm -size and go version -m; README,
// "Performance"). The v2 client stays where the project needs more than
// publishing: the local stack's topic and subscription set-up
// (emulator/stack) and the tests that read what was published.
package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"

	"github.com/supportcenter/supportcenter/shared/events"
)

// Timeout bounds how long one Publish waits for Pub/Sub (transient
// failures are retried within it). What is not accepted by then stays in
// the outbox for the relay.
const Timeout = 10 * time.Second

// BaseURL is the production Pub/Sub REST endpoint.
const BaseURL = "https://pubsub.googleapis.com"

// maxResponseBytes bounds what is read from one answer.
const maxResponseBytes = 1 << 20

// PubSub publishes to Pub/Sub topics by name. Every message is sent at
// once (no batching delay: waiting for more was most of what a
// create-comment request spent); the messages of one Publish call that go
// to the same topic share one request. It is safe for concurrent use.
type PubSub struct {
	topics string // ".../v1/projects/<project>/topics/"
	http   *http.Client
}

// Config configures a PubSub. Only ProjectID is required.
type Config struct {
	ProjectID string
	// EmulatorHost is PUBSUB_EMULATOR_HOST ("host:port"): plain HTTP, no
	// credentials.
	EmulatorHost string
	// BaseURL replaces BaseURL (tests).
	BaseURL string
	// HTTPClient, if set, makes every call as is (tests). By default
	// calls carry Application Default Credentials.
	HTTPClient *http.Client
}

// New returns a publisher in projectID, on the Pub/Sub emulator when
// PUBSUB_EMULATOR_HOST is set. It makes no network call.
func New(ctx context.Context, projectID string) (*PubSub, error) {
	return NewWithConfig(ctx, Config{ProjectID: projectID, EmulatorHost: os.Getenv("PUBSUB_EMULATOR_HOST")})
}

// NewWithConfig returns a publisher as cfg says.
func NewWithConfig(ctx context.Context, cfg Config) (*PubSub, error) {
	if cfg.ProjectID == "" {
		return nil, errors.New("pubsub: a project id is required")
	}
	base := cfg.BaseURL
	if base == "" {
		base = BaseURL
		if cfg.EmulatorHost != "" {
			base = "http://" + cfg.EmulatorHost
		}
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: Timeout}
		if cfg.EmulatorHost == "" {
			// The token source outlives ctx (often the first request's).
			ts, err := google.DefaultTokenSource(context.WithoutCancel(ctx), "https://www.googleapis.com/auth/pubsub")
			if err != nil {
				return nil, fmt.Errorf("pubsub: credentials: %w", err)
			}
			client = &http.Client{Timeout: Timeout, Transport: &oauth2.Transport{Source: ts}}
		}
	}
	return &PubSub{
		topics: strings.TrimRight(base, "/") + "/v1/projects/" + url.PathEscape(cfg.ProjectID) + "/topics/",
		http:   client,
	}, nil
}

// Publish sends msgs, each topic's in one request (topics in parallel),
// and waits until every message is accepted, at most Timeout. Transient
// failures (429, 5xx, a broken connection) are retried with backoff within
// that time.
func (p *PubSub) Publish(ctx context.Context, msgs ...events.Message) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var order []string
	byTopic := map[string][]events.Message{}
	for _, m := range msgs {
		if m.Topic == "" || len(m.Data) == 0 {
			return fmt.Errorf("%w: message %s without topic or data", events.ErrInvalid, m.ID)
		}
		if _, ok := byTopic[m.Topic]; !ok {
			order = append(order, m.Topic)
		}
		byTopic[m.Topic] = append(byTopic[m.Topic], m)
	}
	errs := make([]error, len(order))
	var wg sync.WaitGroup
	for i, topic := range order {
		wg.Go(func() { errs[i] = p.publishTopic(ctx, topic, byTopic[topic]) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// publishRequest and publishResponse are topics.publish's JSON shapes
// (data is base64: encoding/json encodes a []byte so).
type publishRequest struct {
	Messages []pubsubMessage `json:"messages"`
}

type pubsubMessage struct {
	Data       []byte            `json:"data"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

type publishResponse struct {
	MessageIDs []string `json:"messageIds"`
}

// publishTopic sends msgs to topic, retrying transient failures until ctx
// ends.
func (p *PubSub) publishTopic(ctx context.Context, topic string, msgs []events.Message) error {
	req := publishRequest{Messages: make([]pubsubMessage, len(msgs))}
	for i, m := range msgs {
		req.Messages[i] = pubsubMessage{Data: m.Data, Attributes: m.Attributes}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	describe := func(err error) error {
		ids := make([]string, len(msgs))
		for i, m := range msgs {
			ids[i] = m.Type + " " + m.ID
		}
		return fmt.Errorf("publish %s: %w", strings.Join(ids, ", "), err)
	}
	u := p.topics + url.PathEscape(topic) + ":publish"
	for attempt := 0; ; attempt++ {
		n, retry, err := p.post(ctx, u, body)
		if err == nil {
			if n != len(msgs) {
				return describe(fmt.Errorf("pubsub accepted %d of %d messages", n, len(msgs)))
			}
			return nil
		}
		if !retry {
			return describe(err)
		}
		// Exponential backoff with full jitter: 0–10 ms, 0–20 ms, … 0–1 s.
		wait := time.Duration(rand.Int64N(int64(min(10*time.Millisecond<<attempt, time.Second)) + 1))
		select {
		case <-ctx.Done():
			return describe(fmt.Errorf("%w (last: %w)", ctx.Err(), err))
		case <-time.After(wait):
		}
	}
}

// post makes one publish call; it returns how many message ids came back,
// and whether a failure is worth retrying.
func (p *PubSub) post(ctx context.Context, u string, body []byte) (int, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return 0, true, err
	}
	if resp.StatusCode != http.StatusOK {
		retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return 0, retry, fmt.Errorf("pubsub answered %d: %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	var out publishResponse
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, false, fmt.Errorf("pubsub answer: %w", err)
	}
	return len(out.MessageIDs), false, nil
}

// Close releases idle connections.
func (p *PubSub) Close() error {
	p.http.CloseIdleConnections()
	return nil
}
