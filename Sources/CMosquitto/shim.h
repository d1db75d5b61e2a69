// The libmosquitto C API as Swift sees it. Debian's libmosquitto-dev provides the headers and library:
// mosquitto.h for the client, mqtt_protocol.h for the MQTT 5 reason codes and property identifiers.
#include <mosquitto.h>
#include <mqtt_protocol.h>
