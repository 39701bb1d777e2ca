# haproxy: a frontend on port 8082 that answers by itself
unit=haproxy.service
packages="haproxy"
setup() {
  cat >> /etc/haproxy/haproxy.cfg <<'CFG'

frontend trial
	bind 127.0.0.1:8082
	http-request return status 200 content-type text/plain string "haproxy-trial-ok"
CFG
}
probe() { http http://127.0.0.1:8082/ 'haproxy-trial-ok'; }
