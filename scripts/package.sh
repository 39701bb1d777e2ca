#!/usr/bin/env bash
# usage: scripts/package.sh [OUT]    (make package)
# Builds the engine's npm packages from js/ (exposure-js):
#   OUT/node  CommonJS for Node (`require('./pkg/node')`)
#   OUT/web   an ES module for browsers and bundlers, with `init()` taking the wasm's URL or bytes
# each with package.json (version from the workspace), README, LICENSE and TypeScript
# declarations, then `npm pack`s both into target/package/ and writes their sizes to
# target/package-size.txt. OUT defaults to pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
out=${1:-pkg}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
cargo build --profile release-web --locked --target wasm32-unknown-unknown -p exposure-js
wasm=target/wasm32-unknown-unknown/release-web/exposure_js.wasm
rm -rf "$out/node" "$out/web"
for target in node web; do
  case $target in
    node) flavour=nodejs name=exposure-engine ;;
    web) flavour=web name=exposure-engine-web ;;
  esac
  dir=$out/$target
  wasm-bindgen --target "$flavour" --out-dir "$dir" --out-name exposure "$wasm"
  # Size, as for the page (binaryen from npm: Debian's cannot read Rust 1.95 output).
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$dir/exposure_bg.wasm" -o "$dir/exposure_bg.wasm"
  cp js/package/LICENSE "$dir/"
  sed "s/@NAME@/$name/g; s/@VERSION@/$version/g" js/package/README.md > "$dir/README.md"
  sed "s/@NAME@/$name/g; s/@VERSION@/$version/g" "js/package/package-$target.json" > "$dir/package.json"
  rm -f "$dir/.gitignore"
done
mkdir -p target/package
rm -f target/package/*.tgz
report=target/package-size.txt
{
  printf '%-40s %10s %10s\n' file raw gzip-9
  for f in "$out"/node/exposure_bg.wasm "$out"/web/exposure_bg.wasm "$out"/node/exposure.js "$out"/web/exposure.js; do
    printf '%-40s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
  for target in node web; do
    tgz=$(cd "$out/$target" && npm pack --silent --pack-destination "$OLDPWD/target/package" | tail -n1)
    printf '%-40s %10d\n' "target/package/$tgz" "$(stat -c %s "target/package/$tgz")"
  done
} | tee "$report"
