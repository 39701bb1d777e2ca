#!/usr/bin/env bash
# usage: scripts/core-bench.sh [REPORT]   (a report, never a pass/fail on a number)
# The engine's speed with criterion (core/benches/assess.rs): parse + assess of a typical unit
# (goal <= 10 us), the advisor on it (goal <= 100 us), and parse + assess of the dev corpus's
# units, per unit. Short runs (1 s warm-up, 3 s measurement each), so that the test command
# stays short; `cargo bench -p exposure-core` gives the full runs.
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
mkdir -p "$(dirname "$report")"
{
  echo "The engine (criterion, core/benches/assess.rs; $(nproc) cores, one used; short runs)"
  printf '%-44s %10s %8s\n' benchmark "us" goal
  printf '%-44s %10s %8s\n' "typical unit: parse + assess" "$(us "$typical")" "<= 10"
  printf '%-44s %10s %8s\n' "typical unit: advise (strict tier)" "$(us "$advise")" "<= 100"
  if [ -n "$corpus_line" ]; then
    n=$(grep -o '[0-9]*' <<<"$corpus_line")
    printf '%-44s %10s %8s\n' "$corpus_line: parse + assess, per unit" \
      "$(us "$(estimate "dev corpus")" "$n")" "-"
  fi
} | tee "$report"
