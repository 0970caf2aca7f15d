# Two commands from a fresh clone: `make run` (install what is missing, build, qualify this node) and `make test`.
SHELL := /bin/bash
export npm_config_loglevel := error
export npm_config_fund := false
export npm_config_audit := false

.PHONY: run test lint deps system-deps test-system-deps build clean bench bench-load bench-check-perf bench-compare bench-leader-changes

run: build
	node dist/cli.js run $(ARGS)

test: deps test-system-deps
	npx vitest run $(TEST)

# eslint (typescript-eslint), prettier's check of the layout, and the type-check of src, test and bench (tsconfig.json).
lint: node_modules/.installed
	npx eslint .
	npx prettier --check .
	npx tsc -p tsconfig.json --noEmit

deps: system-deps node_modules/.installed

system-deps:
	@bash scripts/install-system-deps.sh

test-system-deps:
	@bash scripts/install-system-deps.sh --test

node_modules/.installed: package.json package-lock.json
	npm ci
	@touch $@

build: deps
	npm run build
	@chmod +x dist/cli.js

clean:
	rm -rf dist reports/.scratch reports/.bench

# Benchmarks print figures and ratios against a reference measured in the same run; they are not part of `make test`.
bench: bench-load bench-check-perf bench-compare bench-leader-changes

bench-load: build
	bash bench/lean-vs-go.sh

bench-check-perf: build
	bash bench/check-perf.sh s

bench-compare: build
	node bench/compare-fleet.mjs

bench-leader-changes: build
	npx tsc -p tsconfig.json --noEmit false --outDir reports/.bench
	node reports/.bench/bench/leader-changes.js --seconds 60
