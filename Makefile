# Fuhua: the two commands of the README, and the tools they need.
#   make run    build and serve on http://127.0.0.1:3000 with SQLite (./data/fuhua.db)
#   make test   the whole suite: Rust on SQLite (and PostgreSQL when FUHUA_TEST_DATABASE_URL
#               is set), then Playwright in Debian's Chromium
# Each installs what is missing on first use and skips it afterwards.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(CURDIR)/end2end/node_modules/.bin:$(PATH)
# The build tool of the workspace (xtask/): the wasm bundle, wasm-bindgen through its library,
# the stylesheet and the server, in cargo-leptos's layout. Nothing to install first.
XTASK := cargo run --locked -p xtask --
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

say = @printf '\n\033[1m==> %s\033[0m\n' "$(1)"

.PHONY: help run test layout test-rust test-postgres test-e2e build release tools lint fmt check-wasm-deps clean-data audit

help:
	@echo "make run      build and serve Fuhua on http://127.0.0.1:3000 (SQLite in ./data, demo city on first start)"
	@echo "make test     run the whole test suite (set FUHUA_TEST_DATABASE_URL to include PostgreSQL)"
	@echo "make lint     clippy for the server and the browser builds, rustfmt check"
	@echo "make release  optimised build; prints the WebAssembly bundle size"
	@echo "make audit    Cargo.lock against the RustSec advisory database snapshot in .ci/advisory-db"

run: wasm-target
	$(call say,Building and serving Fuhua on http://127.0.0.1:3000)
	FUHUA_DEMO=$${FUHUA_DEMO:-1} $(XTASK) serve

test: wasm-target end2end/node_modules/.installed chromium
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory audit check-wasm-deps layout test-rust test-postgres test-e2e; \
	printf '\n\033[1mAll tests passed in %ss.\033[0m\n' $$(( $$(date +%s) - start ))

# A hung test must fail the run, not stall it: each pass is bounded.
# Each pass is pinned to its engine: the first must not inherit FUHUA_TEST_DATABASE_URL from
# the caller (CI exports it), or SQLite, the embedded default, would never be tested.
test-rust:
	$(call say,Rust tests on SQLite)
	env -u FUHUA_TEST_DATABASE_URL timeout 30m cargo test

test-postgres:
ifneq ($(strip $(FUHUA_TEST_DATABASE_URL)),)
	$(call say,Service and HTTP tests on PostgreSQL)
	FUHUA_TEST_DATABASE_URL='$(FUHUA_TEST_DATABASE_URL)' timeout 20m cargo test --tests
else
	$(call say,PostgreSQL tests skipped: FUHUA_TEST_DATABASE_URL is not set)
endif

# The server the journeys run is the binary the Rust tests built and ran (`cargo test --no-run`
# finds it up to date after them), so the end-to-end pass compiles only the browser bundle.
test-e2e:
	$(call say,Building the site for the end-to-end tests)
	env -u FUHUA_TEST_DATABASE_URL cargo test --no-run --quiet
	$(XTASK) site
	$(call say,Playwright in Chromium)
	cd end2end && timeout 20m npx playwright test

build: wasm-target
	$(XTASK) build

release: wasm-target end2end/node_modules/.installed
	$(XTASK) build --release
	@wasm=$$(ls target/site/pkg/*.wasm); \
	printf 'WebAssembly bundle %s: %s bytes raw, %s bytes gzip\n' "$$wasm" "$$(stat -c %s $$wasm)" "$$(gzip -9 -c $$wasm | wc -c)"

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p xtask --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

# Known vulnerabilities in the locked dependencies, from the RustSec advisory database kept in
# .ci/advisory-db (a snapshot: nothing is fetched). Fails on any advisory not listed with a
# reason in .ci/audit-ignore.
audit:
	$(call say,Auditing Cargo.lock against the RustSec advisory database snapshot)
	cargo build --quiet --locked --manifest-path .ci/audit/Cargo.toml --target-dir target/audit
	@found=$$(target/audit/debug/fuhua-audit --db .ci/advisory-db --lockfile .ci/audit/known-vulnerable.lock || true); \
	if grep -q '^VULNERABLE RUSTSEC-2021-0003 smallvec 1.6.0' <<< "$$found"; \
	then echo "the audit catches a known vulnerability (smallvec 1.6.0, RUSTSEC-2021-0003)"; \
	else echo "the audit missed a known vulnerability in .ci/audit/known-vulnerable.lock: it is broken"; exit 1; fi
	target/audit/debug/fuhua-audit --db .ci/advisory-db --lockfile Cargo.lock --ignore .ci/audit-ignore
	target/audit/debug/fuhua-audit --db .ci/advisory-db --lockfile .ci/audit/Cargo.lock

# The house rules of the source tree: no import loop within a crate, no file over 800 lines.
# (The build tool's own tests run here too: its argument parsing and the layout reader.)
layout:
	$(call say,Checking the layout of the source tree)
	$(XTASK) layout
	cargo test --quiet --locked -p xtask

# The browser bundle must not contain the database or async-runtime stacks.
check-wasm-deps:
	@if cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none | grep -E '^(sea-orm|sqlx|tokio|mio) '; then \
		echo "server-only crates found in the WebAssembly build"; exit 1; \
	else echo "the WebAssembly build holds no sea-orm, sqlx or tokio"; fi

clean-data:
	rm -rf data

# --- tools -----------------------------------------------------------------------------------

tools: wasm-target end2end/node_modules/.installed

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || { \
		printf '\n\033[1m==> Adding the wasm32 target\033[0m\n'; rustup target add wasm32-unknown-unknown; }

end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	$(call say,Installing the npm packages of end2end/ (Playwright, wasm-opt))
	cd end2end && npm ci --no-audit --no-fund
	touch $@

.PHONY: chromium wasm-target
chromium:
	@command -v chromium >/dev/null || { \
		printf '\n\033[1m==> Installing Debian'"'"'s chromium\033[0m\n'; \
		if [ "$$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }
