package resources

import (
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Resource is a published resource as clients see it.
type Resource struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Kind        string     `json:"kind"`
	Version     string     `json:"version"`
	ProductIDs  []string   `json:"productIds"`
	PackageIDs  []string   `json:"packageIds"`
	Filename    string     `json:"filename"`
	SizeBytes   wire.Int64 `json:"sizeBytes"`
	SHA256      string     `json:"sha256"`
	State       string     `json:"state"`
	CreateTime  string     `json:"createTime"`
	UpdateTime  string     `json:"updateTime,omitempty"`
	// Supersedes and SupersededBy name the older and the newer version.
	Supersedes   string `json:"supersedes,omitempty"`
	SupersededBy string `json:"supersededBy,omitempty"`
	// RejectReason (support staff only): SIZE_MISMATCH or SHA256_MISMATCH.
	RejectReason string `json:"rejectReason,omitempty"`
}

// CreateResourceRequest is the body of POST /v2/resources.
type CreateResourceRequest struct {
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Kind        string     `json:"kind"`
	Version     string     `json:"version"`
	ProductIDs  []string   `json:"productIds"`
	PackageIDs  []string   `json:"packageIds"`
	Filename    string     `json:"filename"`
	SizeBytes   wire.Int64 `json:"sizeBytes"`
	SHA256      string     `json:"sha256"`
	// Supersedes names the resource this one replaces once it is READY.
	Supersedes string `json:"supersedes,omitempty"`
}

// CreateResourceResponse tells the publisher how to send the file: POST
// UploadURI with UploadHeaders and an empty body before ExpireTime, then
// PUT the bytes (in one request, or in chunks with Content-Range) to the
// Location the answer carries. The resource becomes READY or REJECTED once
// the object is finalized and validated; poll GET /v2/resources/{id}.
type CreateResourceResponse struct {
	Resource      Resource          `json:"resource"`
	UploadURI     string            `json:"uploadUri"`
	UploadMethod  string            `json:"uploadMethod"`
	UploadHeaders map[string]string `json:"uploadHeaders"`
	ExpireTime    string            `json:"expireTime"`
}

// ListResourcesResponse is the body of GET /v2/resources.
type ListResourcesResponse struct {
	Resources     []Resource `json:"resources"`
	NextPageToken string     `json:"nextPageToken,omitempty"`
}

// DownloadResponse is the body of GET /v2/resources/{id}:download.
type DownloadResponse struct {
	DownloadURI string `json:"downloadUri"`
	ExpireTime  string `json:"expireTime"`
}

// Download is one recorded download.
type Download struct {
	Email string `json:"email"`
	// Organization is the entitled organisation the download was for;
	// Via the downloader's own organisation when another (a reseller).
	Organization string `json:"organization"`
	Via          string `json:"via,omitempty"`
	Time         string `json:"time"`
}

// ListDownloadsResponse is the body of GET /v2/resources/{id}/downloads.
type ListDownloadsResponse struct {
	Downloads     []Download `json:"downloads"`
	NextPageToken string     `json:"nextPageToken,omitempty"`
}

// CreateFeedbackRequest is the body of POST /v2/feedback.
type CreateFeedbackRequest struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	PageURL string `json:"pageUrl"`
}

// Feedback is one submission as support staff (and its sender, once) see it.
type Feedback struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	Message      string `json:"message"`
	PageURL      string `json:"pageUrl,omitempty"`
	Email        string `json:"email"`
	Organization string `json:"organization,omitempty"`
	State        string `json:"state"`
	CreateTime   string `json:"createTime"`
	TriageTime   string `json:"triageTime,omitempty"`
	TriagedBy    string `json:"triagedBy,omitempty"`
}

// ListFeedbackResponse is the body of GET /v2/feedback.
type ListFeedbackResponse struct {
	Feedback      []Feedback `json:"feedback"`
	NextPageToken string     `json:"nextPageToken,omitempty"`
}

// toWire renders a resource; staff also see why an upload was rejected.
func toWire(r *store.Resource, staff bool) Resource {
	out := Resource{
		Name: wire.ResourceName(r.ID), Title: r.Title, Description: r.Description, Kind: r.Kind, Version: r.Version,
		ProductIDs: r.ProductIDs, PackageIDs: r.PackageIDs, Filename: r.Filename, SizeBytes: wire.Int64(r.SizeBytes),
		SHA256: r.SHA256, State: r.State, CreateTime: wire.Timestamp(r.CreateTime), UpdateTime: wire.Timestamp(r.UpdateTime),
	}
	if r.Supersedes != "" {
		out.Supersedes = wire.ResourceName(r.Supersedes)
	}
	if r.SupersededBy != "" {
		out.SupersededBy = wire.ResourceName(r.SupersededBy)
	}
	if staff {
		out.RejectReason = r.RejectReason
	}
	return out
}

func orgName(id string) string {
	if id == "" {
		return ""
	}
	return wire.OrgName(id)
}

func downloadView(d *store.ResourceDownload) Download {
	return Download{Email: d.Email, Organization: orgName(d.OrgID), Via: orgName(d.ViaOrgID), Time: wire.Timestamp(d.Time)}
}

func feedbackView(f *store.Feedback) Feedback {
	out := Feedback{Name: wire.FeedbackName(f.ID), Kind: f.Kind, Message: f.Message, PageURL: f.PageURL, Email: f.Email,
		Organization: orgName(f.OrgID), State: f.State, CreateTime: wire.Timestamp(f.CreateTime), TriagedBy: f.TriagedBy}
	if !f.TriageTime.IsZero() {
		out.TriageTime = wire.Timestamp(f.TriageTime)
	}
	return out
}
