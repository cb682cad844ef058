package testenv

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"cloud.google.com/go/firestore"
	"cloud.google.com/go/firestore/apiv1/firestorepb"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/auth"
	"github.com/supportcenter/supportcenter/shared/store"
)

// OpCounter counts Firestore document reads and writes as the server bills
// them: each document a get or query returns is a read (a get of a missing
// document too; a query returning nothing is billed one), each write in a
// commit is a write.
type OpCounter struct {
	mu            sync.Mutex
	reads, writes int
}

func (c *OpCounter) add(r, w int) {
	c.mu.Lock()
	c.reads += r
	c.writes += w
	c.mu.Unlock()
}

// Take returns the counts since the last Take and resets them.
func (c *OpCounter) Take() (reads, writes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, w := c.reads, c.writes
	c.reads, c.writes = 0, 0
	return r, w
}

// CountingFirestore returns a Firestore client on the emulator whose reads
// and writes are counted: how the cost of each operation is measured.
func (e *Env) CountingFirestore(t testing.TB) (*firestore.Client, *OpCounter) {
	t.Helper()
	cnt := &OpCounter{}
	conn, err := grpc.NewClient(os.Getenv("FIRESTORE_EMULATOR_HOST"),
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithPerRPCCredentials(ownerCreds{}),
		grpc.WithUnaryInterceptor(cnt.unary), grpc.WithStreamInterceptor(cnt.stream))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := firestore.NewClient(context.Background(), e.ProjectID, option.WithGRPCConn(conn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	return fs, cnt
}

func (c *OpCounter) unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if cr, ok := req.(*firestorepb.CommitRequest); ok {
		c.add(0, len(cr.GetWrites()))
	}
	return invoker(ctx, method, req, reply, cc, opts...)
}

func (c *OpCounter) stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		return nil, err
	}
	return &countingStream{ClientStream: s, c: c, query: strings.HasSuffix(method, "/RunQuery")}, nil
}

type countingStream struct {
	grpc.ClientStream
	c           *OpCounter
	query, done bool
	docs        int
}

func (s *countingStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err == nil {
		switch r := m.(type) {
		case *firestorepb.BatchGetDocumentsResponse:
			if r.GetFound() != nil || r.GetMissing() != "" {
				s.c.add(1, 0)
			}
		case *firestorepb.RunQueryResponse:
			if r.GetDocument() != nil {
				s.docs++
				s.c.add(1, 0)
			}
		}
	}
	if errors.Is(err, io.EOF) && s.query && s.docs == 0 && !s.done {
		s.done = true
		s.c.add(1, 0)
	}
	return err
}

// ownerCreds is what the Firestore client sends to the emulator.
type ownerCreds struct{}

func (ownerCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer owner"}, nil
}
func (ownerCreds) RequireTransportSecurity() bool { return false }

// StubVerifier maps bearer tokens to identities, for handlers built directly
// in tests (no Auth emulator round trip in the measured path).
type StubVerifier map[string]*auth.Identity

// Verify returns the identity registered for token.
func (v StubVerifier) Verify(_ context.Context, token string) (*auth.Identity, error) {
	if id, ok := v[token]; ok {
		return id, nil
	}
	return nil, apierror.Unauthenticated("unknown test token")
}

// CountingStore is a store over fs (from CountingFirestore) with a private
// catalogue version document: catalogue changes made by tests running
// beside a cost test cannot make it reload packages and products in the
// middle of what it measures.
func CountingStore(fs *firestore.Client) *store.Store {
	st := store.New(fs)
	st.UseCatalogVersionDoc(UniqueID("catalog"))
	return st
}
