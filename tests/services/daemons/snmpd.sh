# snmpd: sysDescr over SNMP v2c on 127.0.0.1:161
unit=snmpd.service
packages="snmpd snmp"
setup() { :; }
probe() { snmpget -v2c -c public -t 2 -r 0 127.0.0.1 1.3.6.1.2.1.1.1.0 2>&1 | expect STRING; }
