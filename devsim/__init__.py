"""jianguan-devsim: simulated monitoring devices speaking HJ 212-2017 over TCP, MQTT and the HTTP batch API."""
