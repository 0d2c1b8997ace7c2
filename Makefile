# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run    set up, build and open Ferry
#   make test   set up, then run every test (Rust, UI, end-to-end in a virtual display)
# and a third makes what people install:
#   make package  the .deb and .rpm of the app, the .deb of ferry-hostd (target/packages)
SHELL := /bin/bash
.DEFAULT_GOAL := run
.PHONY: run test setup ui test-ui test-a11y test-rust test-keycloak test-pdf test-licenses test-api test-package test-quick lint bindings measure measure-installed package

setup:
	@scripts/setup

ui: setup
	cd ui && npm run build

run: ui
	cargo run --release -p ferry-app

test-ui: setup
	cd ui && npm run check && npm test
	scripts/check-ui-rules

lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# Everything in the workspace, including the desktop shell and its end-to-end tests.
# No backtraces: a failure's message (file, line, what was awaited) is what CI's log
# tail must show, and a backtrace pushed it out once.
# scripts/keycloak starts the real Keycloak for ferry-sso's tests/keycloak*.rs as cargo
# starts building (its ~1 min start-up overlaps the build) and stops it afterwards.
test-rust: ui
	CI=$${CI:-} RUST_BACKTRACE=0 scripts/keycloak run -- scripts/with-display cargo test --workspace --locked

# Only the single sign-on tests on the real Keycloak (the conformance scenarios, the
# invitation e-mail), with their results tables.
test-keycloak: setup
	CI=$${CI:-} RUST_BACKTRACE=0 scripts/keycloak run -- cargo test -p ferry-sso --locked --test keycloak --test keycloak_mail -- --nocapture

# The example plans in four languages and the co-op request, checked by veraPDF as
# PDF/A-2a and PDF/UA-1, and one plan whose data was moved (one JVM for all 20 files; about 40 s).
test-pdf: setup
	scripts/check-pdf

# Every crate the programs build on and every npm package the UI bundles has a licence
# on the allow-list in about.toml (cargo metadata and the UI build's list; seconds).
test-licenses: ui
	scripts/check-licenses

# axe-core in headless Chromium on every main screen of the web build (engine answers as fixtures).
test-a11y: ui
	scripts/check-a11y

# ferry-hostd's answers checked against docs/hosting-api/openapi.yaml (schemathesis).
test-api: setup
	scripts/check-hosting-api

# The packages installed with apt, the app started from its menu entry, plan files
# opened by double-click, then removed; only in CI (CI=true) or with FERRY_PACKAGE_TEST=1.
# (It runs scripts/package itself when it runs.)
test-package: ui
	scripts/check-package

# Every benchmark and load script once in its quick mode (small counts, no timing
# assertions), so that a broken one fails here; and the ferry-hostd kill check, and
# the workshop room's defences against a prankster (attack-room: bounded counts, loose
# time bounds for a debug build, exit 1 when a defence does not hold).
test-quick: ui
	QUICK=1 scripts/bench-pdf
	QUICK=1 scripts/bench-sso
	QUICK=1 scripts/load-hostd
	QUICK=1 scripts/kill-hostd
	QUICK=1 scripts/attack-hostd
	QUICK=1 scripts/bench-import
	QUICK=1 scripts/bench-move
	QUICK=1 scripts/load-room
	QUICK=1 scripts/attack-room
	# One run each of Ferry and the empty window (make package already built both in CI).
	FERRY_UI_BUILT=1 scripts/measure-startup 1

test: test-ui test-a11y lint test-rust test-pdf test-licenses test-api test-package test-quick

# Prints the packages' sizes.
package: ui
	scripts/package

# Regenerate ui/src/lib/bindings.ts after changing a type the UI uses.
bindings:
	FERRY_UPDATE_BINDINGS=1 cargo test -p ferry-bindings

measure: ui
	FERRY_UI_BUILT=1 scripts/measure-startup

# The installed app against an empty Tauri window built the same way (after make package
# and apt install ./target/packages/ferry_*.deb).
measure-installed: ui
	scripts/measure-startup 7 /usr/bin/ferry
