#!/usr/bin/env bash
# Installs what building, serving and testing Exposure needs, and only what is missing.
#
#   Debian packages  chromium chromium-driver fonts-liberation fonts-noto-color-emoji brotli
#                    (apt-get, as root; the emoji font lets screenshots show the verdict glyph)
#   Rust             wasm32-unknown-unknown target, rustfmt, clippy      (rustup)
#                    trunk 0.21.14, wasm-bindgen-cli = wasm-bindgen in Cargo.lock (cargo install --locked)
#   npm              binaryen 132 (wasm-opt), playwright-core, typescript (npm ci, into ./node_modules)
#   crates           cargo fetch (Trunk runs cargo offline)
#
# It never downloads from GitHub: only the Rust, npm and Debian package registries and rustup.
# Safe to re-run; with everything present it takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14        # trunk 0.22 needs rustc >= 1.96.1
MIN_RUST=1.95                # rust-version of the workspace
MIN_NODE=20                  # playwright-core 1.65 needs Node >= 20
APT_PACKAGES=(chromium chromium-driver fonts-liberation fonts-noto-color-emoji brotli valgrind)

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$CARGO_BIN:$PWD/node_modules/.bin:$PATH"
started=$SECONDS

say() { printf '== setup: %s\n' "$*"; }
# cannot TOOL HOW: stop, naming the tool that could not be had and how to get it by hand.
cannot() {
  printf '\nsetup: could not install %s.\n  Install it by hand: %s\n  then run scripts/setup.sh again.\n' \
    "$1" "$2" >&2
  exit 1
}
version_ge() { # A B: is version A >= version B (dotted numbers)?
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]
}

# --- 1. Debian packages ------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  how="apt-get update && apt-get install -y ${missing[*]}   (as root, on Debian 12)"
  [ "$(id -u)" = 0 ] || cannot "${missing[*]}" "$how"
  command -v apt-get >/dev/null || cannot "${missing[*]}" "$how"
  apt-get update -qq || cannot "${missing[*]}" "$how"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || cannot "${missing[*]}" "$how"
fi

# --- 2. Rust toolchain -------------------------------------------------------------------
command -v cargo >/dev/null && command -v rustup >/dev/null \
  || cannot "the Rust toolchain (rustup, cargo)" \
    "the rustup installer from rust-lang.org, then: rustup default stable (Debian's rustc is too old)"
rustc_version=$(rustc --version | awk '{print $2}')
version_ge "$rustc_version" "$MIN_RUST" \
  || cannot "rustc >= $MIN_RUST (found $rustc_version)" "rustup update stable"
command -v cc >/dev/null || {
  say "apt-get install build-essential (a C linker for cargo install)"
  apt-get install -y -qq build-essential || cannot "a C compiler/linker (cc)" "apt-get install build-essential"
}
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown \
    || cannot "the wasm32-unknown-unknown target" "rustup target add wasm32-unknown-unknown"
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component" || cannot "$component" "rustup component add $component"
  fi
done

# --- 3. Tools built from the Rust package registry ---------------------------------------
# The wasm-bindgen CLI (used by Trunk and as the wasm test runner) must be exactly the version
# of the wasm-bindgen crate in Cargo.lock, or the generated glue does not match the .wasm.
WB_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[[ "$WB_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
  echo "setup: cannot read the wasm-bindgen version from Cargo.lock (got '${WB_VERSION}')." >&2
  echo "  Run 'cargo fetch' (or 'cargo generate-lockfile') and try again." >&2
  exit 1
}

# The tools' own release profiles use fat LTO and one codegen unit; they need no speed, so
# build them about twice as fast (environment overrides the installed crate's profile).
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

installed_version() { # BINARY -> its version number, or nothing
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | awk 'NR == 1 {print $2}'
}

# `cargo install --locked` fails when the crate's published Cargo.lock pins a dependency version
# that the registry no longer serves ("failed to select a version ... locked to X"). Then take
# the sources cargo already downloaded, let cargo re-resolve only the offending packages, and
# install from that copy.
install_with_relock() { # CRATE VERSION
  local src work err pkg tries=0
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1-$2" 2>/dev/null | head -n1)
  [ -n "$src" ] || return 1
  work=$(mktemp -d)
  cp -R "$src"/. "$work"
  until err=$(cd "$work" && cargo metadata --locked --format-version 1 2>&1 >/dev/null); do
    pkg=$(printf '%s\n' "$err" | sed -n 's/.*requirement `\([A-Za-z0-9_-]*\) = .*locked to.*/\1/p' | head -n1)
    tries=$((tries + 1))
    if [ -z "$pkg" ] || [ $tries -gt 10 ]; then printf '%s\n' "$err" >&2; rm -rf "$work"; return 1; fi
    say "$1 $2: re-locking $pkg, which the registry no longer serves at the locked version"
    (cd "$work" && cargo update --quiet -p "$pkg") || { rm -rf "$work"; return 1; }
  done
  cargo install --locked --force --path "$work"
  local rc=$?
  rm -rf "$work"
  return $rc
}

ensure_cargo_tool() { # CRATE VERSION BINARY...
  local crate=$1 version=$2 bin
  shift 2
  local ok=1
  for bin in "$@"; do [ "$(installed_version "$bin")" = "$version" ] || ok=0; done
  [ $ok = 1 ] && return 0
  say "cargo install --locked $crate $version (a few minutes on 2 cores)"
  cargo install --locked --force "$crate" --version "$version" \
    || install_with_relock "$crate" "$version" \
    || cannot "$crate $version" "cargo install --locked $crate --version $version"
  for bin in "$@"; do
    [ "$(installed_version "$bin")" = "$version" ] || cannot "$bin $version (found: '$(installed_version "$bin")')" \
      "cargo install --locked --force $crate --version $version, and make sure $CARGO_BIN comes first on PATH"
  done
}

ensure_cargo_tool trunk "$TRUNK_VERSION" trunk
ensure_cargo_tool wasm-bindgen-cli "$WB_VERSION" wasm-bindgen wasm-bindgen-test-runner

# --- 4. npm tools ------------------------------------------------------------------------
command -v node >/dev/null && command -v npm >/dev/null \
  || cannot "Node.js >= $MIN_NODE with npm" "a Node.js $MIN_NODE package (Debian 12's nodejs is 18, too old)"
node_version=$(node --version | sed 's/^v//')
version_ge "$node_version" "$MIN_NODE" \
  || cannot "Node.js >= $MIN_NODE (found $node_version)" "a Node.js $MIN_NODE package (Debian 12's nodejs is 18, too old)"
# npm ci when node_modules is missing or older than the lock file.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] \
  || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ ! -x node_modules/.bin/tsc ]; then
  say "npm ci (binaryen for wasm-opt, playwright-core, typescript)"
  npm ci --no-audit --no-fund --loglevel=error || cannot "the npm tools (binaryen, playwright-core, typescript)" "npm ci"
  touch "$stamp"
fi

# --- 5. crates ---------------------------------------------------------------------------
# Trunk runs cargo with --offline: every dependency must be downloaded beforehand.
fetch_stamp=target/.setup-fetched
if [ ! -f "$fetch_stamp" ] || [ -n "$(find Cargo.lock Cargo.toml ./*/Cargo.toml tests/*/Cargo.toml \
  -newer "$fetch_stamp" 2>/dev/null | head -n1)" ]; then
  say "cargo fetch"
  cargo fetch --quiet || cannot "the Rust crates of the workspace" "cargo fetch"
  mkdir -p target && touch "$fetch_stamp"
fi

say "ok in $((SECONDS - started)) s (rustc $rustc_version, trunk $TRUNK_VERSION, wasm-bindgen $WB_VERSION, node $node_version)"
