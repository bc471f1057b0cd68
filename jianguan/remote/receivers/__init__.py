"""The protocol receivers: HJ 212 over TCP (`hj212`), MQTT (`mqtt`), both handing `wire.Delivery` values to one sink
(`sinks`) and counting what they refused (`Stats`). Plain Python: Django is needed only by the sink the command
resolves from `JIANGUAN_REMOTE_SINK`."""
