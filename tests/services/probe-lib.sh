# Helpers for the probes in daemons/*.sh; the probe runs inside the container with these
# defined, SINCE (the epoch second of the restart) and TIMEOUT (seconds) set.

# retry CMD...: run CMD until it succeeds or TIMEOUT seconds have passed
retry() {
  local end=$((SECONDS + ${TIMEOUT:-20}))
  while true; do
    if "$@"; then echo "probe passed"; return 0; fi
    [ "$SECONDS" -lt "$end" ] || { echo "probe failed for ${TIMEOUT:-20} s"; return 1; }
    sleep 1
  done
}
# CMD | expect REGEX: CMD's output (shown) has a line matching the extended REGEX
expect() { local o; o=$(cat); printf '%s\n' "$o"; grep -qE -- "$1" <<< "$o"; }
# http URL REGEX: an HTTP answer whose headers or body match REGEX (any status)
http() { curl -sS -i -m 5 "$1" 2>&1 | tr -d '\r' | expect "$2"; }
# banner PORT PATTERN [SEND]: the first line a TCP server on 127.0.0.1 sends (after SEND) matches
banner() {
  local line
  line=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 1
    [ -z "$2" ] || printf "%b" "$2" >&3
    head -n1 <&3' _ "$1" "${3:-}") || { echo "no answer on port $1"; return 1; }
  echo "port $1: $line"
  [[ $line =~ $2 ]]
}
# dns PORT NAME ANSWER: a DNS server on 127.0.0.1:PORT answers NAME's A record with ANSWER
dns() {
  local a
  a=$(dig +short +time=2 +tries=1 -p "$1" @127.0.0.1 "$2" A 2>&1) || true
  echo "dig $2 on port $1: $a"
  grep -qx "$3" <<< "$a"
}
