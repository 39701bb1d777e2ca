# redis: PING answers PONG
unit=redis-server.service
packages="redis-server"
setup() { :; }
probe() { r=$(redis-cli -h 127.0.0.1 ping 2>&1); echo "$r"; [ "$r" = PONG ]; }
