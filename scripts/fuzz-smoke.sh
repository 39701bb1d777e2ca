#!/usr/bin/env bash
# Smoke run of every fuzz target (fuzz/): builds them with nightly and cargo-fuzz (installing
# either if missing), seeds them from the shared corpus (scripts/fuzz-seeds.sh), and runs each
# for FUZZ_SECONDS (default 15) seconds, so about a minute in all after the build. Prints one
# summary line per target; exits non-zero when a target crashes, times out or runs out of
# memory, leaving the input under target/fuzz-artifacts/<target>/.
#
#   scripts/fuzz-smoke.sh                 # every target
#   scripts/fuzz-smoke.sh show link       # some targets
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh analyze    # a longer run (see fuzz/README.md)
#   FUZZ_RUNS=10000000 scripts/fuzz-smoke.sh show     # a long run of 10 million executions
#
# A smoke run starts from the seeds alone (in a fresh target/fuzz-smoke-corpus/), so it takes
# the same time however long earlier runs were; a run with FUZZ_SECONDS or FUZZ_RUNS set keeps
# growing the corpus in target/fuzz-corpus/. A FUZZ_RUNS run is built without libFuzzer's
# integer-comparison tracing (--no-trace-compares, in target/fuzz-fast/): about twice as many
# executions per second once the corpus has grown; string comparisons still guide it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

seconds=${FUZZ_SECONDS:-15}
sanitizer=${FUZZ_SANITIZER:-none}
# How the targets are built (-a: debug assertions and overflow checks on, so an arithmetic
# overflow is a finding too) and when a run stops.
build=(-a -s "$sanitizer")
stop=(-max_total_time="$seconds" -timeout=5)
if [ -n "${FUZZ_RUNS:-}" ]; then
  build+=(--no-trace-compares --target-dir "$root/target/fuzz-fast")
  stop=(-runs="$FUZZ_RUNS" -max_len=4096 -timeout=10)
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(analyze advise show policy link)

# Tools, installed once.
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

scripts/fuzz-seeds.sh
(cd fuzz && cargo +nightly fuzz build "${build[@]}" 2>&1 | tail -n 3) ||
  { echo "fuzz-smoke: build failed" >&2; exit 1; }

status=0
for t in "${targets[@]}"; do
  if [ -n "${FUZZ_SECONDS:-}${FUZZ_RUNS:-}" ]; then
    corpus=$root/target/fuzz-corpus/$t
  else
    corpus=$root/target/fuzz-smoke-corpus/$t
    rm -rf "$corpus"
  fi
  artifacts=$root/target/fuzz-artifacts/$t/
  log=$root/target/fuzz-logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  # The advisor reads what the analyzer reads: the same seeds and dictionary.
  seeds=$t
  [ "$t" = advise ] && seeds=analyze
  dict=()
  [ -s "$root/target/fuzz-seeds/$seeds.dict" ] && dict=(-dict="$root/target/fuzz-seeds/$seeds.dict")
  rc=0
  (cd fuzz && cargo +nightly fuzz run "${build[@]}" "$t" "$corpus" "$root/target/fuzz-seeds/$seeds" -- \
    "${stop[@]}" -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$artifacts") >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  units=$(sed -n 's/.*DONE .* corp: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz-smoke: %-8s ok: %s executions in %s s, corpus %s inputs\n' \
      "$t" "${execs:-?}" "${secs:-$seconds}" "${units:-?}"
  else
    status=1
    art=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
    printf 'fuzz-smoke: %-8s FAILED (exit %d) after %s executions; input: %s; log: %s\n' \
      "$t" "$rc" "${execs:-?}" "${art:-?}" "$log" >&2
    grep -m 1 -A 8 -E "panicked at|ERROR: libFuzzer|==ERROR" "$log" >&2 || tail -n 20 "$log" >&2
  fi
done
exit $status
