#!/usr/bin/env bash
# usage: scripts/cli-bench.sh [REPORT]   (a report, never a pass/fail on a number)
# The CLI against systemd-analyze over the same unit files, in one process each, side by side:
# every unit file of the dev corpus that systemd loads (empty, masked ones left out), the
# fast build (profile release-native), JSON and table; best of 5 wall-clock runs each. With
# valgrind installed, also the instructions each tool executes for the JSON run (callgrind, the
# CLI on one thread), a ratio that does not swing with the machine's load (about 15 s).
# Writes REPORT (default target/cli-bench.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
report=${1:-target/cli-bench.txt}
corpus=${EXPOSURE_CORPUS:-../shared/corpus}/dev
cargo build --quiet --locked --profile release-native -p exposure-cli
bin=target/release-native/exposure
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# One folder of plain unit files (no drop-ins, no templates: systemd-analyze takes them as they are).
find "$corpus" -name '*.service' -not -name '*@*' -not -path '*.d/*' -type f -size +0 \
  -exec cp -n {} "$dir/" \;
units=("$dir"/*.service)
best() { # COMMAND... → best wall time of 5 runs, in ms (bash's own clock: no process forked
  # to read it, which would be counted, and microseconds, as the CLI takes a few ms)
  local b=999999999 t0 t1 us
  for _ in 1 2 3 4 5; do
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1 || true
    t1=${EPOCHREALTIME/./}
    us=$((t1 - t0))
    ((us < b)) && b=$us
  done
  awk -v u="$b" 'BEGIN { printf "%.1f", u / 1000 }'
}
sa() { (cd "$dir" && SYSTEMD_UNIT_PATH= systemd-analyze security --offline=yes --no-pager "$@" ./*.service); }
ex_json=$(best "$bin" --systemd-version=252 --format json "${units[@]}")
ex_table=$(best "$bin" --systemd-version=252 "${units[@]}")
sa_json=$(best sa --json=short)
sa_table=$(best sa)
ex_json1=$(EXPOSURE_THREADS=1 best "$bin" --systemd-version=252 --format json "${units[@]}")
ex_table1=$(EXPOSURE_THREADS=1 best "$bin" --systemd-version=252 "${units[@]}")
# The cost of one more unit: the run over all files less the run over the first alone, per
# other file (what is left once each tool has started).
one_json=$(best "$bin" --systemd-version=252 --format json "${units[0]}")
one_table=$(best "$bin" --systemd-version=252 "${units[0]}")
sa1() { (cd "$dir" && SYSTEMD_UNIT_PATH= systemd-analyze security --offline=yes --no-pager "$@" "$(basename "${units[0]}")"); }
sa_one_json=$(best sa1 --json=short)
sa_one_table=$(best sa1)
instructions() { # COMMAND... → instructions, all processes it starts summed ("" without valgrind)
  command -v valgrind >/dev/null || return 0
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { if (NR) print s }'
}
ex_instr=$(EXPOSURE_THREADS=1 instructions "$bin" --systemd-version=252 --format json "${units[@]}")
sa_instr=$(cd "$dir" && SYSTEMD_UNIT_PATH= instructions systemd-analyze security --offline=yes --no-pager --json=short ./*.service)
per() { awk -v a="$1" -v b="$2" -v n="${#units[@]}" 'BEGIN { printf "%.1f", (a - b) * 1000 / (n - 1) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.1) b = 0.1; printf "%.1f", a / b }'; }
mkdir -p "$(dirname "$report")"
{
  echo "CLI vs systemd-analyze security --offline=yes, ${#units[@]} unit files, one process each"
  echo "(best of 5 wall-clock runs, ms; $(nproc) cores; systemd-analyze $(systemd-analyze --version | head -n1))"
  printf '%-8s %14s %18s %8s\n' format exposure systemd-analyze ratio
  printf '%-8s %14s %18s %8s\n' json "$ex_json" "$sa_json" "$(ratio "$sa_json" "$ex_json")x"
  printf '%-8s %14s %18s %8s\n' table "$ex_table" "$sa_table" "$(ratio "$sa_table" "$ex_table")x"
  printf '%-8s %14s %18s %8s\n' json-1t "$ex_json1" "$sa_json" "$(ratio "$sa_json" "$ex_json1")x"
  printf '%-8s %14s %18s %8s\n' table-1t "$ex_table1" "$sa_table" "$(ratio "$sa_table" "$ex_table1")x"
  echo "(-1t: the CLI on one thread, EXPOSURE_THREADS=1; systemd-analyze is single-threaded)"
  echo
  echo "one more unit (all files less the first alone, per other file; us), and one file alone (ms)"
  printf '%-8s %14s %18s %8s %16s %16s\n' format exposure systemd-analyze ratio "exposure 1 file" "s-a 1 file"
  for f in json table; do
    if [ $f = json ]; then a=$ex_json b=$one_json c=$sa_json d=$sa_one_json; else a=$ex_table b=$one_table c=$sa_table d=$sa_one_table; fi
    pe=$(per "$a" "$b") ps=$(per "$c" "$d")
    printf '%-8s %14s %18s %8s %16s %16s\n' $f "$pe" "$ps" "$(ratio "$ps" "$pe")x" "$b" "$d"
  done
  if [ -n "$ex_instr" ] && [ -n "$sa_instr" ]; then
    echo
    echo "instructions, json, all ${#units[@]} files (callgrind; the CLI on one thread)"
    printf '%-8s %14s %18s %8s\n' "" exposure systemd-analyze ratio
    printf '%-8s %14s %18s %8s\n' total "$ex_instr" "$sa_instr" "$(ratio "$sa_instr" "$ex_instr")x"
    printf '%-8s %14s %18s\n' "per file" "$((ex_instr / ${#units[@]}))" "$((sa_instr / ${#units[@]}))"
  fi
} | tee "$report"
