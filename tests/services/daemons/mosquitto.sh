# mosquitto: a subscriber gets the broker's version topic on port 1883
unit=mosquitto.service
packages="mosquitto mosquitto-clients"
setup() { :; }
probe() { mosquitto_sub -h 127.0.0.1 -t '$SYS/broker/version' -C 1 -W 5 2>&1 | expect mosquitto; }
