//go:build integration

package objectstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"cloud.google.com/go/storage"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/shared/objectstore"
)

// newBucket creates a bucket of its own in fake-gcs-server and returns it
// twice: through objectstore and through Google's storage library, the
// independent client the test checks against.
func newBucket(t *testing.T) (*objectstore.Bucket, *storage.BucketHandle) {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gcs.Close() })
	name := testenv.UniqueID(env.ProjectID + "-objectstore")
	if err := gcs.Bucket(name).Create(ctx, env.ProjectID, nil); err != nil {
		t.Fatal(err)
	}
	c, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c.Bucket(name), gcs.Bucket(name)
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWriteReadDelete: objects written in one request and through a
// resumable session of several chunks (written in odd pieces) arrive
// whole with their metadata, read back whole and by range, exist once
// (a second create is refused), and a deleted generation is gone.
func TestWriteReadDelete(t *testing.T) {
	t.Parallel()
	b, lib := newBucket(t)
	const chunk = 256 << 10
	tests := []struct {
		name string
		size int
	}{
		{"one byte", 1},
		{"within one chunk", 1000},
		{"exactly one chunk", chunk},
		{"one chunk and a byte", chunk + 1},
		{"several chunks", 3*chunk + 12345},
		{"exactly three chunks", 3 * chunk},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			data := randomBytes(t, tc.size)
			object := "dir/" + testenv.UniqueID("obj") + " x+y.bin"
			w := b.NewWriter(ctx, object)
			w.ChunkSize = chunk
			w.ContentType = "application/octet-stream"
			w.ContentDisposition = "attachment"
			for rest := data; len(rest) > 0; {
				k := min(len(rest), 100_000)
				if n, err := w.Write(rest[:k]); err != nil || n != k {
					t.Fatalf("write: %d, %v", n, err)
				}
				rest = rest[k:]
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got := w.Attrs()
			if got.Size != int64(tc.size) || got.Generation == 0 {
				t.Fatalf("attrs %+v, want size %d and a generation", got, tc.size)
			}
			attrs, err := lib.Object(object).Attrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if attrs.Generation != got.Generation || attrs.Size != got.Size || attrs.ContentDisposition != "attachment" || attrs.ContentType != "application/octet-stream" {
				t.Fatalf("stored attrs %+v, writer said %+v", attrs, got)
			}

			rd, err := b.NewReader(ctx, object, got.Generation)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := io.ReadAll(rd)
			rd.Close()
			if err != nil || !bytes.Equal(whole, data) || rd.Size != int64(tc.size) {
				t.Fatalf("read back %d bytes (size %d), err %v; want the %d written", len(whole), rd.Size, err, tc.size)
			}
			rr, err := b.NewRangeReader(ctx, object, got.Generation, 0, 512)
			if err != nil {
				t.Fatal(err)
			}
			head, err := io.ReadAll(rr)
			rr.Close()
			if want := data[:min(512, tc.size)]; err != nil || !bytes.Equal(head, want) || rr.Size != int64(tc.size) {
				t.Fatalf("range read %d bytes (size %d), err %v; want %d of %d", len(head), rr.Size, err, len(want), tc.size)
			}

			again := b.NewWriter(ctx, object)
			_, _ = again.Write([]byte("other"))
			if err := again.Close(); !errors.Is(err, objectstore.ErrPrecondition) {
				t.Fatalf("second create: %v, want ErrPrecondition", err)
			}

			if err := b.Delete(ctx, object, got.Generation); err != nil {
				t.Fatal(err)
			}
			if _, err := b.NewReader(ctx, object, got.Generation); !errors.Is(err, objectstore.ErrNotExist) {
				t.Fatalf("read after delete: %v, want ErrNotExist", err)
			}
			if err := b.Delete(ctx, object, got.Generation); !errors.Is(err, objectstore.ErrNotExist) {
				t.Fatalf("second delete: %v, want ErrNotExist", err)
			}
		})
	}
}

// TestCancelledWriteCreatesNothing: a write whose context ends before
// Close leaves no object, whether or not its session had started.
func TestCancelledWriteCreatesNothing(t *testing.T) {
	t.Parallel()
	b, lib := newBucket(t)
	for _, size := range []int{1000, 3 << 18} {
		object := testenv.UniqueID("cancelled")
		ctx, cancel := context.WithCancel(context.Background())
		w := b.NewWriter(ctx, object)
		w.ChunkSize = 256 << 10
		if _, err := w.Write(randomBytes(t, size)); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := w.Close(); !errors.Is(err, context.Canceled) {
			t.Fatalf("size %d: close after cancel: %v", size, err)
		}
		if _, err := lib.Object(object).Attrs(context.Background()); !errors.Is(err, storage.ErrObjectNotExist) {
			t.Fatalf("size %d: cancelled write left an object: %v", size, err)
		}
	}
}

// TestReadsStoredBytes: an object stored gzip-encoded is read as stored
// (not decoded), as hashing and sniffing need.
func TestReadsStoredBytes(t *testing.T) {
	t.Parallel()
	b, lib := newBucket(t)
	ctx := context.Background()
	stored := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0} // an empty gzip stream
	w := lib.Object("gz").NewWriter(ctx)
	w.ContentEncoding = "gzip"
	w.ContentType = "text/plain"
	if _, err := w.Write(stored); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := b.NewReader(ctx, "gz", w.Attrs().Generation)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, err := io.ReadAll(rd)
	if err != nil || !bytes.Equal(got, stored) || rd.Size != int64(len(stored)) {
		t.Fatalf("read %x (size %d), err %v; want the stored %x", got, rd.Size, err, stored)
	}
}
