# The two quick-start commands (see README.md). Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: serve test test-versions test-services setup package single-file

## serve: build the app and serve it on http://127.0.0.1:8080 (rebuilds on change)
serve: setup
	trunk serve --release

## test: every check CI runs (format, lint, native + wasm + browser tests, bundle, e2e)
test: setup
	scripts/check.sh

setup:
	scripts/setup.sh

## package: the engine's npm packages, pkg/node (CommonJS) and pkg/web (ES module), packed into
## target/package/ with their sizes in target/package-size.txt (tested by `make test`)
package: setup
	scripts/package.sh

## single-file: the page as one HTML file, target/single-file/exposure.html (the WebAssembly,
## script and styles inlined, under a Content-Security-Policy of hashes), that works opened from
## disk with no server and no network; its size in target/single-file-size.txt
single-file: setup
	trunk build --release
	node scripts/single-file.mjs dist target/single-file/exposure.html target/single-file-size.txt

## test-versions: the random differential test against the real systemd-analyze of Debian 12
## backports (254), Debian 13 (257) and sid (262), 2000 units each, the keys each release knows, and the advisor's
## predictions against 257 and 262 (downloads each release's systemd from Debian's registry on
## first use, about a minute each)
test-versions: setup
	EXPOSURE_DIFF_RELEASES=bookworm-backports,trixie,sid cargo test -p exposure-conformance \
		--test differential random_units_match_release_oracles -- --nocapture
	EXPOSURE_DIFF_RELEASES=bookworm-backports,trixie,sid cargo test -p exposure-conformance \
		--test directives keys_match_the_release_oracles -- --nocapture
	EXPOSURE_DIFF_RELEASES=bookworm-backports,trixie,sid cargo test -p exposure-conformance \
		--test user_scope user_units_match_the_release_oracles -- --nocapture
	EXPOSURE_DIFF_RELEASES=bookworm-backports,trixie,sid cargo test -p exposure-conformance \
		--test check_cases tables_match_the_release_oracles -- --nocapture
	EXPOSURE_ADVISE_RELEASES=trixie,sid cargo test -p exposure-conformance \
		--test advise predicted_scores_equal_the_release_oracles -- --nocapture

## test-services: every advisor tier tried on 26 real Debian 12 daemons in a booted systemd 252
## container (tests/services/README.md): the daemon must keep running and answer its probe, and
## every score must equal the container's systemd-analyze. Builds the container root on first
## use (cached in /var/cache/exposure-services); EXPOSURE=/path/to/exposure tests that binary.
test-services: setup
	bash tests/services/run.sh
