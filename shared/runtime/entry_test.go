package runtime

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
)

type neverHandler struct{}

func (neverHandler) Handle(context.Context, event.Event) error    { return nil }
func (neverHandler) Run(context.Context) error                    { return nil }
func (neverHandler) ServeHTTP(http.ResponseWriter, *http.Request) {}

// TestEntriesRefuseToStartWithoutConfig: a function whose environment is
// incomplete never reaches its build; HTTP callers get 503 UNAVAILABLE and
// event or scheduled deliveries an error (so Pub/Sub redelivers them)
// naming nothing secret.
func TestEntriesRefuseToStartWithoutConfig(t *testing.T) {
	t.Setenv("GOOGLE_CLOUD_PROJECT", "")
	built := false
	build := func(context.Context, *Deps, NoConfig) (neverHandler, error) {
		built = true
		return neverHandler{}, nil
	}

	rec := httptest.NewRecorder()
	HTTP("web", build)(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"UNAVAILABLE"`) {
		t.Errorf("HTTP entry answered %d %s", rec.Code, rec.Body)
	}
	ev := event.New()
	if err := Event("ev", build)(t.Context(), ev); err == nil || !strings.Contains(err.Error(), "GOOGLE_CLOUD_PROJECT") {
		t.Errorf("event entry: %v", err)
	}
	if err := Scheduled("job", build)(t.Context(), ev); err == nil || !strings.Contains(err.Error(), "GOOGLE_CLOUD_PROJECT") {
		t.Errorf("scheduled entry: %v", err)
	}
	if built {
		t.Error("build ran without configuration")
	}
}
