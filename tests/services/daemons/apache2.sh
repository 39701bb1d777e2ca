# apache2: HTTP on port 8080 (nginx has 80)
unit=apache2.service
packages="apache2"
setup() {
  sed -i 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf
  sed -i 's/<VirtualHost \*:80>/<VirtualHost *:8080>/' /etc/apache2/sites-available/000-default.conf
  echo 'ServerName svc-trial' > /etc/apache2/conf-enabled/trial-servername.conf
}
probe() { http http://127.0.0.1:8080/ '^Server: Apache'; }
