#!/usr/bin/env bash
# Service trial harness: boots a real Debian 12 (systemd 252) in a container, installs the
# drop-in `exposure suggest` gives for each daemon's unit at each tier, restarts the daemon,
# probes it, and compares the container's own `systemd-analyze security` with our scores.
# See tests/services/README.md. Needs root (debootstrap, systemd-nspawn, nsenter).
# The whole script is one block, read before it runs: editing it during a run is harmless.
{
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ROOT=${EXPOSURE_SERVICES_ROOT:-/var/cache/exposure-services/root}
OUT=${EXPOSURE_SERVICES_OUT:-$REPO/target}
WORK=$OUT/services
TIERS=${EXPOSURE_SERVICES_TIERS:-safe moderate strict}
SETTLE=${EXPOSURE_SERVICES_SETTLE:-3}
SYSTEMD_VERSION=252
SUITE=bookworm
# Tools of the root itself: systemd, and the clients the probes use.
BASE_PACKAGES="systemd systemd-sysv dbus libpam-systemd curl bind9-dnsutils iproute2 procps"
log() { printf '[services %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, systemd-nspawn and nsenter need it)"

# A copy of the daemons, probes and report taken now: editing them during a run changes nothing.
SNAP=$(mktemp -d /tmp/exposure-services.XXXXXX)
cp -r "$HERE/daemons" "$HERE/probe-lib.sh" "$HERE/report.py" "$SNAP/"
NSPAWN= LEADER= LOCKER=
stop_container() {
  local i
  if [ -n "$NSPAWN" ] && kill -0 "$NSPAWN" 2>/dev/null; then
    # nspawn turns SIGTERM into an orderly shutdown of the container; its state is thrown
    # away anyway (--volatile=overlay), so a daemon slow to stop is not waited for long
    kill -TERM "$NSPAWN" 2>/dev/null || true
    for i in $(seq 1 15); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 1; done
    if kill -0 "$NSPAWN" 2>/dev/null; then
      log "container did not stop: killing it"
      # killing the container's init ends every process of its PID namespace
      if [ -n "$LEADER" ]; then kill -KILL "$LEADER" 2>/dev/null || true; fi
      kill -KILL "$NSPAWN" 2>/dev/null || true
    fi
    for i in $(seq 1 10); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 1; done
    wait "$NSPAWN" 2>/dev/null || true
  fi
  NSPAWN=
}
trap 'rc=$?; [ -z "$LOCKER" ] || kill "$LOCKER" 2>/dev/null; stop_container; rm -rf "$SNAP"; exit $rc' EXIT
trap 'exit 130' INT TERM

# ---- the daemons: one file each in daemons/ (see README.md) ----------------------------------
ONLY=${EXPOSURE_SERVICES_ONLY:-}
ALL_DAEMONS=()
for f in "$SNAP"/daemons/*.sh; do ALL_DAEMONS+=("$(basename "$f" .sh)"); done
DAEMONS=()
for d in "${ALL_DAEMONS[@]}"; do
  if [ -z "$ONLY" ] || [[ ",$ONLY," == *",$d,"* ]]; then DAEMONS+=("$d"); fi
done
[ ${#DAEMONS[@]} -gt 0 ] || die "EXPOSURE_SERVICES_ONLY=$ONLY names no daemon of ${ALL_DAEMONS[*]}"
# field FIELD DAEMON: a variable of the daemon's file
field() { (set +u; unit= packages= probe_timeout= slow_probe=; . "$SNAP/daemons/$2.sh"; printf '%s' "${!1}"); }
# fn FUNCTION DAEMON: the text of one of its functions, to run inside the container
fn() { (. "$SNAP/daemons/$2.sh"; declare -f "$1"); }

# ---- host tools --------------------------------------------------------------------------------
if ! command -v debootstrap >/dev/null || ! command -v systemd-nspawn >/dev/null \
   || ! command -v nsenter >/dev/null; then
  log "installing debootstrap and systemd-container"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap systemd-container util-linux >/dev/null
fi

# ---- the container root, cached; rebuilt when the package list or a setup changes -------------
# The stamp hashes everything that goes into the root: the base packages, every daemon's
# packages and setup function, and this build procedure itself.
stamp_text() {
  echo "$SUITE $BASE_PACKAGES"
  declare -f build_root
  for d in "${ALL_DAEMONS[@]}"; do echo "$d: $(field packages "$d")"; fn setup "$d"; done
}
# remove_tree DIR: a root, after unmounting what an interrupted build left mounted in it
remove_tree() {
  awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$1"
}
build_root() {
  local new=$1 mirror pkgs=() d
  # the Debian mirror apt on this host already uses
  mirror=${MIRROR:-$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
    /etc/apt/sources.list.d/ 2>/dev/null | head -n1 | tr -d ' ')}
  mirror=${mirror:-http://deb.debian.org/debian}
  rm -rf "$new"; mkdir -p "$(dirname "$new")"
  log "debootstrap $SUITE from $mirror into $new"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus "$SUITE" "$new" "$mirror" \
    > "$new.debootstrap.log" 2>&1 || { tail -20 "$new.debootstrap.log" >&2; return 1; }
  for d in "${ALL_DAEMONS[@]}"; do pkgs+=($(field packages "$d")); done
  rm -f "$new/etc/resolv.conf"; cp /etc/resolv.conf "$new/etc/resolv.conf"
  echo svc-trial > "$new/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 svc-trial\n::1 localhost ip6-localhost\n' > "$new/etc/hosts"
  # postfix asks which kind of mail system: a local one
  printf '%s\n' 'postfix postfix/main_mailer_type select Local only' \
    'postfix postfix/mailname string svc-trial' > "$new/root/preseed"
  log "apt-get install ${#pkgs[@]} daemon packages in the root"
  systemd-nspawn --register=no --keep-unit -q -D "$new" env DEBIAN_FRONTEND=noninteractive bash -ec "
    debconf-set-selections /root/preseed
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $BASE_PACKAGES ${pkgs[*]}
    apt-get clean
    mkdir -p /var/lib/exposure-probe" > "$new.apt.log" 2>&1 || { tail -30 "$new.apt.log" >&2; return 1; }
  for d in "${ALL_DAEMONS[@]}"; do
    systemd-nspawn --register=no --keep-unit -q -D "$new" bash -ec "$(fn setup "$d"); setup" \
      >> "$new.setup.log" 2>&1 || { log "setup of $d failed:"; tail -20 "$new.setup.log" >&2; return 1; }
  done
}
mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
STAMP=$(stamp_text | sha256sum | cut -c1-16)
root_current() { [ -x "$ROOT/lib/systemd/systemd" ] && [ "$(cat "$ROOT.stamp" 2>/dev/null)" = "$STAMP" ]; }
# Runs share the root under a shared lock (each boots it with a throw-away overlay); a rebuild
# takes the lock alone. The wait is in the background so that a signal is not held up by it.
lock() { flock "$1" "${2:-9}" & LOCKER=$!; wait $LOCKER || die "could not take a lock"; LOCKER=; }
flock -s -n 9 || { log "waiting for a rebuild of $ROOT by another run"; lock -s; }
if ! root_current; then
  flock -u 9
  flock -x -n 9 || { log "waiting for other runs that use $ROOT"; lock -x; }
fi
if ! root_current; then
  t0=$SECONDS
  remove_tree "$ROOT.new"
  build_root "$ROOT.new" || die "building the root failed (logs: $ROOT.new.*.log)"
  remove_tree "$ROOT"; mv "$ROOT.new" "$ROOT"
  for l in "$ROOT".new.*.log; do [ -e "$l" ] && mv "$l" "$ROOT.${l#"$ROOT".new.}"; done
  echo "$STAMP" > "$ROOT.stamp"
  log "root built in $((SECONDS - t0)) s"
else
  log "reusing the cached root $ROOT (stamp $STAMP)"
fi
flock -s 9

# ---- the binary under test ---------------------------------------------------------------------
if [ -z "${EXPOSURE:-}" ]; then
  log "building exposure-cli (release)"
  (cd "$REPO" && cargo build --release -q -p exposure-cli)
  EXPOSURE=$REPO/target/release/exposure
fi
[ -x "$EXPOSURE" ] || die "EXPOSURE=$EXPOSURE is not an executable"
EXPOSURE=$(realpath "$EXPOSURE")
log "binary under test: $EXPOSURE"

# ---- boot --------------------------------------------------------------------------------------
# One trial container at a time on the host: on a host whose init is not systemd, nspawn puts
# every container in the same cgroup (/payload), and two containers' managers would fight over
# one tree (left-over processes, failed kills).
mkdir -p /run/lock; exec 8>"/run/lock/exposure-services-container.lock"
flock -x -n 8 || { log "waiting for another run's container to end"; lock -x 8; }
rm -rf "$WORK"; mkdir -p "$WORK"
t_boot=$SECONDS
# --volatile=overlay: the cached root stays as built, every change goes to a tmpfs.
# CAP_SYS_TIME: chrony's unit only starts where it may set the clock; with no network it has
# no time source and never does.
setsid systemd-nspawn --register=no --keep-unit --private-network --volatile=overlay \
  --capability=CAP_SYS_TIME -D "$ROOT" -M "svc-trial-$$" --boot --console=passive \
  > "$WORK/nspawn.log" 2>&1 < /dev/null &
NSPAWN=$!
# setsid forks when it is started as a process group leader (under job control): then the
# container's nspawn is its child
sleep 0.5
if [ "$(ps -o comm= -p "$NSPAWN" 2>/dev/null)" != systemd-nspawn ]; then
  NSPAWN=$(ps -o pid= --ppid "$NSPAWN" | tr -d ' ' | head -n1)
  [ -n "$NSPAWN" ] || { cat "$WORK/nspawn.log" >&2; die "systemd-nspawn did not start"; }
fi
state=
for i in $(seq 1 120); do
  sleep 1
  kill -0 "$NSPAWN" 2>/dev/null || { cat "$WORK/nspawn.log" >&2; die "the container did not boot"; }
  [ -n "$LEADER" ] || LEADER=$(ps -o pid= --ppid "$NSPAWN" | tr -d ' ' | head -n1 || true)
  [ -n "$LEADER" ] || continue
  state=$(nsenter -t "$LEADER" -a systemctl is-system-running 2>/dev/null || true)
  case "$state" in running|degraded) break;; esac
done
case "$state" in running|degraded) ;; *) die "the container's systemd is still '$state' after 120 s";; esac
IN() { nsenter -t "$LEADER" -a env COLUMNS=400 SYSTEMD_COLORS=0 SYSTEMD_PAGER= LANG=C.UTF-8 "$@"; }
IN systemctl --version | head -n1 > "$WORK/meta-systemd.txt"
echo "$EXPOSURE" > "$WORK/meta-binary.txt"
"$EXPOSURE" --version > "$WORK/meta-version.txt" 2>&1 || true
date -u '+%Y-%m-%d %H:%M UTC' > "$WORK/meta-date.txt"
log "container up in $((SECONDS - t_boot)) s ($state): $(cat "$WORK/meta-systemd.txt")"
[ "$state" = running ] || IN systemctl --failed --no-legend > "$WORK/failed-at-boot.txt" || true

UNITS=()
for d in "${DAEMONS[@]}"; do UNITS+=("$(field unit "$d")"); done

# ---- one round: restart every unit, probe each, take the scores --------------------------------
# probe_all DIR NAME: runs each daemon's probe (in parallel), result in DIR/DAEMON/NAME.{rc,out}
PROBE_LIB=$(cat "$SNAP/probe-lib.sh")
probe_all() {
  local dir=$1 name=$2 since=$3 quick=${4:-} d t pids=()
  for d in "${DAEMONS[@]}"; do
    mkdir -p "$dir/$d"
    t=$(field probe_timeout "$d"); t=${t:-20}
    if [ -n "$quick" ] && [ "$(field slow_probe "$d")" = yes ]; then
      echo "skipped (slow probe)" > "$dir/$d/$name.out"; echo skip > "$dir/$d/$name.rc"; continue
    fi
    ( rc=0
      timeout $((t + 10)) nsenter -t "$LEADER" -a env SINCE="$since" TIMEOUT="$t" bash -c "
        $PROBE_LIB
        $(fn probe "$d")
        retry probe" > "$dir/$d/$name.out" 2>&1 || rc=$?
      echo "$rc" > "$dir/$d/$name.rc" ) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
}
# settle: wait for the restart jobs to finish, then a little more for daemons that die late
settle() {
  local i
  for i in $(seq 1 120); do
    [ -z "$(IN systemctl list-jobs --no-legend 2>/dev/null | grep -v '^$' || true)" ] && break
    sleep 1
  done
  sleep "$SETTLE"
}
restart_all() {
  IN systemctl reset-failed "${UNITS[@]}" 2>/dev/null || true
  IN systemctl restart --no-block "${UNITS[@]}" 2>/dev/null || true
  settle
}
# round DIR STATE PROBE [quick]: reload, restart every daemon, record its state in DIR/D/STATE,
# probe it into DIR/D/PROBE.{rc,out}, keep its journal since the restart
round() {
  local dir=$1 d since
  IN systemctl daemon-reload
  since=$(IN date +%s)
  restart_all
  states "$dir" "$2"
  probe_all "$dir" "$3" "$since" "${4:-}"
  for d in "${DAEMONS[@]}"; do
    IN journalctl --no-pager -u "$(field unit "$d")" -b -n 300 --since "@$since" \
      > "$dir/$d/${3%probe}journal.txt" 2>&1 || true
  done
}
states() { # states DIR NAME
  local d u
  for d in "${DAEMONS[@]}"; do
    u=$(field unit "$d"); mkdir -p "$1/$d"
    IN systemctl is-active "$u" > "$1/$d/$2" 2>/dev/null || true
  done
}

# ---- baseline: the daemons as shipped ----------------------------------------------------------
B=$WORK/baseline; mkdir -p "$B"
for d in "${DAEMONS[@]}"; do
  u=$(field unit "$d"); mkdir -p "$B/$d"
  echo "$u" > "$B/$d/unit"
  # what a user would paste
  IN systemctl cat --no-pager "$u" > "$B/$d/cat.txt" 2>&1 || true
  IN rm -f "/etc/systemd/system/$u.d/override.conf"
done
round "$B" active probe
log "baseline: $(for d in "${DAEMONS[@]}"; do printf '%s=%s/%s ' "$d" "$(cat "$B/$d/active")" "$(cat "$B/$d/probe.rc")"; done)"

# ---- the tiers ---------------------------------------------------------------------------------
for tier in $TIERS; do
  T=$WORK/$tier; mkdir -p "$T"
  t_tier=$SECONDS
  for d in "${DAEMONS[@]}"; do
    u=$(field unit "$d"); mkdir -p "$T/$d"
    rc=0
    "$EXPOSURE" suggest --systemd-version=$SYSTEMD_VERSION --tier "$tier" --format json \
      --unit "$u" - < "$B/$d/cat.txt" > "$T/$d/suggest.json" 2> "$T/$d/suggest.err" || rc=$?
    echo "$rc" > "$T/$d/suggest.rc"
    if [ "$rc" = 0 ]; then
      python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["dropin"])' \
        "$T/$d/suggest.json" > "$T/$d/override.conf"
      # where `systemctl edit UNIT` puts it
      IN sh -c 'mkdir -p "$1" && cat > "$1/override.conf"' _ "/etc/systemd/system/$u.d" \
        < "$T/$d/override.conf"
    fi
  done
  round "$T" active probe
  for d in "${DAEMONS[@]}"; do
    u=$(field unit "$d")
    IN systemd-analyze security --no-pager --offline=yes "$u" > "$T/$d/offline.txt" 2>&1 || true
    IN systemd-analyze security --no-pager "$u" > "$T/$d/online.txt" 2>&1 || true
    IN systemctl show "$u" > "$T/$d/show.txt" 2>&1 || true
    "$EXPOSURE" --systemd-version=$SYSTEMD_VERSION --mode online --format json --unit "$u" - \
      < "$T/$d/show.txt" > "$T/$d/ours-online.json" 2> "$T/$d/ours-online.err" || true
  done
  # revert: drop-ins away, every daemon restarted and checked before the next tier
  for d in "${DAEMONS[@]}"; do IN rm -f "/etc/systemd/system/$(field unit "$d").d/override.conf"; done
  round "$T" reverted revert-probe quick
  log "$tier: $(for d in "${DAEMONS[@]}"; do printf '%s=%s/%s ' "$d" "$(cat "$T/$d/active")" "$(cat "$T/$d/probe.rc")"; done) ($((SECONDS - t_tier)) s)"
done

# ---- report ------------------------------------------------------------------------------------
stop_container
echo $((SECONDS - t_boot)) > "$WORK/meta-seconds.txt"
log "trials done in $((SECONDS - t_boot)) s; writing $OUT/services.md and $OUT/services.json"
python3 "$SNAP/report.py" "$WORK" "$OUT" "${DAEMONS[@]}"
exit $?
}
