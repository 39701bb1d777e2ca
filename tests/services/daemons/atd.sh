# at: a job queued with `at now` runs
unit=atd.service
packages="at"
setup() { :; }
probe() {
  local f=/var/lib/exposure-probe/at-stamp
  rm -f "$f"
  echo "touch $f" | at now 2>/dev/null || { echo "at refused the job"; return 1; }
  sleep 2
  [ -e "$f" ] || { echo "the at job did not run"; return 1; }
}
