//go:build integration

package matrix

import (
	"context"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/storage"

	"github.com/supportcenter/supportcenter/shared/store"
)

// Attachments rows: every route of the attachments function × every actor.
// Reading (list, get, download) follows the case; uploading (media and
// upload sessions) needs access.CaseUpload: members, admins, the granted
// reseller and support staff; viewers and other products' members 403.

func init() {
	customers := []Actor{Member, OrgAdmin, ProductAdmin}
	staff := []Actor{SupportAgent, SupportAdminActor}
	hidden := Uniform(http.StatusNotFound, ResellerNoGrant, ResellerRevoked, ResellerNew)
	read := Merge(Baseline(), hidden,
		Uniform(http.StatusOK, append(append([]Actor{Viewer, ResellerGranted}, customers...), staff...)...),
		Uniform(http.StatusForbidden, OtherProduct))
	upload := Merge(Baseline(), hidden,
		Uniform(http.StatusOK, append(append([]Actor{ResellerGranted}, customers...), staff...)...),
		Uniform(http.StatusForbidden, Viewer, OtherProduct))

	casePath := func(w *World, a Actor, id string) string {
		return "/v2/organizations/" + w.Targets[a].OrgID + "/cases/" + id
	}
	register(
		Endpoint{Name: "attachments.list", Method: "GET", Route: "/v2/organizations/*/cases/*/attachments", Want: read,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(w, a, w.Case(t, a)) + "/attachments?pageSize=5", nil
			}},
		Endpoint{Name: "media.upload", Method: "POST", Route: "/upload/v2/organizations/*/cases/*/attachments", Want: upload,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				// Simple upload: the (JSON-encoded) string is the file.
				return "/upload" + casePath(w, a, w.NewCase(t, a)) + "/attachments?uploadType=media&attachment.filename=matrix.txt",
					"a file from the access matrix"
			}},
		Endpoint{Name: "attachments.uploadSession", Method: "POST", Route: "/v2/organizations/*/cases/*/attachments:uploadSession", Want: upload,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return casePath(w, a, w.NewCase(t, a)) + "/attachments:uploadSession",
					map[string]any{"filename": "big.bin", "sizeBytes": "1048576"}
			}},
		Endpoint{Name: "media.download", Method: "GET", Route: "/v2/organizations/*/cases/*/attachments/*", Want: read,
			Build: func(t testing.TB, w *World, a Actor) (string, any) {
				return "/v2/" + readyAttachment(t, w, a) + ":download?alt=media", nil
			}},
		Endpoint{Name: "attachments.get", Method: "GET", Route: "/v2/organizations/*/cases/*/attachments/*", Want: read,
			Build: func(t testing.TB, w *World, a Actor) (string, any) { return "/v2/" + readyAttachment(t, w, a), nil }},
	)
}

var (
	readyMu          sync.Mutex
	readyAttachments = map[string]string{} // case id → attachment name
)

// readyAttachment returns a READY attachment in the actor's shared target
// case, created once per case the way an upload makes one: a PENDING
// attachment, its object in the attachments bucket, the validation applied.
func readyAttachment(t testing.TB, w *World, a Actor) string {
	t.Helper()
	caseID := w.Case(t, a)
	readyMu.Lock()
	defer readyMu.Unlock()
	if name, ok := readyAttachments[caseID]; ok {
		return name
	}
	ctx := context.Background()
	st := store.New(w.Env.FS())
	now := time.Now().UTC()
	orgID := w.Targets[a].OrgID
	att := &store.Attachment{ID: store.NewAttachmentID(now), OrgID: orgID, CaseID: caseID, State: store.AttachmentPending,
		Source: store.SourceMedia, Filename: "matrix.txt", CreatorUID: "matrix", CreatorEmail: "matrix@" + orgID + ".example",
		CreateTime: now, UpdateTime: now}
	att.Object = store.AttachmentObject(orgID, caseID, att.ID)
	if err := st.CreateAttachment(ctx, att); err != nil {
		t.Fatal(err)
	}
	gcs, err := storage.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer gcs.Close()
	content := []byte("matrix attachment\n")
	ow := gcs.Bucket(os.Getenv("ATTACHMENTS_BUCKET")).Object(att.Object).NewWriter(ctx)
	if _, err := ow.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := ow.Close(); err != nil {
		t.Fatal(err)
	}
	check := store.CheckAttachment(ow.Attrs().Generation, int64(len(content)), content, nil, now)
	got, _, _, err := st.FinalizeAttachment(ctx, caseID, att.ID, check, "matrix-"+att.ID)
	if err != nil || got.State != store.AttachmentReady {
		t.Fatalf("matrix attachment not ready: %v %+v", err, got)
	}
	name := "organizations/" + orgID + "/cases/" + caseID + "/attachments/" + att.ID
	readyAttachments[caseID] = name
	return name
}
