package attachments

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/store"
)

// Page sizes (Cloud Support: default 10, at most 100; larger requests are
// coerced to the maximum, as AIP-158 asks).
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// list serves GET …/cases/{case}/attachments (attachments.list): the
// case's READY attachments in upload order. Costs one case read plus at
// most pageSize+1 attachment reads.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) error {
	orgID, caseID, err := pathCase(r)
	if err != nil {
		return err
	}
	a, err := h.deps.Actor(r, orgID)
	if err != nil {
		return err
	}
	size, err := pageSize(r)
	if err != nil {
		return err
	}
	key := "attachments|" + caseName(orgID, caseID)
	after, err := decodeToken(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	c, err := h.deps.Store.Case(r.Context(), caseID)
	if err != nil {
		return storeErr(err, "case")
	}
	if err := a.CheckCase(access.CaseRead, caseRef(c)); err != nil {
		return err
	}
	atts, err := h.deps.Store.Attachments(r.Context(), caseID, after, size+1)
	if err != nil {
		return storeErr(err, "case")
	}
	out := ListAttachmentsResponse{Attachments: []Attachment{}}
	if len(atts) > size {
		out.NextPageToken = encodeToken(atts[size-1].ID, key)
		atts = atts[:size]
	}
	for _, at := range atts {
		out.Attachments = append(out.Attachments, toWire(at))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// pageSize reads ?pageSize=.
func pageSize(r *http.Request) (int, error) {
	s := r.URL.Query().Get("pageSize")
	if s == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, apierror.InvalidArgument("pageSize must be a non-negative integer").WithFieldViolation("pageSize", "not a non-negative integer")
	}
	if n == 0 {
		return defaultPageSize, nil
	}
	return min(n, maxPageSize), nil
}

// pageToken is the opaque token: the last attachment id of the previous
// page and a hash of the case it belongs to, so a token is not replayed
// against another case.
type pageToken struct {
	After string `json:"a"`
	Hash  string `json:"h"`
}

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

func encodeToken(after, key string) string {
	b, _ := json.Marshal(pageToken{After: after, Hash: keyHash(key)})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s, key string) (string, error) {
	if s == "" {
		return "", nil
	}
	bad := apierror.InvalidArgument("pageToken is not valid for this request; start again without it").
		WithFieldViolation("pageToken", "invalid or from another request")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 256 {
		return "", bad
	}
	var t pageToken
	if err := json.Unmarshal(b, &t); err != nil || t.Hash != keyHash(key) || !store.ValidAttachmentID(t.After) {
		return "", bad
	}
	return t.After, nil
}
