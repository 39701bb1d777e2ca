# squid: the proxy port 3128 answers (an error page for a bare request, from squid itself)
unit=squid.service
packages="squid"
setup() { :; }
probe() { http http://127.0.0.1:3128/ '^Server: squid'; }
