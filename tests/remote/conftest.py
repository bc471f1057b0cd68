"""Fixtures of the remote tests (`point`), defined in world.py with the helpers the tests share."""

from tests.remote.world import point  # noqa: F401
