# Campus Health. `make run` starts a demo on the embedded defaults; `make test` runs every test.
SHELL     := bash
GO        ?= go
BIN       ?= campushealth
PKGS      := ./...
# Test runs may set TEST_DATABASE_URL / TEST_REDIS_URL; without them the tests probe 127.0.0.1.
TESTFLAGS ?= -count=1 -timeout 30m
# The background jobs run goroutines of their own (asynq's scheduler and workers, the notifier): their tests
# run again under the race detector, which found the scheduler's shared option slice (jobs/dispatch.go).
RACEPKGS  := ./jobs/ ./jobs/chase/ ./jobs/notify/ ./api/auth/

.PHONY: run build test test-short bench simulate generate migrations check-generated lint fmt

run: build ## build and start on SQLite + embedded Redis, with a demo district
	./$(BIN) serve --demo

build:
	$(GO) build -o $(BIN) .

test: ## the whole suite; PostgreSQL and Redis tests run when reachable, and it says so when they will not
	@if [ -z "$$TEST_DATABASE_URL" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  echo "NOTE: no PostgreSQL on 127.0.0.1:5432 and TEST_DATABASE_URL unset: the PostgreSQL halves of the tests are SKIPPED"; fi
	@if [ -z "$$TEST_REDIS_URL" ] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
	  echo "NOTE: no Redis on 127.0.0.1:6379 and TEST_REDIS_URL unset: the real-Redis tests are SKIPPED (miniredis ones run)"; fi
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -n "$$CHROME" ] || \
	  echo "NOTE: no Chromium (apt-get install chromium, or set CHROME): the console's browser tests are SKIPPED"
	$(GO) test $(TESTFLAGS) $(PKGS)
	$(GO) test $(TESTFLAGS) -race $(RACEPKGS)

bench: ## the issues' figures, each as a ratio to a baseline measured in the same run (one package at a time, so benches do not share the cores)
	BENCH=1 GOGC=200 $(GO) test -count=1 -p 1 -run 'TestBenchTable' -v $(PKGS) | grep -v '^\(=== RUN\|--- SKIP\|ok \|?  \|PASS\|testing: warning\)' 

simulate: ## a seeded county with and without the chase ladder (jobs/chase/simulate_test.go); takes minutes
	SIMULATE=1 $(GO) test -count=1 -timeout 60m -run 'TestSimulateCounty' -v ./jobs/chase/ | grep -v '^\(=== RUN\|--- PASS\|ok \|PASS\)'

generate: ## ent, then gqlgen (pinned in go.mod), then migrations
	cd ent && $(GO) run -mod=mod entc.go
	$(GO) tool gqlgen generate --config gqlgen.yml
	$(MAKE) migrations

migrations: ## write a new migration (NAME=...) for both dialects if the schema changed
	$(GO) run -mod=mod migrations/generate.go $(or $(NAME),changes)

check-generated: ## fail if generated code or migrations differ from what is committed
	cd ent && $(GO) run -mod=mod entc.go
	$(GO) tool gqlgen generate --config gqlgen.yml
	bash migrations/check.sh
	@git diff --exit-code --stat -- ent graph migrations gqlgen.yml || { echo "generated code is out of date: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- ent graph migrations)" || { git status --porcelain -- ent graph migrations; echo "untracked generated files: run 'make generate' and commit"; exit 1; }

lint: ## gofmt, go vet, and no resolver left "not implemented"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet $(PKGS)
	@! grep -n 'not implemented' graph/*.resolvers.go || { echo "a GraphQL resolver is not implemented"; exit 1; }

fmt:
	gofmt -w $$(git ls-files '*.go')
