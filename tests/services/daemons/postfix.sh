# postfix: the SMTP banner on port 25 (the master runs as postfix@-)
unit=postfix@-.service
packages="postfix"
setup() { :; }
probe() { banner 25 '^220 .*ESMTP Postfix'; }
