package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// fill sets every exported field reachable from v to a non-zero value
// (pointers allocated, slices and maps with one entry).
func fill(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(t, v.Index(0), path+"[0]")
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k := reflect.New(v.Type().Key()).Elem()
		fill(t, k, path+"{key}")
		e := reflect.New(v.Type().Elem()).Elem()
		fill(t, e, path+"{}")
		v.SetMapIndex(k, e)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(0.5)
	default:
		t.Fatalf("%s: no filler for %s", path, v.Kind())
	}
}

// shared returns the path of the first pointer, slice or map that a and b
// (equal values) have in common, or "".
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
	}
	switch a.Kind() {
	case reflect.Pointer:
		if !a.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	case reflect.Slice:
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		for it := a.MapRange(); it.Next(); {
			if p := shared(it.Value(), b.MapIndex(it.Key()), path+"{}"); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// TestDeepCopy: a copy of a case with every field set is equal to it and
// shares no memory with it, so changing the case leaves the copy as it was
// (the "before" of MutateCase); a new field of any kind is covered.
func TestDeepCopy(t *testing.T) {
	t.Parallel()
	var c Case
	fill(t, reflect.ValueOf(&c).Elem(), "Case")
	cp := deepCopy(&c)
	if !reflect.DeepEqual(&c, cp) {
		t.Fatalf("copy differs:\n%+v\n%+v", c, *cp)
	}
	if p := shared(reflect.ValueOf(&c).Elem(), reflect.ValueOf(cp).Elem(), "Case"); p != "" {
		t.Fatalf("%s is shared between the case and its copy", p)
	}
	var empty Case
	if cp := deepCopy(&empty); !reflect.DeepEqual(&empty, cp) {
		t.Fatalf("copy of the zero case differs: %+v", *cp)
	}
}
