# chrony: chronyc tracking gets an answer from chronyd (no time source: the network is private)
unit=chrony.service
packages="chrony"
setup() { :; }
probe() { chronyc -n tracking 2>&1 | expect '^Reference ID'; }
