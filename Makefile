# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run    set up, build and open Ferry
#   make test   set up, then run every test (Rust, UI, end-to-end in a virtual display)
SHELL := /bin/bash
.DEFAULT_GOAL := run
.PHONY: run test setup ui test-ui test-a11y test-rust test-api lint bindings measure

setup:
	@scripts/setup

ui: setup
	cd ui && npm run build

run: ui
	cargo run --release -p ferry-app

test-ui: setup
	cd ui && npm run check && npm test

lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# Everything in the workspace, including the desktop shell and its end-to-end tests.
test-rust: ui
	CI=$${CI:-} scripts/with-display cargo test --workspace --locked

# axe-core in headless Chromium on every main screen of the web build (engine answers as fixtures).
test-a11y: ui
	scripts/check-a11y

# ferry-hostd's answers checked against docs/hosting-api/openapi.yaml (schemathesis).
test-api: setup
	scripts/check-hosting-api

test: test-ui test-a11y lint test-rust test-api

# Regenerate ui/src/lib/bindings.ts after changing a type the UI uses.
bindings:
	FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-bindings

measure: ui
	scripts/measure-startup
