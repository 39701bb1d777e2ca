# The two quick-start commands (see README.md). Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: serve test setup

## serve: build the app and serve it on http://127.0.0.1:8080 (rebuilds on change)
serve: setup
	trunk serve --release

## test: every check CI runs (format, lint, native + wasm + browser tests, bundle, e2e)
test: setup
	scripts/check.sh

setup:
	scripts/setup.sh
