# mariadb: a query through the local socket as root
unit=mariadb.service
packages="mariadb-server mariadb-client"
setup() { :; }
probe() { r=$(mariadb -NBe 'select 41+1' 2>&1); echo "$r"; [ "$r" = 42 ]; }
