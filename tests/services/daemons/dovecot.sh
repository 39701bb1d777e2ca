# dovecot: the IMAP greeting on port 143
unit=dovecot.service
packages="dovecot-imapd"
setup() { :; }
probe() { banner 143 '^\* OK .*Dovecot'; }
