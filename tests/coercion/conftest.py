"""Fixtures of the coercion tests (`world`, `city`), defined in world.py with the helpers the tests share."""

from tests.coercion.world import city, world  # noqa: F401
