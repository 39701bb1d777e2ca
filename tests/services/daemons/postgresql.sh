# postgresql: a query through the local socket (the cluster runs as postgresql@15-main)
unit=postgresql@15-main.service
packages="postgresql"
setup() { :; }
probe() { r=$(cd / && runuser -u postgres -- psql -tAc 'select 41+1' 2>&1); echo "$r"; [ "$r" = 42 ]; }
