# vsftpd: the FTP banner on port 21
unit=vsftpd.service
packages="vsftpd"
setup() { :; }
probe() { banner 21 '^220 '; }
