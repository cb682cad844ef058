package store

import (
	"slices"
	"testing"
	"time"

	"cloud.google.com/go/firestore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestReplaceUpdates(t *testing.T) {
	t.Parallel()
	type inner struct {
		A string `firestore:"a"`
	}
	type doc struct {
		Name    string    `firestore:"name"`
		Note    string    `firestore:"note,omitempty"`
		When    time.Time `firestore:"when,omitempty"`
		Ptr     *inner    `firestore:"ptr,omitempty"`
		Map     inner     `firestore:"map"`
		Skipped string    `firestore:"-"`
		Untaged int
		private int //nolint:unused // an unexported field is never written
	}
	now := time.Now()
	for _, tc := range []struct {
		name    string
		v       any
		old     map[string]any
		before  any
		set     []string // fields written with a value
		deleted []string // fields deleted
	}{
		{"every field set", &doc{Name: "n", Note: "x", When: now, Ptr: &inner{}, Untaged: 1}, nil, nil,
			[]string{"name", "note", "when", "ptr", "map", "Untaged"}, nil},
		{"empty omitempty fields are deleted when stored", doc{Name: "n"}, map[string]any{"note": "x", "when": now, "name": "m"}, nil,
			[]string{"name", "map", "Untaged"}, []string{"note", "when"}},
		{"empty omitempty fields absent before stay absent", doc{}, map[string]any{"name": "m"}, nil,
			[]string{"name", "map", "Untaged"}, nil},
		{"stored fields the struct lacks are deleted", doc{Name: "n"}, map[string]any{"legacy": 1, "Skipped": "s"}, nil,
			[]string{"name", "map", "Untaged"}, []string{"legacy", "Skipped"}},
		{"with before: only what changed", doc{Name: "n", Note: "", Map: inner{A: "b"}, Untaged: 2},
			map[string]any{"name": "n", "note": "x", "map": map[string]any{"A": "a"}, "Untaged": 2, "legacy": 1},
			doc{Name: "n", Note: "x", Map: inner{A: "a"}, Untaged: 2},
			[]string{"map"}, []string{"note", "legacy"}},
		{"with before: an unchanged field missing from the document is written", doc{Name: "n", Untaged: 2},
			map[string]any{"Untaged": 2}, doc{Name: "n", Untaged: 2},
			[]string{"name", "map"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ups, err := replaceUpdates(tc.v, tc.old, tc.before)
			if err != nil {
				t.Fatal(err)
			}
			var set, deleted []string
			for _, u := range ups {
				if len(u.FieldPath) != 1 || u.Path != "" {
					t.Fatalf("update %+v is not one top-level field path", u)
				}
				if u.Value == firestore.Delete {
					deleted = append(deleted, u.FieldPath[0])
				} else {
					set = append(set, u.FieldPath[0])
				}
			}
			slices.Sort(set)
			slices.Sort(deleted)
			slices.Sort(tc.set)
			slices.Sort(tc.deleted)
			if !slices.Equal(set, tc.set) || !slices.Equal(deleted, tc.deleted) {
				t.Fatalf("set %v deleted %v, want set %v deleted %v", set, deleted, tc.set, tc.deleted)
			}
		})
	}
}

func TestReplaceUpdatesRefuses(t *testing.T) {
	t.Parallel()
	type base struct{ A string }
	type embedded struct {
		base
		B string
	}
	type embeddedExported struct {
		Base base `firestore:"base"`
		*Case
	}
	type serverTime struct {
		T time.Time `firestore:"t,serverTimestamp"`
	}
	var nilCase *Case
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"not a struct", map[string]any{"a": 1}},
		{"nil pointer", nilCase},
		{"embedded exported struct", embeddedExported{}},
		{"unknown tag option", serverTime{}},
	} {
		if _, err := replaceUpdates(tc.v, nil, nil); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	// Unexported embedded structs are not encoded by the client either
	// (their fields are promoted, though): refused too.
	if _, err := replaceUpdates(embedded{}, nil, nil); err == nil {
		t.Error("embedded unexported struct: accepted")
	}
}

func TestLostRace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err     error
		created bool
		want    bool
	}{
		{status.Error(codes.FailedPrecondition, "t"), false, true},
		{status.Error(codes.Aborted, "t"), false, true},
		{status.Error(codes.NotFound, "t"), false, true},
		{ErrAlreadyExists, true, true},
		{ErrAlreadyExists, false, false}, // a survey's second create: not a race
		{status.Error(codes.InvalidArgument, "t"), false, false},
	} {
		if got := lostRace(tc.err, tc.created); got != tc.want {
			t.Errorf("lostRace(%v, created=%v) = %v", tc.err, tc.created, got)
		}
	}
}
