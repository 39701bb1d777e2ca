# avahi: the daemon answers on the system bus
unit=avahi-daemon.service
packages="avahi-daemon"
setup() { :; }
probe() {
  busctl call --timeout=5 org.freedesktop.Avahi / org.freedesktop.Avahi.Server GetVersionString 2>&1 \
    | expect avahi
}
