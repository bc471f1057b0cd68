"""Fixtures of the inspection tests (`world`), defined in world.py with the helpers the tests share."""

from tests.inspections.world import world  # noqa: F401
