# cups: the scheduler answers HTTP on port 631
unit=cups.service
packages="cups-daemon"
setup() { :; }
probe() { http http://127.0.0.1:631/ '^Server: CUPS'; }
