# bind9: a DNS answer on 127.0.0.1:5300 (its localhost zone)
unit=named.service
packages="bind9"
setup() {
  cat > /etc/bind/named.conf.options <<'CFG'
options {
	directory "/var/cache/bind";
	listen-on port 5300 { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
};
CFG
}
probe() { dns 5300 localhost 127.0.0.1; }
