# dnsmasq: a DNS answer on 127.0.0.1:5354 (from /etc/hosts)
unit=dnsmasq.service
packages="dnsmasq"
setup() { printf 'port=5354\nlisten-address=127.0.0.1\nbind-interfaces\n' > /etc/dnsmasq.d/trial.conf; }
probe() { dns 5354 svc-trial 127.0.1.1; }
