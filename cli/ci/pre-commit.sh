#!/bin/sh
# The `exposure` pre-commit hook (.pre-commit-hooks.yaml): pre-commit runs this from its
# checkout of the repository. The first run builds the command there (a debug build: quick
# to build, and fast enough for the few files of a commit); later runs reuse it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/target/pre-commit/debug/exposure"
if [ ! -x "$bin" ]; then
    echo "exposure: building the command once in $root (cargo build -p exposure-cli)" >&2
    cargo build --quiet --locked -p exposure-cli --manifest-path "$root/Cargo.toml" \
        --target-dir "$root/target/pre-commit" >&2
fi
exec "$bin" "$@"
