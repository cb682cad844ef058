package objectstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// What the emulator cannot do is tested here, against a server that
// misbehaves on purpose: connections cut mid-read, bytes that do not match
// their CRC32C, transient refusals. The requests themselves are tested
// against fake-gcs-server (objectstore_integration_test.go).

func crcHeader(b []byte) string {
	var s [4]byte
	binary.BigEndian.PutUint32(s[:], crc32.Checksum(b, castagnoli))
	return "crc32c=" + base64.StdEncoding.EncodeToString(s[:]) + ",md5=xx"
}

// objectServer serves data at /b/o (XML API reads), cutting the first
// cuts answers after half their body, answering the first fail requests
// 503, and claiming crc as the object's X-Goog-Hash.
func objectServer(t *testing.T, data []byte, cuts, fail int32, crc string) (*Bucket, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		if r.URL.Path != "/b/o" || r.URL.Query().Get("generation") != "7" || r.Header.Get("Accept-Encoding") != "gzip" {
			http.Error(w, "unexpected request "+r.URL.String(), http.StatusNotFound)
			return
		}
		if n <= fail {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		start, end := 0, len(data)-1
		status := http.StatusOK
		if rg := r.Header.Get("Range"); rg != "" {
			var err error
			s, e, _ := strings.Cut(strings.TrimPrefix(rg, "bytes="), "-")
			if start, err = strconv.Atoi(s); err != nil {
				t.Errorf("range %q", rg)
			}
			if e != "" {
				end, _ = strconv.Atoi(e)
				end = min(end, len(data)-1)
			}
			status = http.StatusPartialContent
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, len(data)))
		}
		w.Header().Set("X-Goog-Hash", crc)
		w.Header().Set("Content-Length", strconv.Itoa(end-start+1))
		w.WriteHeader(status)
		body := data[start : end+1]
		if n <= fail+cuts {
			_, _ = w.Write(body[:len(body)/2])
			// Cut the connection short of its Content-Length.
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Fatal("no hijacker")
			}
			w.(http.Flusher).Flush()
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(context.Background(), Config{EmulatorHost: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c.Bucket("b"), &requests
}

func TestReader(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789abcdef"), 50_000)
	tests := []struct {
		name         string
		cuts, fail   int32
		crc          string
		wantErr      string
		wantRequests int32
	}{
		{"whole", 0, 0, crcHeader(data), "", 1},
		{"cut twice, resumed", 2, 0, crcHeader(data), "", 3},
		{"503 then served", 0, 2, crcHeader(data), "", 3},
		{"bad CRC32C", 0, 0, crcHeader(data[1:]), "bad CRC32C", 1},
		{"cut, then bad CRC32C", 1, 0, crcHeader(data[1:]), "bad CRC32C", 2},
		{"no CRC32C sent", 0, 0, "md5=xx", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, requests := objectServer(t, data, tc.cuts, tc.fail, tc.crc)
			rd, err := b.NewReader(context.Background(), "o", 7)
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			got, err := io.ReadAll(rd)
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(got, data) || rd.Size != int64(len(data)):
				t.Fatalf("read %d bytes (size %d), want %d", len(got), rd.Size, len(data))
			}
			if n := requests.Load(); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

func TestRangeReaderResumes(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("abcdefgh"), 1000)
	b, requests := objectServer(t, data, 1, 0, crcHeader([]byte("not checked for a range")))
	rd, err := b.NewRangeReader(context.Background(), "o", 7, 100, 3000)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, err := io.ReadAll(rd)
	if err != nil || !bytes.Equal(got, data[100:3100]) || rd.Size != int64(len(data)) {
		t.Fatalf("read %d bytes (size %d), err %v", len(got), rd.Size, err)
	}
	if requests.Load() != 2 {
		t.Errorf("%d requests, want 2", requests.Load())
	}
}

func TestNotFoundAndRefusals(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch {
		case strings.HasSuffix(r.URL.Path, "/missing"):
			http.Error(w, "no such object", http.StatusNotFound)
		case strings.HasSuffix(r.URL.Path, "/forbidden"):
			http.Error(w, "no", http.StatusForbidden)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(context.Background(), Config{EmulatorHost: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	b := c.Bucket("b")
	ctx := context.Background()
	if _, err := b.NewReader(ctx, "missing", 1); !errors.Is(err, ErrNotExist) {
		t.Errorf("read of a missing object: %v", err)
	}
	if err := b.Delete(ctx, "missing", 1); !errors.Is(err, ErrNotExist) {
		t.Errorf("delete of a missing object: %v", err)
	}
	var se *Error
	if err := b.Delete(ctx, "forbidden", 1); !errors.As(err, &se) || se.Status != http.StatusForbidden || errors.Is(err, ErrNotExist) {
		t.Errorf("refused delete: %v", err)
	}
	if err := b.Delete(ctx, "present", 1); err != nil {
		t.Errorf("delete: %v", err)
	}
	if n := requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (no retry of a 404 or 403)", n)
	}
}

// TestWriterChunks: what the Writer sends through a session — chunks of
// ChunkSize with open ranges, the last one closing the range with the
// total and carrying the CRC32C; a transient refusal of a chunk resends
// it.
func TestWriterChunks(t *testing.T) {
	t.Parallel()
	const chunk = 256 << 10
	data := bytes.Repeat([]byte("xyz"), chunk) // 3 chunks exactly
	var ranges []string
	var got bytes.Buffer
	var failed bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Query().Get("uploadType") == "resumable":
			if r.URL.Query().Get("ifGenerationMatch") != "0" || r.URL.Query().Get("name") != "a/b" || r.Header.Get("X-Upload-Content-Type") != "text/plain" {
				t.Errorf("session start %s %v", r.URL, r.Header)
			}
			w.Header().Set("Location", "http://"+r.Host+"/session/1")
		case r.URL.Path == "/session/1":
			if !failed && len(ranges) == 1 {
				failed = true
				http.Error(w, "later", http.StatusServiceUnavailable)
				return
			}
			cr := r.Header.Get("Content-Range")
			ranges = append(ranges, cr)
			_, _ = io.Copy(&got, r.Body)
			if strings.HasSuffix(cr, "/*") {
				w.Header().Set("X-Http-Status-Code-Override", "308")
				return
			}
			if h := r.Header.Get("X-Goog-Hash"); h != strings.TrimSuffix(crcHeader(data), ",md5=xx") {
				t.Errorf("final chunk hash %q", h)
			}
			fmt.Fprintf(w, `{"generation":"1700000000000001","size":"%d"}`, got.Len())
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := New(context.Background(), Config{EmulatorHost: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := c.Bucket("b").NewWriter(context.Background(), "a/b")
	w.ChunkSize = chunk
	w.ContentType = "text/plain"
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"bytes 0-262143/*", "bytes 262144-524287/*", "bytes 524288-786431/786432"}
	if strings.Join(ranges, " | ") != strings.Join(want, " | ") {
		t.Errorf("ranges %q, want %q", ranges, want)
	}
	if !bytes.Equal(got.Bytes(), data) || w.Attrs() != (ObjectAttrs{Generation: 1700000000000001, Size: int64(len(data))}) {
		t.Errorf("server got %d bytes, attrs %+v", got.Len(), w.Attrs())
	}
}
