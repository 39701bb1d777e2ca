#!/usr/bin/env bash
# Every check CI runs, in order; stops at the first failure. Run it through `make test`
# (which runs scripts/setup.sh first). Each step ends with one line: `== <step>: ok (<n> s)`.
#
#   scripts/check.sh                 all steps
#   scripts/check.sh test-wasm e2e   only the named steps (in the usual order)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
started=$SECONDS

only=" $* "
ran=0
step() { # NAME COMMAND...
  local name=$1 t0=$SECONDS
  shift
  if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then return 0; fi
  ran=$((ran + 1))
  printf '\n== %s: %s\n' "$name" "$*"
  if "$@"; then
    printf '== %s: ok (%d s)\n' "$name" $((SECONDS - t0))
  else
    local rc=$?
    printf '\n== %s: FAILED (exit %d after %d s): %s\n' "$name" "$rc" $((SECONDS - t0)) "$*" >&2
    printf '== check.sh stopped at the first failing step; the steps after it did not run.\n' >&2
    exit "$rc"
  fi
}

step fmt cargo fmt --all --check
step clippy-native cargo clippy --workspace --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy --target wasm32-unknown-unknown -p exposure-web -p exposure-core -p exposure-js \
  --all-targets --locked -- -D warnings
step test-native cargo test --workspace --locked
# Runner: wasm-bindgen-test-runner (.cargo/config.toml). tests/node.rs runs in Node,
# tests/browser.rs in headless Chromium through chromedriver.
step test-wasm cargo test --target wasm32-unknown-unknown -p exposure-web --locked
step trunk-build trunk build --release
step sizes scripts/sizes.sh dist target/bundle-size.txt
# The single-file build (make single-file): one HTML file that works from disk; its size
# (raw, gzip -9) in target/single-file-size.txt. The e2e step opens it via file://.
step single-file node scripts/single-file.mjs dist target/single-file/exposure.html target/single-file-size.txt
# Reports, never a pass/fail on a number: sizes, cold load, time per edit, a 10 MiB paste;
# the engine's time per unit; the CLI beside systemd-analyze over the corpus.
step page-bench node scripts/page-bench.mjs target/page-bench.txt
step core-bench scripts/core-bench.sh target/core-bench.txt
step cli-bench scripts/cli-bench.sh target/cli-bench.txt
step fleet-bench scripts/fleet-bench.sh target/fleet-bench.txt
step e2e node --test tests/e2e/
# The npm packages (js/): built, then the corpus through the JavaScript API in Node, pkg/web in
# a plain page in Chromium, and the TypeScript declarations against a usage example.
step package bash -c 'scripts/package.sh && node --test js/tests/ && tsc -p js/tests'
# About a minute: every fuzz target for 15 s (nightly + cargo-fuzz, installed if missing).
step fuzz-smoke scripts/fuzz-smoke.sh

[ $ran -gt 0 ] || { echo "check.sh: no step named:$only" >&2; exit 2; }
printf '\n== %d checks passed in %d s\n' "$ran" $((SECONDS - started))
