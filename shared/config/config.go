// Package config loads environment variables into a struct once, at start-up,
// and reports every missing or malformed variable together.
//
// Fields are described with struct tags:
//
//	ProjectID string        `env:"GOOGLE_CLOUD_PROJECT,required"`
//	Timeout   time.Duration `env:"TIMEOUT" default:"10s"`
//
// Supported kinds: string, bool, int, int64, time.Duration, []string (comma
// separated) and nested structs (their fields are loaded too).
package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Lookuper returns the value of an environment variable and whether it is set.
type Lookuper func(key string) (string, bool)

// OSLookuper reads the process environment.
func OSLookuper() Lookuper { return os.LookupEnv }

// MapLookuper reads from a map; handy in tests.
func MapLookuper(m map[string]string) Lookuper {
	return func(key string) (string, bool) {
		v, ok := m[key]
		return v, ok
	}
}

// Load fills dst (a pointer to a struct) from lookup. It returns one error that
// joins every problem found, so an operator fixes them all in one go.
func Load(dst any, lookup Lookuper) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: Load needs a pointer to a struct, got %T", dst)
	}
	var errs []error
	load(v.Elem(), lookup, &errs)
	if len(errs) > 0 {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	if val, ok := dst.(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			return fmt.Errorf("config: %w", err)
		}
	}
	return nil
}

func load(v reflect.Value, lookup Lookuper, errs *[]error) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		if !field.IsExported() {
			continue
		}
		fv := v.Field(i)
		tag, hasTag := field.Tag.Lookup("env")
		if !hasTag {
			if fv.Kind() == reflect.Struct && field.Type != reflect.TypeOf(time.Time{}) {
				load(fv, lookup, errs)
			}
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		required := opts == "required"
		raw, ok := lookup(name)
		raw = strings.TrimSpace(raw)
		if !ok || raw == "" {
			def, hasDef := field.Tag.Lookup("default")
			switch {
			case hasDef:
				raw = def
			case required:
				*errs = append(*errs, fmt.Errorf("%s is required but not set", name))
				continue
			default:
				continue
			}
		}
		if err := set(fv, raw); err != nil {
			*errs = append(*errs, fmt.Errorf("%s: %w", name, err))
		}
	}
}

func set(fv reflect.Value, raw string) error {
	if fv.Type() == reflect.TypeOf(time.Duration(0)) {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration: %q", raw)
		}
		fv.SetInt(int64(d))
		return nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not a boolean: %q", raw)
		}
		fv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not an integer: %q", raw)
		}
		fv.SetInt(n)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported slice type %s", fv.Type())
		}
		var parts []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		fv.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported field type %s", fv.Type())
	}
	return nil
}

// CheckEmulators refuses *_EMULATOR_HOST variables unless the project id
// starts with "demo-": emulators (above all the Auth emulator, whose tokens
// are unsigned) must never serve a real project.
func CheckEmulators(projectID string, environ []string) error {
	if strings.HasPrefix(projectID, "demo-") {
		return nil
	}
	var set []string
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasSuffix(name, "_EMULATOR_HOST") && value != "" {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	sort.Strings(set)
	return fmt.Errorf("config: %s set for project %q: emulators are only allowed in demo-* projects "+
		"(an emulator accepts unsigned tokens and holds no real data); unset them or use a demo- project id",
		strings.Join(set, ", "), projectID)
}
