# rpcbind: rpcinfo lists the portmapper
unit=rpcbind.service
packages="rpcbind"
setup() { :; }
probe() { rpcinfo -p 127.0.0.1 2>&1 | expect portmapper; }
