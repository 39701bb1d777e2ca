# rsyslog: a logger line reaches /var/log/syslog
unit=rsyslog.service
packages="rsyslog"
setup() { :; }
probe() {
  local tag=trial-$SINCE-$RANDOM
  logger -t exposure-probe "$tag"
  sleep 1
  grep -q "exposure-probe.*$tag" /var/log/syslog 2>/dev/null || { echo "$tag not in /var/log/syslog"; return 1; }
}
