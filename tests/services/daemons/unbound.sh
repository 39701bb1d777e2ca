# unbound: a DNS answer on 127.0.0.1:53 (its own localhost zone)
unit=unbound.service
packages="unbound"
setup() { :; }
probe() { dns 53 localhost 127.0.0.1; }
