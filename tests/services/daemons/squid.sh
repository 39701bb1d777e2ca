# squid: the proxy port 3128 answers (an error page for a bare request, from squid itself)
unit=squid.service
packages="squid"
# squid waits 30 s for its clients when stopped: a restart need not
setup() { echo 'shutdown_lifetime 1 seconds' > /etc/squid/conf.d/trial.conf; }
probe() { http http://127.0.0.1:3128/ '^Server: squid'; }
