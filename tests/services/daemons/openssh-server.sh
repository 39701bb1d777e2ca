# openssh-server: the SSH banner on port 22
unit=ssh.service
packages="openssh-server"
setup() { :; }
probe() { banner 22 '^SSH-2\.0-OpenSSH'; }
