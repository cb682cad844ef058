package runtime

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/supportcenter/supportcenter/shared/config"
)

type ownConfig struct {
	Bucket string        `env:"ATTACHMENTS_BUCKET,required"`
	Delay  time.Duration `env:"ACTIVATION_DELAY" default:"24h"`
}

func (c ownConfig) Validate() error {
	if c.Delay > 24*time.Hour {
		return errors.New("ACTIVATION_DELAY must be at most 24h")
	}
	return nil
}

// TestLoadReportsEverythingAtOnce: the common and the function's own
// variables are loaded in one pass, so one error names every problem.
func TestLoadReportsEverythingAtOnce(t *testing.T) {
	t.Parallel()
	_, _, err := load[ownConfig](config.MapLookuper(map[string]string{"ACTIVATION_DELAY": "soon"}), nil)
	if err == nil {
		t.Fatal("load succeeded without GOOGLE_CLOUD_PROJECT")
	}
	for _, want := range []string{"GOOGLE_CLOUD_PROJECT", "ATTACHMENTS_BUCKET", "ACTIVATION_DELAY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		environ []string
		wantErr string
	}{
		{"ok", map[string]string{"GOOGLE_CLOUD_PROJECT": "demo-x", "ATTACHMENTS_BUCKET": "b"}, nil, ""},
		{"own validate", map[string]string{"GOOGLE_CLOUD_PROJECT": "demo-x", "ATTACHMENTS_BUCKET": "b", "ACTIVATION_DELAY": "25h"}, nil, "at most 24h"},
		{"emulator in production", map[string]string{"GOOGLE_CLOUD_PROJECT": "acme-prod", "ATTACHMENTS_BUCKET": "b"},
			[]string{"FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:9099"}, "FIREBASE_AUTH_EMULATOR_HOST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			common, own, err := load[ownConfig](config.MapLookuper(tc.env), tc.environ)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if common.ProjectID != "demo-x" || common.VendorOrgID != "support" || own.Bucket != "b" || own.Delay != 24*time.Hour {
				t.Errorf("loaded %+v %+v", common, own)
			}
		})
	}
}
