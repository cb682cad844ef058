# Support Center. `make` lists the targets; README.md ("Local stack") describes the
# local stack that `make dev` and `make test` run (emulator/stack).

GO    ?= go
# The stack tool is built, not `go run`: make then signals it directly, and
# it exits 0 on Ctrl-C (go run exits 1 whenever it sees SIGINT).
STACK := .stack/bin/stack

.DEFAULT_GOAL := help
.PHONY: help dev test unit fuzz job bench fmt vet lint deps stage clean stack generate tfcheck deploy bootstrap

help: ## list the targets
	@echo "usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

dev: deps ## run the local stack (emulators, functions, API gateway) in the foreground
	$(STACK) up

# Every test run uses the race detector and a shuffled order, so hidden
# ordering dependencies and data races fail here rather than in production.
TESTFLAGS ?= -race -shuffle=on -count=1

test: deps vet ## vet, then unit + integration tests (-race, -shuffle=on) against a private emulator stack
	$(STACK) test -- -tags integration $(TESTFLAGS) ./...

FUZZTIME ?= 10s
fuzz: ## run every fuzz target in the module (func Fuzz… in a _test.go file) for FUZZTIME each (default 10s); CI runs it after make test
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' shared functions emulator infra | sort); do \
	  dir=./$$(dirname $$f); \
	  for fz in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    echo "fuzz: $$dir $$fz ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$fz\$$" -fuzztime $(FUZZTIME) $$dir; \
	  done; \
	done

unit: ## unit tests only, no emulators
	$(GO) test $(TESTFLAGS) ./...

job: stack ## run a scheduled function now on the running stack: make job NAME=<function> [ORG=<organisation>]
	@test -n "$(NAME)" || { echo "usage: make job NAME=<scheduled function> [ORG=<organisation>]" >&2; exit 2; }
	$(STACK) job $(NAME) $(ORG)

bench: deps ## benchmarks with the emulator stack; writes the performance table to .build/bench.md
	@mkdir -p .build
	@# Cold starts first, on a stack of their own: the Firestore emulator scans a whole
	@# collection per query, so the cases the other benchmarks leave (and their CPU) would
	@# be counted as start-up.
	$(STACK) test -- -tags integration -run '^$$' -bench . -benchmem ./infra/stage/ > .build/bench.txt; \
		status=$$?; cat .build/bench.txt; [ $$status -eq 0 ]
	$(STACK) test -- -tags integration -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v '/infra/stage$$') > .build/bench-rest.txt; \
		status=$$?; cat .build/bench-rest.txt; cat .build/bench-rest.txt >> .build/bench.txt; [ $$status -eq 0 ]
	$(GO) run ./emulator/benchtable -o .build/bench.md < .build/bench.txt > /dev/null
	@echo "performance table: .build/bench.md"

fmt: ## format the Go code
	$(GO) fmt ./...

vet: ## go vet, with and without the integration build tag
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

lint: vet tfcheck ## golangci-lint (pinned in go.mod; config .golangci.yml: gofmt, errcheck, unused, revive, …), vet, Terraform format
	$(GO) tool golangci-lint run ./...

generate: ## rewrite infra/plan.json (from functions.yaml) and infra/firestore.indexes.json (from the store)
	$(GO) generate ./infra
	$(GO) test ./shared/store -run '^TestIndexesFile$$' -count=1 -update-indexes

# The HCL checks (infra/hcl_test.go, part of every go test run) include the
# formatting check with terraform's own formatter; with terraform installed
# this also runs terraform fmt -check itself.
tfcheck: ## terraform fmt -check (when terraform is installed) and the HCL tests over infra/
	@if command -v terraform >/dev/null; then terraform fmt -check -diff infra; \
	else echo "terraform not installed: formatting is checked by go test ./infra only"; fi
	$(GO) test ./infra ./infra/gen -count=1

deps: stack ## install what a fresh machine lacks (Go modules, firebase-tools) and check java and gcloud
	$(STACK) deps

stack: # build the stack tool (emulator/stack); go build skips it when up to date
	$(GO) mod download
	$(GO) build -o $(STACK) ./emulator/stack

stage: ## stage one source directory per function for deployment, in .build/functions
	$(GO) run ./infra/stage -out .build/functions

# Deployment (README, "Deployment"). PROJECT, REGION and DOMAIN are required;
# TFVARS may name an extra .tfvars file (alert_email, billing_account, …).
deploy: ## deploy to Google Cloud: make deploy PROJECT=… REGION=… DOMAIN=… [TFVARS=file]
	@test -n "$(PROJECT)" -a -n "$(REGION)" -a -n "$(DOMAIN)" || { echo "usage: make deploy PROJECT=<project id> REGION=<region> DOMAIN=<api domain> [TFVARS=extra.tfvars]" >&2; exit 2; }
	$(GO) run ./infra/deploy -project "$(PROJECT)" -region "$(REGION)" -domain "$(DOMAIN)" $(if $(TFVARS),-var-file "$(abspath $(TFVARS))")

bootstrap: ## first production data: make bootstrap PROJECT=… FILE=infra/bootstrap.example.yaml
	@test -n "$(PROJECT)" -a -n "$(FILE)" || { echo "usage: make bootstrap PROJECT=<project id> FILE=<bootstrap yaml>" >&2; exit 2; }
	$(GO) run ./infra/bootstrap -project "$(PROJECT)" -file "$(FILE)"

clean: ## remove the stack's state, logs, prebuilt binaries and staged sources
	rm -rf .stack .build
