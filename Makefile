# Two commands from a fresh clone: `make run` (install what is missing, build, qualify this node) and `make test`.
SHELL := /bin/bash
export npm_config_loglevel := error
export npm_config_fund := false
export npm_config_audit := false

.PHONY: run test deps system-deps build clean bench

run: build
	node dist/cli.js run $(ARGS)

test: deps
	npx vitest run $(TEST)

deps: system-deps node_modules/.installed

system-deps:
	@bash scripts/install-system-deps.sh

node_modules/.installed: package.json package-lock.json
	npm ci
	@touch $@

build: deps
	npm run build
	@chmod +x dist/cli.js

clean:
	rm -rf dist reports/.scratch
