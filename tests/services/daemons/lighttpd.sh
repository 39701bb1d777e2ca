# lighttpd: HTTP on port 8081
unit=lighttpd.service
packages="lighttpd"
setup() { sed -i 's/^server.port *=.*/server.port = 8081/' /etc/lighttpd/lighttpd.conf; }
probe() { http http://127.0.0.1:8081/ '^Server: lighttpd'; }
