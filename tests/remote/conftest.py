"""Fixtures of the remote tests: `point` (world.py, with the helpers the tests share) and a throw-away Mosquitto
broker, `mosquitto`."""

from tests.mosquitto import mosquitto  # noqa: F401
from tests.remote.world import point  # noqa: F401
