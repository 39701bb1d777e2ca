# prometheus-node-exporter: metrics on port 9100
unit=prometheus-node-exporter.service
packages="prometheus-node-exporter"
setup() { :; }
probe() { curl -sS -m 5 http://127.0.0.1:9100/metrics 2>&1 | grep -m1 -E '^node_uname_info|curl' | expect '^node_uname_info'; }
