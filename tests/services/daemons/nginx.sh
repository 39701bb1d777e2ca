# nginx: HTTP on port 80
unit=nginx.service
packages="nginx"
setup() { :; }
probe() { http http://127.0.0.1/ '^Server: nginx'; }
