"""Fixtures of the risk tests (`monitor`), defined in world.py with the helpers the tests share."""

from tests.risk.world import monitor  # noqa: F401
