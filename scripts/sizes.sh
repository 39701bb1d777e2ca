#!/usr/bin/env bash
# usage: scripts/sizes.sh [DIST] [REPORT]
# Prints the raw, gzip -9 and brotli -q 11 sizes (bytes) of the .wasm and .js files in DIST
# (default dist), the total of everything the page loads (those, index.html and the CSS; goal
# 200 KB gzip, issue 18) and the wasm's code/data split, and writes the same to REPORT
# (default target/bundle-size.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-dist}
report=${2:-target/bundle-size.txt}
compgen -G "$dir/*.wasm" >/dev/null || { echo "sizes: no .wasm in $dir (run trunk build --release)" >&2; exit 1; }
command -v brotli >/dev/null || { echo "sizes: brotli missing (apt-get install brotli)" >&2; exit 1; }
mkdir -p "$(dirname "$report")"
{
  printf '%-44s %10s %10s %10s\n' file raw gzip-9 brotli-11
  for f in "$dir"/*.wasm "$dir"/*.js; do
    [ -e "$f" ] || continue
    printf '%-44s %10d %10d %10d\n' "$(basename "$f")" "$(stat -c %s "$f")" \
      "$(gzip -9 -c "$f" | wc -c)" "$(brotli -q 11 -c "$f" | wc -c)"
  done
  raw=0 gz=0
  for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/index.html; do
    [ -e "$f" ] || continue
    raw=$((raw + $(stat -c %s "$f"))) gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
  done
  printf '%-44s %10d %10d   (all of the above with index.html and the CSS; goal <= 200000 gzip)\n' total "$raw" "$gz"
  for f in "$dir"/*.wasm; do node scripts/wasm-sections.mjs "$f"; done
} | tee "$report"
