// Package orgs is the "orgs" HTTP function (see infra/functions.yaml).
package orgs

import (
	"context"
	"net/http"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/supportcenter/supportcenter/shared/api"
	"github.com/supportcenter/supportcenter/shared/httpapi"
)

func init() { functions.HTTP("orgs", Serve) }

// Serve is the function's entry point.
var Serve = api.Lazy(func(ctx context.Context) (http.Handler, error) {
	deps, err := api.NewDeps(ctx)
	if err != nil {
		return nil, err
	}
	return New(deps).Routes(), nil
})

// Handler serves the function's routes.
type Handler struct{ deps *api.Deps }

// New returns a Handler over deps.
func New(deps *api.Deps) *Handler { return &Handler{deps: deps} }

// Routes returns the function's HTTP handler.
func (h *Handler) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", httpapi.NotFoundHandler())
	return h.deps.Wrap(mux, 0)
}
