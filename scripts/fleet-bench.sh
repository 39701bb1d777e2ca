#!/usr/bin/env bash
# usage: scripts/fleet-bench.sh [REPORT]   (a report, never a pass/fail on a number)
# `exposure fleet` over fleets built from the online corpus's real `systemctl show` captures:
# 100 hosts of ~500 units each (the 318 captured units, then copies under other names), each
# host changed a little (a few units with PrivateTmp=yes, NoNewPrivileges=yes or
# ProtectSystem=full set on some hosts only) so that hosts deviate. Reports the rate in units a
# minute (the fast build, all cores) for the Markdown, JSON and Prometheus output, and the peak
# RSS for 100 and 1,000 hosts of 50 units (the 1,000 are the 100 hard-linked ten times), which
# must not grow with the hosts. About a minute on an idle 2-core machine.
# Writes REPORT (default target/fleet-bench.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
report=${1:-target/fleet-bench.txt}
online=${EXPOSURE_CORPUS:-../shared/corpus}/online
hosts=${FLEET_HOSTS:-100}
per_host=${FLEET_UNITS:-500}
cargo build --quiet --locked --profile release-native -p exposure-cli
bin=target/release-native/exposure
work=target/fleet-bench
stamp="$hosts $per_host v2"
if [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work"
  mkdir -p "$work/small" "$work/few" "$work/large"
  gen() { python3 - "$online" "$@" <<'EOF'
import os, sys
online, out, hosts, per_host = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
shows = []
for root, dirs, files in sorted(os.walk(online)):
    dirs.sort()
    if "show.txt" in files and "/samples" not in root:
        shows.append(open(os.path.join(root, "show.txt"), encoding="utf-8").read())
units = []
for i in range(per_host):
    text = shows[i % len(shows)]
    copy = i // len(shows)
    if copy:
        # A copy is another unit: its Id= and Names= get a suffix.
        lines = []
        for line in text.split("\n"):
            if line.startswith("Id=") or line.startswith("Names="):
                name = line.split("=", 1)[1].split(" ")[0]
                base, dot, kind = name.rpartition(".")
                line = line.split("=", 1)[0] + "=" + f"{base}-copy{copy}.{kind}"
            lines.append(line)
        text = "\n".join(lines)
    units.append(text)
changes = [
    ("\nPrivateTmp=no\n", "\nPrivateTmp=yes\n"),
    ("\nNoNewPrivileges=no\n", "\nNoNewPrivileges=yes\n"),
    ("\nProtectSystem=no\n", "\nProtectSystem=full\n"),
]
for h in range(hosts):
    parts = []
    for i, text in enumerate(units):
        # Each host changes a few units of its own: hosts deviate, most units agree.
        for k, (a, b) in enumerate(changes):
            if (i * 7 + h * 3 + k * 11) % 41 == 0:
                text = text.replace(a, b)
        parts.append(text)
    with open(os.path.join(out, f"host{h:04d}"), "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
EOF
  }
  gen "$work/small" "$hosts" "$per_host"
  gen "$work/few" 100 50
  for i in $(seq 0 999); do
    ln "$work/few/host$(printf %04d $((i % 100)))" "$work/large/host$(printf %05d "$i")"
  done
  echo "$stamp" > "$work/stamp"
fi
units=$(( hosts * per_host ))
bytes=$(du -sb "$work/small" | cut -f1)
# COMMAND... → "seconds peak_rss_kib" of one run (GNU time's wall clock and maximum RSS).
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  cat "$work/time"
}
best() { # COMMAND... → best wall seconds of 2 runs
  local b=999999 s
  for _ in 1 2; do
    s=$(measure "$@" | cut -d' ' -f1)
    b=$(awk -v a="$s" -v b="$b" 'BEGIN { print (a < b) ? a : b }')
  done
  echo "$b"
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", n / s * 60 }'; }
md=$(best "$bin" fleet --systemd-version=252 --format markdown "$work/small")
read -r js rss_big < <(measure "$bin" fleet --systemd-version=252 --format json "$work/small")
pr=$(measure "$bin" fleet --systemd-version=252 --format prometheus "$work/small" | cut -d' ' -f1)
read -r few_s rss_few < <(measure "$bin" fleet --systemd-version=252 --format json "$work/few")
read -r large_s rss_large < <(measure "$bin" fleet --systemd-version=252 --format json "$work/large")
mkdir -p "$(dirname "$report")"
{
  echo "exposure fleet: $hosts hosts x $per_host units = $units units ($((bytes / 1048576)) MiB of systemctl show captures), $(nproc) cores"
  printf '%-34s %9s %16s\n' run seconds units/minute
  printf '%-34s %9s %16s\n' "markdown (best of 2)" "$md" "$(rate "$units" "$md")"
  printf '%-34s %9s %16s\n' "json" "$js" "$(rate "$units" "$js")"
  printf '%-34s %9s %16s\n' "prometheus" "$pr" "$(rate "$units" "$pr")"
  printf '%-34s %9s %16s\n' "json, 100 hosts x 50 units" "$few_s" "$(rate 5000 "$few_s")"
  printf '%-34s %9s %16s\n' "json, 1000 hosts x 50 units" "$large_s" "$(rate 50000 "$large_s")"
  echo "peak RSS (json): 100 hosts x 50 units ${rss_few} KiB, 1000 hosts x 50 units ${rss_large} KiB, $hosts hosts x $per_host units ${rss_big} KiB"
} | tee "$report"
