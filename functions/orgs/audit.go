package orgs

import (
	"net/http"

	"github.com/supportcenter/supportcenter/shared/access"
	"github.com/supportcenter/supportcenter/shared/apierror"
	"github.com/supportcenter/supportcenter/shared/httpapi"
	"github.com/supportcenter/supportcenter/shared/pagination"
)

// auditLog serves GET /v2/organizations/{org}/auditLog?pageSize=&pageToken= :
// the organisation's access changes (reseller grants and revocations,
// transfers, user and role changes), newest first. Customer org admins and
// support staff only.
//
// Reads: resolve (4) + one per entry, at most pageSize+1 (1 when none).
// Writes: 0.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) error {
	a, err := h.actor(r, "")
	if err != nil {
		return err
	}
	if err := a.Check(access.AuditRead); err != nil {
		return err
	}
	size, err := pagination.Size(r, defaultPageSize, maxPageSize)
	if err != nil {
		return err
	}
	key := "auditLog|" + a.Org.ID
	after, err := decodeCursor(r, key)
	if err != nil {
		return err
	}
	// One more than a page tells whether another page follows without
	// an extra request.
	entries, err := h.deps.Store.AuditPage(r.Context(), a.Org.ID, after, size+1)
	if err != nil {
		return apierror.From(err)
	}
	out := ListAuditLogResponse{AuditEntries: []AuditEntry{}}
	if len(entries) > size {
		entries = entries[:size]
		last := entries[size-1]
		out.NextPageToken = encodeToken(key, last.Time, last.ID)
	}
	for _, e := range entries {
		out.AuditEntries = append(out.AuditEntries, auditView(e))
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}
