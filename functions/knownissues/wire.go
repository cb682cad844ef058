package knownissues

import (
	"strconv"

	"github.com/supportcenter/supportcenter/shared/casewire"
	"github.com/supportcenter/supportcenter/shared/domain/wire"
	"github.com/supportcenter/supportcenter/shared/store"
)

// KnownIssue is the known-issue resource.
type KnownIssue struct {
	Name        string   `json:"name,omitempty"`
	Title       string   `json:"title,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Details     string   `json:"details,omitempty"`
	ProductIDs  []string `json:"productIds,omitempty"`
	State       string   `json:"state,omitempty"` // ACTIVE | RESOLVED (output only)
	CreateTime  string   `json:"createTime,omitempty"`
	UpdateTime  string   `json:"updateTime,omitempty"`
	ResolveTime string   `json:"resolveTime,omitempty"`
	UpdateCount int      `json:"updateCount,omitempty"`
	// SubscriberCount is int64 as a string (get and list); Subscribed (the
	// caller) is filled by get only.
	SubscriberCount string `json:"subscriberCount,omitempty"`
	Subscribed      *bool  `json:"subscribed,omitempty"`
}

// Update is one update of a known issue.
type Update struct {
	Name       string      `json:"name,omitempty"`
	Body       string      `json:"body,omitempty"`
	CreateTime string      `json:"createTime,omitempty"`
	Author     *wire.Actor `json:"author,omitempty"`
	// Resolution marks the final update that resolved the issue.
	Resolution bool `json:"resolution,omitempty"`
}

// UpdateRequest is the body of updates.create and :resolve.
type UpdateRequest struct {
	Body string `json:"body"`
}

// MeTooRequest is the body of :meToo.
type MeTooRequest struct {
	Parent string `json:"parent"` // organizations/{org}
}

// MeTooResponse is the answer of :meToo: the linked case is the whole
// Case resource, as the cases API returns it.
type MeTooResponse struct {
	Subscribed bool           `json:"subscribed"`
	Case       *casewire.Case `json:"case,omitempty"`
}

// UnsubscribeResponse is the answer of :unsubscribe.
type UnsubscribeResponse struct {
	Subscribed bool `json:"subscribed"`
}

// ListKnownIssuesResponse is the body of knownIssues.list.
type ListKnownIssuesResponse struct {
	KnownIssues   []KnownIssue `json:"knownIssues"`
	NextPageToken string       `json:"nextPageToken,omitempty"`
}

// ListUpdatesResponse is the body of updates.list.
type ListUpdatesResponse struct {
	Updates       []Update `json:"updates"`
	NextPageToken string   `json:"nextPageToken,omitempty"`
}

func issueToWire(ki *store.KnownIssue) KnownIssue {
	return KnownIssue{
		Name: wire.KnownIssueName(ki.ID), Title: ki.Title, Summary: ki.Summary, Details: ki.Details,
		ProductIDs: ki.ProductIDs, State: ki.State, CreateTime: wire.Timestamp(ki.CreateTime),
		UpdateTime: wire.Timestamp(ki.UpdateTime), ResolveTime: wire.Timestamp(ki.ResolveTime), UpdateCount: ki.UpdateCount,
	}
}

func withCount(k KnownIssue, n int64, subscribed bool) KnownIssue {
	k.SubscriberCount = strconv.FormatInt(n, 10)
	k.Subscribed = &subscribed
	return k
}

// UpdateName is "knownIssues/{id}/updates/{update}".
func UpdateName(issueID, updateID string) string {
	return wire.KnownIssueName(issueID) + "/updates/" + updateID
}

func updateToWire(issueID string, u *store.KnownIssueUpdate) Update {
	return Update{Name: UpdateName(issueID, u.ID), Body: u.Body, CreateTime: wire.Timestamp(u.CreateTime),
		Author: wire.NewActor(u.AuthorName, u.AuthorEmail, true), Resolution: u.Resolution}
}
