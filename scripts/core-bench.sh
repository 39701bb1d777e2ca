#!/usr/bin/env bash
# usage: scripts/core-bench.sh [REPORT]   (a report, never a pass/fail on a number)
# The engine's speed with criterion (core/benches/assess.rs): parse + assess of a typical unit
# (goal <= 10 us), the advisor on it (goal <= 100 us), and parse + assess of the dev corpus's
# units, per unit. Short runs (1 s warm-up, 3 s measurement each), so that the test command
# stays short; `cargo bench -p exposure-core` gives the full runs. With valgrind installed, also
# the instructions each costs (callgrind over core/examples/instructions.rs, 200 runs less 100,
# so that start-up cancels out): numbers that do not swing with the machine's load.
# Writes REPORT (default target/core-bench.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
report=${1:-target/core-bench.txt}
out=$(cargo bench --quiet --locked -p exposure-core --bench assess -- \
  --warm-up-time 1 --measurement-time 3 --noplot 2>/dev/null)
# criterion prints "<name>\n  time:   [low estimate high]"; keep the estimate.
estimate() { # NAME-PREFIX → "value unit"
  awk -v n="$1" 'index($0, n) == 1 { f = 1 } f && /time:/ { print $4, $5; exit }' <<<"$out"
}
us() { # "value unit" [divisor] → microseconds
  awk -v v="$1" -v d="${2:-1}" 'BEGIN { split(v, a, " ");
    m = a[2] == "ns" ? 0.001 : a[2] == "ms" ? 1000 : a[2] == "s" ? 1e6 : 1;
    printf "%.1f", a[1] * m / d }'
}
typical=$(estimate "typical unit: parse + assess")
advise=$(estimate "typical unit: advise")
corpus_line=$(grep -o 'dev corpus ([0-9]* units)' <<<"$out" | head -n1 || true)
instructions() { # assess|advise → instructions a run, or "-" without valgrind
  if ! command -v valgrind >/dev/null; then echo "-"; return; fi
  local n a b
  for n in 100 200; do
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      target/release/examples/instructions "$1" "$n" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  done | { read -r a; read -r b; echo $(( (b - a) / 100 )); }
}
cargo build --quiet --locked --release -p exposure-core --example instructions
assess_instr=$(instructions assess)
advise_instr=$(instructions advise)
mkdir -p "$(dirname "$report")"
{
  echo "The engine (criterion, core/benches/assess.rs; $(nproc) cores, one used; short runs)"
  printf '%-44s %10s %8s %14s\n' benchmark "us" goal instructions
  printf '%-44s %10s %8s %14s\n' "typical unit: parse + assess" "$(us "$typical")" "<= 10" "$assess_instr"
  printf '%-44s %10s %8s %14s\n' "typical unit: advise (strict tier)" "$(us "$advise")" "<= 100" "$advise_instr"
  if [ -n "$corpus_line" ]; then
    n=$(grep -o '[0-9]*' <<<"$corpus_line")
    printf '%-44s %10s %8s %14s\n' "$corpus_line: parse + assess, per unit" \
      "$(us "$(estimate "dev corpus")" "$n")" "-" "-"
  fi
} | tee "$report"
