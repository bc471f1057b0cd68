from tests.mosquitto import mosquitto  # noqa: F401 (the fixture)
