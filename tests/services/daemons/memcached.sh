# memcached: the version command on port 11211
unit=memcached.service
packages="memcached"
setup() { :; }
probe() { banner 11211 '^VERSION ' 'version\r\n'; }
