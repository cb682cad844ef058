//go:build integration

package attachments_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	goruntime "runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/emulator/testenv"
	"github.com/supportcenter/supportcenter/functions/attachments"
	"github.com/supportcenter/supportcenter/shared/clock"
	"github.com/supportcenter/supportcenter/shared/domain/casestate"
	"github.com/supportcenter/supportcenter/shared/events"
	"github.com/supportcenter/supportcenter/shared/objectstore"
	"github.com/supportcenter/supportcenter/shared/runtime"
	"github.com/supportcenter/supportcenter/shared/store"
)

// BenchmarkMediaUpload30MB measures media.upload in this process (the
// function's heap, not the gateway's): a 30 MB multipart upload streamed to
// fake-gcs-server. It reports the peak growth of the in-use heap during an
// upload and what is still allocated after it, plus throughput (SetBytes).
//
//	go run ./emulator/stack test -- -tags integration -run '^$' -bench MediaUpload30MB -benchmem ./functions/attachments/
//
// BENCH_CHUNK_KIB sets Handler.ChunkSize for a comparison (a multiple of
// 256; what one upload buffers).
func BenchmarkMediaUpload30MB(b *testing.B) {
	env := testenv.Get(b)
	ctx := context.Background()
	pkg := testenv.UniqueID("BENCH")
	if err := env.Writer.Package(ctx, pkg, store.Package{DisplayName: "Bench", SupportCenterAccess: true,
		MaxAttachmentBytes: 1 << 30, MaxAttachmentsPerCase: 1 << 20}); err != nil {
		b.Fatal(err)
	}
	tn := env.NewCustomer(b, pkg, "clouddb")
	if err := env.Writer.Membership(ctx, store.Membership{OrgID: tn.OrgID, Email: tn.Email("admin"), Status: store.StatusActive,
		Roles: []store.Role{{Role: store.RoleOrgAdmin}}}); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	c := &store.Case{OrgID: tn.OrgID, ProductID: "clouddb", DisplayName: "bench", Description: "d", LanguageCode: "en",
		Priority: "P3", State: casestate.New, Open: true, SubscriberEmailAddresses: []string{}, CreatorUID: "u",
		CreatorEmail: tn.Email("admin"), CreateTime: now, UpdateTime: now}
	if _, err := store.New(env.FS()).CreateCase(ctx, c, nil); err != nil {
		b.Fatal(err)
	}
	gcs, err := objectstore.NewFromEnv(ctx)
	if err != nil {
		b.Fatal(err)
	}
	v := testenv.StubVerifier{"admin": {UID: "bench-admin", Email: tn.Email("admin"), EmailVerified: true}}
	deps := runtime.Assemble(runtime.Config{ProjectID: env.ProjectID, VendorOrgID: "support"},
		slog.New(slog.NewTextHandler(io.Discard, nil)), store.New(env.FS()), v, clock.Real{})
	h := attachments.New(deps, &events.Recorder{}, gcs.Bucket(os.Getenv("ATTACHMENTS_BUCKET")), nil)
	if s := os.Getenv("BENCH_CHUNK_KIB"); s != "" { // compare chunk sizes
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		h.ChunkSize = n << 10
	}
	routes := h.Routes()

	const fileSize = 30 << 20
	body, contentType := benchBody(b, fileSize)
	path := "/upload/v2/organizations/" + tn.OrgID + "/cases/" + c.ID + "/attachments?uploadType=multipart"
	b.SetBytes(fileSize)
	b.ReportAllocs()
	var peak, retained uint64
	for b.Loop() {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer admin")
		rec := httptest.NewRecorder()
		grew, kept := heapGrowth(func() { routes.ServeHTTP(rec, req) })
		if rec.Code != http.StatusOK {
			b.Fatalf("upload: %d %s", rec.Code, rec.Body)
		}
		peak, retained = max(peak, grew), max(retained, kept)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(retained)/(1<<20), "retained-heap-MB")
	b.ReportMetric(float64(h.ChunkSize)/(1<<10), "chunk-KiB")
}

// heapGrowth runs fn and returns how far the in-use heap rose above its
// level before fn (sampled every 2 ms) and how much more stays allocated
// after fn and a GC.
func heapGrowth(fn func()) (peak, retained uint64) {
	goruntime.GC()
	var before goruntime.MemStats
	goruntime.ReadMemStats(&before)
	top := before.HeapInuse
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var m goruntime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				goruntime.ReadMemStats(&m)
				top = max(top, m.HeapInuse)
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	goruntime.GC()
	var after goruntime.MemStats
	goruntime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		retained = after.HeapAlloc - before.HeapAlloc
	}
	return top - before.HeapInuse, retained
}

// benchBody is a media.upload multipart body shaped as Google's discovery
// client sends it, with size pseudo-random bytes.
func benchBody(b *testing.B, size int) ([]byte, string) {
	var buf bytes.Buffer
	buf.Grow(size + 1024)
	mw := multipart.NewWriter(&buf)
	meta, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	_, _ = io.WriteString(meta, `{"attachment":{"filename":"bench.bin"}}`)
	media, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/octet-stream"}})
	if _, err := io.CopyN(media, prng(30), int64(size)); err != nil {
		b.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), "multipart/related; boundary=" + mw.Boundary()
}
