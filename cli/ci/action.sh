#!/usr/bin/env bash
# The run step of the GitHub Action (action.yml). The inputs come as INPUT_* variables (set by
# the step's env:); GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP as GitHub sets them;
# BASE_SHA is the pull request's base commit (empty outside a pull request). `exposure` must be
# on PATH. The exit status is the scoring run's: 1 when a unit is above the threshold, a
# diagnostic is at the --fail-on level, or (with a baseline) something regressed.
set -uo pipefail

args=("--threshold=${INPUT_THRESHOLD:-100}" "--fail-on=${INPUT_FAIL_ON:-never}")
if [ -n "${INPUT_SYSTEMD_VERSION:-}" ]; then
    args+=("--systemd-version=$INPUT_SYSTEMD_VERSION")
fi
if [ -n "${INPUT_ACCEPT:-}" ]; then
    args+=("--accept=$INPUT_ACCEPT")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
    args+=("--baseline=$INPUT_BASELINE")
fi
# Paths are separated by spaces or newlines, and never globbed.
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
set +f
if [ ${#paths[@]} -eq 0 ]; then
    paths=(.)
fi

# Annotations on standard output (GitHub reads them there), the summary to the job summary.
exposure "${args[@]}" --format=github -- "${paths[@]}"
status=$?

if [ -n "${INPUT_SARIF:-}" ]; then
    # Its messages were printed by the run above; its exit status is that run's.
    exposure "${args[@]}" --format=sarif -- "${paths[@]}" >"$INPUT_SARIF" 2>/dev/null
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "sarif=$INPUT_SARIF" >>"$GITHUB_OUTPUT"
    fi
fi

# A pull request: what it changes, against its base, in the job summary.
if [ "${INPUT_DIFF:-true}" = "true" ] && [ -n "${BASE_SHA:-}" ]; then
    base="${RUNNER_TEMP:-/tmp}/exposure-base"
    rm -rf "$base"
    if ! git cat-file -e "$BASE_SHA^{commit}" 2>/dev/null; then
        git fetch --quiet --depth=1 origin "$BASE_SHA" || true
    fi
    if git worktree add --quiet --detach "$base" "$BASE_SHA"; then
        version=()
        if [ -n "${INPUT_SYSTEMD_VERSION:-}" ]; then
            version=("--systemd-version=$INPUT_SYSTEMD_VERSION")
        fi
        for p in "${paths[@]}"; do
            old="$base/$p"
            if [ ! -e "$old" ]; then
                # New in this pull request: every unit is added.
                old="$base/.exposure-none"
                mkdir -p "$old"
            fi
            report=$(exposure "${version[@]}" diff --format=markdown -- "$old" "$p") || continue
            # The report names the base's files by their path in this checkout.
            report=${report//"$base/"/}
            if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
                printf '\n%s\n' "$report" >>"$GITHUB_STEP_SUMMARY"
            else
                printf '\n%s\n' "$report"
            fi
        done
        git worktree remove --force "$base"
    else
        echo "exposure: cannot check out the base commit $BASE_SHA: no before → after report" >&2
    fi
fi

exit "$status"
