package store

import (
	"reflect"
	"sync"
)

// deepCopy returns a copy of *v that shares no pointer, slice or map with
// it, for the "before" side of a change (MutateCase): copying the decoded
// document costs a fraction of decoding the snapshot again. Unexported
// fields are copied as values (in the stored types they occur only inside
// time.Time, which is immutable).
func deepCopy[T any](v *T) *T {
	out := new(T)
	*out = *v
	o := reflect.ValueOf(out).Elem()
	if o.Kind() != reflect.Struct {
		o.Set(copyValue(o))
		return out
	}
	for _, i := range refFields(o.Type()) { // the rest is copied already
		o.Field(i).Set(copyValue(o.Field(i)))
	}
	return out
}

func copyValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(copyValue(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if !hasRefs(v.Type().Elem()) {
			reflect.Copy(out, v)
			return out
		}
		for i := range v.Len() {
			out.Index(i).Set(copyValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), copyValue(it.Value()))
		}
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			out.Index(i).Set(copyValue(v.Index(i)))
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(copyValue(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for _, i := range refFields(v.Type()) {
			out.Field(i).Set(copyValue(v.Field(i)))
		}
		return out
	}
	return v
}

// refFieldsOf caches refFields per struct type.
var refFieldsOf sync.Map // reflect.Type → []int

// refFields lists the exported fields of struct type t that can share
// memory with a copy (hasRefs).
func refFields(t reflect.Type) []int {
	if f, ok := refFieldsOf.Load(t); ok {
		return f.([]int)
	}
	var f []int
	for i := range t.NumField() {
		if t.Field(i).IsExported() && hasRefs(t.Field(i).Type) {
			f = append(f, i)
		}
	}
	refFieldsOf.Store(t, f)
	return f
}

// hasRefs reports whether a value of t can share memory with a copy of it.
func hasRefs(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return hasRefs(t.Elem())
	case reflect.Struct:
		return len(refFields(t)) > 0
	}
	return false
}
