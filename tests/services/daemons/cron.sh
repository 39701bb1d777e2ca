# cron: a job in /etc/cron.d runs after the restart (cron starts jobs on the minute: up to 70 s)
unit=cron.service
packages="cron"
probe_timeout=75
slow_probe=yes
setup() {
  echo '* * * * * root date +\%s > /var/lib/exposure-probe/cron-stamp' > /etc/cron.d/exposure-probe
}
probe() {
  local s; s=$(cat /var/lib/exposure-probe/cron-stamp 2>/dev/null || echo 0)
  [ "$s" -ge "$SINCE" ] || { echo "no job has run since the restart (last: $s)"; return 1; }
}
