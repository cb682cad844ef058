package config

import (
	"strings"
	"testing"
	"time"
)

type inner struct {
	Host string `env:"HOST,required"`
}

type sample struct {
	Project string        `env:"PROJECT,required"`
	Port    int           `env:"PORT" default:"8080"`
	Debug   bool          `env:"DEBUG"`
	Timeout time.Duration `env:"TIMEOUT" default:"5s"`
	Origins []string      `env:"ORIGINS"`
	Inner   inner
}

func TestLoad(t *testing.T) {
	t.Parallel()
	var got sample
	err := Load(&got, MapLookuper(map[string]string{
		"PROJECT": "p", "DEBUG": "true", "ORIGINS": "a, b,", "HOST": "h",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.Project != "p" || got.Port != 8080 || !got.Debug || got.Timeout != 5*time.Second ||
		len(got.Origins) != 2 || got.Origins[1] != "b" || got.Inner.Host != "h" {
		t.Fatalf("unexpected config %+v", got)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	var got sample
	err := Load(&got, MapLookuper(map[string]string{"PORT": "eighty", "TIMEOUT": "soon"}))
	if err == nil {
		t.Fatal("Load succeeded with missing variables")
	}
	for _, want := range []string{"PROJECT is required", "HOST is required", "PORT: not an integer", "TIMEOUT: not a duration"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLoadRejectsNonPointer(t *testing.T) {
	t.Parallel()
	if err := Load(sample{}, MapLookuper(nil)); err == nil {
		t.Fatal("Load accepted a non-pointer")
	}
}

func TestCheckEmulators(t *testing.T) {
	t.Parallel()
	tests := []struct {
		project string
		environ []string
		ok      bool
	}{
		{"demo-supportcenter", []string{"FIRESTORE_EMULATOR_HOST=127.0.0.1:8080", "FIREBASE_AUTH_EMULATOR_HOST=x"}, true},
		{"acme-prod", nil, true},
		{"acme-prod", []string{"PATH=/bin", "FIRESTORE_EMULATOR_HOST="}, true},
		{"acme-prod", []string{"FIRESTORE_EMULATOR_HOST=127.0.0.1:8080"}, false},
		{"acme-prod", []string{"STORAGE_EMULATOR_HOST=http://127.0.0.1:4443"}, false},
		{"demo", []string{"PUBSUB_EMULATOR_HOST=127.0.0.1:8085"}, false},
	}
	for _, tc := range tests {
		err := CheckEmulators(tc.project, tc.environ)
		if (err == nil) != tc.ok {
			t.Errorf("CheckEmulators(%q, %v) = %v, want ok=%v", tc.project, tc.environ, err, tc.ok)
		}
	}
}
