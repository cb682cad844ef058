package attachments

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
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
	if _, _, err := h.deps.CaseFor(r, orgID, caseID, access.CaseRead); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "attachments|" + wire.CaseName(orgID, caseID)
	after, err := decodeToken(r.URL.Query().Get("pageToken"), key)
	if err != nil {
		return err
	}
	atts, err := h.deps.Store.Attachments(r.Context(), caseID, after, size+1)
	if err != nil {
		return apierror.Describe(err, "case")
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

// encodeToken / decodeToken carry the last attachment id of the previous
// page in a page token bound to key (the case), so a token is not replayed
// against another case.
func encodeToken(after, key string) string {
	return pagination.Encode(key, pagination.Token{ID: after})
}

func decodeToken(s, key string) (string, error) {
	t, err := pagination.Decode(s, key)
	if err != nil || t == nil {
		return "", err
	}
	if !wire.ValidAttachmentID(t.ID) {
		return "", pagination.Invalid()
	}
	return t.ID, nil
}
