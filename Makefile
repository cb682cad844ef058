# Support Center. `make` lists the targets; README.md ("Local stack") describes the
# local stack that `make dev` and `make test` run (emulator/stack).

GO    ?= go
# The stack tool is built, not `go run`: make then signals it directly, and
# it exits 0 on Ctrl-C (go run exits 1 whenever it sees SIGINT).
STACK := .stack/bin/stack

.DEFAULT_GOAL := help
.PHONY: help dev test unit job bench fmt vet lint deps stage clean stack

help: ## list the targets
	@echo "usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  %-7s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

dev: deps ## run the local stack (emulators, functions, API gateway) in the foreground
	$(STACK) up

test: deps vet ## vet, then unit + integration tests against a private emulator stack
	$(STACK) test -- -tags integration -count=1 ./...

unit: ## unit tests only, no emulators
	$(GO) test ./...

job: stack ## run a scheduled function now on the running stack: make job NAME=<function>
	@test -n "$(NAME)" || { echo "usage: make job NAME=<scheduled function>" >&2; exit 2; }
	$(STACK) job $(NAME)

bench: deps ## benchmarks (go test -bench), with the emulator stack available
	$(STACK) test -- -tags integration -run '^$$' -bench . -benchmem ./...

fmt: ## format the Go code
	$(GO) fmt ./...

vet: ## go vet, with and without the integration build tag
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

lint: vet ## fail on unformatted Go files, then vet
	@files=$$(gofmt -l $$($(GO) list -tags integration -f '{{.Dir}}' ./...)); \
	if [ -n "$$files" ]; then echo "not gofmt-ed (run make fmt):" >&2; echo "$$files" >&2; exit 1; fi

deps: stack ## install what a fresh machine lacks (Go modules, firebase-tools) and check java and gcloud
	$(STACK) deps

stack: # build the stack tool (emulator/stack); go build skips it when up to date
	$(GO) mod download
	$(GO) build -o $(STACK) ./emulator/stack

stage: ## stage one source directory per function for deployment, in .build/functions
	$(GO) run ./infra/stage -out .build/functions

clean: ## remove the stack's state, logs, prebuilt binaries and staged sources
	rm -rf .stack .build
