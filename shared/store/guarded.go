package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/firestore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Guarded writes: a change that reads and rewrites exactly one document
// (and may add blind writes beside it: outbox messages, a new comment)
// does not need a transaction. It reads the document, then commits its
// writes in one atomic commit whose write of that document carries a
// precondition — the update time it was read with, or "must not exist"
// when it was missing. A concurrent change makes the commit fail
// (FAILED_PRECONDITION, or NOT_FOUND / ALREADY_EXISTS when the document
// was deleted or created meanwhile; ABORTED from the backend is treated
// alike), and the read-check-commit round runs again. Same reads and
// writes as the transaction (begin, get, commit), one round trip fewer.

// guardAttempts bounds the rounds of one guarded write, as the client's
// transactions bound theirs.
const guardAttempts = 5

// errContention is what a guarded write returns when every round lost a
// race: ABORTED, as an exhausted transaction reports.
var errContention = status.Error(codes.Aborted, "the document kept changing; try again")

// guarded is one round of a guarded write: the snapshot read, and the
// writes of the commit. Methods add writes; their errors surface at once
// or at the commit.
type guarded struct {
	store   *Store
	ref     *firestore.DocumentRef
	snap    *firestore.DocumentSnapshot
	b       *firestore.WriteBatch //nolint:staticcheck // one atomic commit without a transaction round trip; nothing else does that
	writes  int
	created bool // the guard is "must not exist" (a create of ref)
}

// guard is the precondition of the write of ref: its update time as read.
func (g *guarded) guard() firestore.Precondition { return firestore.LastUpdateTime(g.snap.UpdateTime) }

// replace makes the document what setting v would write, guarded; a
// missing document is created (guarded by its absence). before is v's
// type decoded from the snapshot (nil: unknown): fields equal in v and
// before are left as they are, so the commit carries only the changed
// fields (the guard makes that the same as rewriting them).
func (g *guarded) replace(v, before any) error {
	if !g.snap.Exists() {
		return g.create(v)
	}
	old := g.snap.Data()
	ups, err := replaceUpdates(v, old, before)
	if err == nil && len(ups) == 0 { // nothing differs: rewrite it all, so the guard still holds
		ups, err = replaceUpdates(v, old, nil)
	}
	if err != nil {
		return err
	}
	g.b.Update(g.ref, ups, g.guard())
	g.writes++
	return nil
}

// update changes fields of the document, guarded (it must exist).
func (g *guarded) update(ups []firestore.Update) {
	g.b.Update(g.ref, ups, g.guard())
	g.writes++
}

// create writes the document, which was missing when read.
func (g *guarded) create(v any) error {
	if g.snap.Exists() {
		return fmt.Errorf("guarded create of %s: it exists", g.ref.Path)
	}
	g.b.Create(g.ref, v)
	g.writes++
	g.created = true
	return nil
}

// setOther writes another document as is (no guard: its value does not
// depend on what it held, e.g. an outbox message keyed by event id).
func (g *guarded) setOther(ref *firestore.DocumentRef, v any) error {
	g.b.Set(ref, v)
	g.writes++
	return nil
}

// createOther creates another document; its existing fails the commit
// with ALREADY_EXISTS, which is not retried (when the guard is an update).
func (g *guarded) createOther(ref *firestore.DocumentRef, v any) error {
	g.b.Create(ref, v)
	g.writes++
	return nil
}

// readThenCommit runs guarded rounds on ref: it reads ref (a missing
// document gives a snapshot that does not exist), calls fn to check it
// and add writes, and commits them; a round that lost a race runs again,
// at most guardAttempts times (with jittered backoff). fn's errors end it
// unchanged. fn must depend only on the snapshot (it may run more than
// once). A round in which fn adds no write commits nothing.
func (s *Store) readThenCommit(ctx context.Context, ref *firestore.DocumentRef, fn func(g *guarded) error) error {
	for attempt := range guardAttempts {
		if attempt > 0 {
			// Full jitter, 0–2 ms, 0–4 ms, …: contenders spread out.
			wait := time.Duration(rand.Int64N(int64(time.Millisecond<<attempt) + 1))
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		snap, err := ref.Get(ctx)
		if err != nil && !IsNotFound(err) {
			return err
		}
		if snap == nil {
			return fmt.Errorf("get %s: no snapshot", ref.Path)
		}
		g := &guarded{store: s, ref: ref, snap: snap, b: s.fs.Batch()} //nolint:staticcheck // see guarded.b
		if err := fn(g); err != nil {
			return err
		}
		if g.writes == 0 {
			return nil
		}
		_, err = g.b.Commit(ctx)
		if err == nil {
			return nil
		}
		if !lostRace(err, g.created) {
			return err
		}
	}
	return errContention
}

// lostRace reports whether a guarded commit failed because the document
// changed, went or appeared since it was read.
func lostRace(err error, created bool) bool {
	switch status.Code(err) {
	case codes.FailedPrecondition, codes.Aborted, codes.NotFound:
		return true
	case codes.AlreadyExists:
		return created
	}
	return false
}

// replaceUpdates lists the field updates that turn a document holding old
// into what setting v (a struct or a pointer to one) writes: every
// top-level field of v with its value (a map or struct value replaces the
// field whole, as Set does), a delete for an omitted empty field, and a
// delete for each old field v does not have. With before (v's type, as
// decoded from old), a field equal in both and stored as v would store it
// is left out. It reads v's firestore tags as the client does; tag
// options other than omitempty are refused, so a new kind of field fails
// the tests rather than being written wrongly.
func replaceUpdates(v any, old map[string]any, before any) ([]firestore.Update, error) {
	rv, err := structValue(v)
	if err != nil {
		return nil, err
	}
	var bv reflect.Value
	if before != nil {
		if bv, err = structValue(before); err != nil {
			return nil, err
		}
		if bv.Type() != rv.Type() {
			return nil, fmt.Errorf("replace: before is a %s, not a %s", bv.Type(), rv.Type())
		}
	}
	sf := storedFieldsOf(rv.Type())
	if sf.err != nil {
		return nil, sf.err
	}
	var ups []firestore.Update
	for _, f := range sf.fields {
		fv := rv.Field(f.index)
		_, stored := old[f.name]
		omitted := f.omitEmpty && isEmpty(fv)
		if bv.IsValid() && stored != omitted && f.equal(fv, bv.Field(f.index)) {
			continue // unchanged, and stored as v stores it
		}
		if omitted {
			if stored {
				ups = append(ups, firestore.Update{FieldPath: firestore.FieldPath{f.name}, Value: firestore.Delete})
			}
			continue
		}
		ups = append(ups, firestore.Update{FieldPath: firestore.FieldPath{f.name}, Value: fv.Interface()})
	}
	for name := range old {
		if !sf.names[name] {
			ups = append(ups, firestore.Update{FieldPath: firestore.FieldPath{name}, Value: firestore.Delete})
		}
	}
	return ups, nil
}

// storedField is one field of a stored struct type as the client writes
// it: its index, its name in the document, its omitempty option, and how
// to compare two values of it.
type storedField struct {
	index     int
	name      string
	omitEmpty bool
	equal     func(a, b reflect.Value) bool
}

// storedFieldsCache holds storedFieldsOf's answer per type.
var storedFieldsCache sync.Map // reflect.Type → storedFields

// storedFields are the fields of a struct type the client writes (and
// their names), or the error refusing the type.
type storedFields struct {
	fields []storedField
	names  map[string]bool
	err    error
}

// storedFieldsOf reads the firestore tags of struct type t as the client
// does, once per type (replace runs on every single-document change).
func storedFieldsOf(t reflect.Type) storedFields {
	if v, ok := storedFieldsCache.Load(t); ok {
		return v.(storedFields)
	}
	e := storedFields{names: map[string]bool{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			e.err = fmt.Errorf("replace: embedded field %s.%s is not supported", t, f.Name)
			break
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("firestore"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		sf := storedField{index: i, name: name, equal: equalFunc(f.Type)}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "":
			case "omitempty":
				sf.omitEmpty = true
			default:
				e.err = fmt.Errorf("replace: tag option %q of %s.%s is not supported", o, t, f.Name)
			}
		}
		if e.err != nil {
			break
		}
		e.fields = append(e.fields, sf)
		e.names[name] = true
	}
	if e.err != nil {
		e.fields, e.names = nil, nil
	}
	storedFieldsCache.Store(t, e)
	return e
}

// equalFunc compares two values of type t as reflect.DeepEqual does,
// without boxing the common scalar kinds.
func equalFunc(t reflect.Type) func(a, b reflect.Value) bool {
	switch t.Kind() {
	case reflect.String:
		return func(a, b reflect.Value) bool { return a.String() == b.String() }
	case reflect.Bool:
		return func(a, b reflect.Value) bool { return a.Bool() == b.Bool() }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(a, b reflect.Value) bool { return a.Int() == b.Int() }
	}
	return func(a, b reflect.Value) bool { return reflect.DeepEqual(a.Interface(), b.Interface()) }
}

// structValue is v (a struct or a non-nil pointer to one) as a struct value.
func structValue(v any) (reflect.Value, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return reflect.Value{}, errors.New("replace: nil value")
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("replace: %s is not a struct", rv.Type())
	}
	return rv, nil
}

// isEmpty is the client's omitempty rule (encoding/json's, plus the zero
// time).
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.IsZero()
	}
	return false
}
